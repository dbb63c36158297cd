import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { LEASE_MARGIN_MS, TimeBudget } from '../../../lambda/checker/time-budget';

describe('TimeBudget', () => {
  it('keeps 15 % (at most 15 s) for the bookkeeping writes and 5 % (at most 1 s) to answer', () => {
    // Arrange
    let left = 120_000;

    // Act
    const budget = new TimeBudget(() => left);
    const atStart = { work: budget.workLeft(), settle: budget.settleLeft() };
    left = 30_000;
    const later = { work: budget.workLeft(), settle: budget.settleLeft() };
    budget.dispose();

    // Assert
    expect(atStart).toEqual({ work: 104_000, settle: 119_000 });
    expect(later).toEqual({ work: 14_000, settle: 29_000 });
  });

  it('scales its reserves down for a short invocation', () => {
    // Act
    const budget = new TimeBudget(() => 2_000);
    const left = { work: budget.workLeft(), settle: budget.settleLeft() };
    budget.dispose();

    // Assert
    expect(left).toEqual({ work: 1_600, settle: 1_900 });
  });

  it('aborts both signals at once when there is no time at all', () => {
    // Act
    const budget = new TimeBudget(() => 0);

    // Assert
    expect(budget.work.aborted).toBe(true);
    expect(budget.settle.aborted).toBe(true);
    expect(budget.workLeft()).toBeLessThanOrEqual(0);
  });

  it('leases a claim until the invocation is certainly over: its whole time plus a margin', () => {
    // Arrange
    const budget = new TimeBudget(() => 120_000);

    // Act
    const lease = budget.leaseUntil(1_000_000);
    budget.dispose();

    // Assert
    expect(lease).toBe(1_000_000 + 120_000 + LEASE_MARGIN_MS);
  });

  it('aborts the work signal when the work time is up, and the settle signal after', async () => {
    // Arrange: a 200 ms invocation: work until 150 ms, bookkeeping until 190 ms
    const budget = new TimeBudget(() => 200);
    const order: string[] = [];
    budget.work.addEventListener('abort', () => order.push('work'));
    budget.settle.addEventListener('abort', () => order.push('settle'));

    // Act
    await new Promise<void>((resolve) => budget.settle.addEventListener('abort', () => resolve()));
    budget.dispose();

    // Assert
    expect(order).toEqual(['work', 'settle']);
  });

  it('lets a whole batch of requests listen to its signals: no MaxListenersExceededWarning past 10 listeners', () => {
    // Arrange: in a plain Node process, since jest's sandbox has its own AbortSignal and keeps process warnings
    const script = [
      `const { TimeBudget } = require(${JSON.stringify(resolve(__dirname, '../../../lambda/checker/time-budget'))});`,
      'const budget = new TimeBudget(() => 60_000);',
      "for (let i = 0; i < 100; i++) { budget.work.addEventListener('abort', () => {}); budget.settle.addEventListener('abort', () => {}); }",
      'setImmediate(() => budget.dispose());',
    ].join('\n');

    // Act
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });

    // Assert
    expect(run.status).toBe(0);
    expect(run.stderr).not.toContain('MaxListenersExceededWarning');
  });
});
