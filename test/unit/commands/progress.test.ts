import { createProgressReporter, PROGRESS_THRESHOLD } from '../../../commands/start/progress';

function sink(isTTY: boolean) {
  const out = { text: '' };
  return { out, stream: { isTTY, write: (t: string) => (out.text += t) } };
}

describe('createProgressReporter', () => {
  it('stays quiet for small inputs', () => {
    // Arrange
    const { out, stream } = sink(true);
    const progress = createProgressReporter(stream);

    // Act
    progress.report({ stage: 'send', done: 6, total: 6 });
    progress.end();

    // Assert
    expect(out.text).toBe('');
  });

  it('rewrites one line on a terminal', () => {
    // Arrange
    const { out, stream } = sink(true);
    const progress = createProgressReporter(stream);
    const total = PROGRESS_THRESHOLD * 2;

    // Act
    progress.report({ stage: 'check', done: total / 2, total });
    progress.report({ stage: 'check', done: total, total });
    progress.end();

    // Assert
    expect(out.text).toBe(`\rchecked 300/600 records (50%)\u001b[K\rchecked 600/600 records (100%)\u001b[K\n`);
  });

  it('writes a line per tenth elsewhere', () => {
    // Arrange
    const { out, stream } = sink(false);
    const progress = createProgressReporter(stream);

    // Act
    for (let done = 100; done <= 1000; done += 50) progress.report({ stage: 'send', done, total: 1000 });

    // Assert
    expect(out.text.trim().split('\n')).toHaveLength(10);
  });
});
