import { ByteWindow } from '../../../../local-aws/ctr-sources/byte-window';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('ByteWindow', () => {
  it('gives the line of any position, before and after bytes are released', () => {
    // Arrange
    const window = new ByteWindow();
    window.append(bytes('a\nb\n'));
    window.append(bytes('c\nd'));

    // Act
    const lines = [window.lineAt(0), window.lineAt(2), window.lineAt(6)];
    window.releaseBefore(4);
    const afterRelease = [window.lineAt(4), window.lineAt(7)];

    // Assert
    expect(lines).toEqual([1, 2, 4]);
    expect(afterRelease).toEqual([3, 4]);
    expect(window.startOffset).toBe(4);
  });

  it('counts back from its cursor for a position asked for late', () => {
    // Arrange
    const window = new ByteWindow();
    window.append(bytes('x\ny\nz\n'));
    window.lineAt(6);

    // Act
    const line = window.lineAt(2);

    // Assert
    expect(line).toBe(2);
  });

  it.each([
    ['after the end of a value', '{"a":1}{"b":2}', 1, 7],
    ['at the start of a line after garbage', 'xx\n  {"b":2}', 0, 5],
    ['inside a string, after a letter', '"ab{c"', 0, 3],
    ['at the start of a line after a line cut after a comma', '{"a":1,\n {"b":2}', 1, 9],
  ])('finds a restart %s', (_name, text, from, expected) => {
    // Arrange
    const window = new ByteWindow();
    window.append(bytes(text));

    // Act
    const restart = window.findRestart(from);

    // Assert
    expect(restart).toBe(expected);
  });

  it.each([
    ['a member value', '{"a": {"b":1}}'],
    ['an array element', '[1, {"b":1}]'],
    ['the first array element', '[ {"b":1}]'],
  ])('never restarts at %s, which only a nested object can be', (_name, text) => {
    // Arrange
    const window = new ByteWindow();
    window.append(bytes(text));

    // Act
    const restart = window.findRestart(1);

    // Assert
    expect(restart).toBe(-1);
  });

  it('remembers the last byte before released ones when looking for a restart', () => {
    // Arrange: the "," before the "{" was released with the first chunk.
    const window = new ByteWindow();
    window.append(bytes('[1,'));
    window.releaseBefore(3);
    window.append(bytes(' {"b":1}'));

    // Act
    const restart = window.findRestart(3);

    // Assert
    expect(restart).toBe(-1);
  });
});
