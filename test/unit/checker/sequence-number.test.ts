import { compareSequenceNumbers, isAfter, lowestSequenceNumber } from '../../../lambda/checker/sequence-number';

describe('sequence numbers', () => {
  it('compares by value, not as strings, beyond the precision of a double', () => {
    // Arrange: string order would put "9" after "10…", and a double cannot tell these two 56-digit numbers apart
    const a = '49650000000000000000000000000000000000000000000000000001';
    const b = '49650000000000000000000000000000000000000000000000000002';

    // Act / Assert
    expect(compareSequenceNumbers('9', '10')).toBe(-1);
    expect(compareSequenceNumbers(a, b)).toBe(-1);
    expect(compareSequenceNumbers(b, a)).toBe(1);
    expect(compareSequenceNumbers(a, a)).toBe(0);
  });

  it('finds the lowest, or nothing in an empty list', () => {
    expect(lowestSequenceNumber(['30', '100', '4'])).toBe('4');
    expect(lowestSequenceNumber([])).toBeUndefined();
  });

  it('puts nothing after an absent failure point', () => {
    expect(isAfter('5', undefined)).toBe(false);
    expect(isAfter('5', '4')).toBe(true);
    expect(isAfter('4', '4')).toBe(false);
  });
});
