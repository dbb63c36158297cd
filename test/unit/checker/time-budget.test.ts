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
});
