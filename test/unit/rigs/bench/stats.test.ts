import { median, ratio, repeatTimed, significant } from '../../../../rigs/bench/stats';

describe('median', () => {
  it('takes the middle value of an odd count, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('takes the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('ignores one wild run, which a mean would not', () => {
    expect(median([10, 11, 10, 500, 12])).toBe(11);
  });

  it('refuses no values and non-finite ones', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => median([1, Number.NaN])).toThrow(RangeError);
  });
});

describe('ratio', () => {
  it('divides', () => {
    expect(ratio(30, 2)).toBe(15);
  });

  it('refuses a zero denominator instead of answering Infinity', () => {
    expect(() => ratio(1, 0)).toThrow(RangeError);
  });
});

describe('significant', () => {
  it('keeps the requested significant digits', () => {
    expect(significant(123.456789, 4)).toBe(123.5);
    expect(significant(0.000123456, 2)).toBe(0.00012);
  });

  it('leaves zero alone', () => {
    expect(significant(0)).toBe(0);
  });
});

describe('repeatTimed', () => {
  it('prepares before every run, passes its state to the work, and times every run', async () => {
    // Arrange
    const prepared: number[] = [];

    // Act
    const { times, results } = await repeatTimed(
      3,
      async (run) => {
        prepared.push(run);
        return run * 10;
      },
      async (state, run) => state + run,
    );

    // Assert
    expect(prepared).toEqual([0, 1, 2]);
    expect(results).toEqual([0, 11, 22]);
    expect(times).toHaveLength(3);
    expect(times.every((ms) => ms >= 0)).toBe(true);
  });

  it('refuses a run count below one', async () => {
    await expect(
      repeatTimed(
        0,
        async () => 0,
        async () => 0,
      ),
    ).rejects.toThrow(RangeError);
  });
});
