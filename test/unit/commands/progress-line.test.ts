import { createProgressLine } from '../../../commands/shared/progress';

function sink(isTTY: boolean): { written: string[]; write(text: string): void; isTTY: boolean } {
  const written: string[] = [];
  return { written, isTTY, write: (text) => void written.push(text) };
}

describe('createProgressLine', () => {
  it('rewrites one line in place on a terminal and ends it with a newline', () => {
    // Arrange
    const stream = sink(true);
    const line = createProgressLine(stream);

    // Act
    line.update('read 1');
    line.update('read 2');
    line.end();

    // Assert
    expect(stream.written).toEqual(['\rread 1\u001b[K', '\rread 2\u001b[K', '\n']);
  });

  it('writes a line per milestone when piped', () => {
    // Arrange
    const stream = sink(false);
    const line = createProgressLine(stream);

    // Act
    line.update('10 %', '1');
    line.update('11 %', '1');
    line.update('20 %', '2');
    line.end();

    // Assert
    expect(stream.written).toEqual(['10 %\n', '20 %\n']);
  });

  it('writes nothing when piped and asked to stay quiet', () => {
    // Arrange
    const stream = sink(false);
    const line = createProgressLine(stream, { quietWhenPiped: true });

    // Act
    line.update('read 1', '1');
    line.end();

    // Assert
    expect(stream.written).toEqual([]);
  });
});
