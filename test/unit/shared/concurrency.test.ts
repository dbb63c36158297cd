import { mapWithConcurrency } from '../../../lambda/shared/concurrency';

describe('mapWithConcurrency', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    // Arrange
    let running = 0;
    let peak = 0;
    const task = async (n: number): Promise<number> => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, (n % 3) * 2));
      running--;
      return n * 10;
    };

    // Act
    const results = await mapWithConcurrency([1, 2, 3, 4, 5, 6, 7], 3, task);

    // Assert
    expect(results).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(peak).toBe(3);
  });

  it('handles no items and refuses a limit below one', async () => {
    await expect(mapWithConcurrency([], 4, async (x: number) => x)).resolves.toEqual([]);
    await expect(mapWithConcurrency([1], 0, async (x: number) => x)).rejects.toThrow(RangeError);
  });
});
