import { aCtr, kinesisEvent } from '../../support/ctr-factory';
import { startCheckerRig, type CheckerRig } from '../../soak/checker-rig';

/**
 * Kinesis's largest batch: an event source mapping hands the checker at most 10,000 records. The checker must
 * finish such a batch in one invocation, well inside its configured memory (256 MB by default, lib/constructs), and
 * deliver each distinct CTR exactly once. Lambda caps the payload at 6 MB, so a real 10,000-record batch holds small
 * records; these are full-size realistic CTRs (about 3 KB each, 30 MB in all), a harder case than Lambda can send.
 */
describe('checker limits: a 10,000-record batch', () => {
  const RECORDS = 10_000;
  const DISTINCT = 8_000;
  /** Generous: the configured memory is 256 MB; the batch itself is ~40 MB of base64 and decoded JSON. */
  const MEMORY_BOUND_BYTES = 512 * 1024 * 1024;
  let rig: CheckerRig;

  beforeAll(async () => {
    rig = await startCheckerRig();
  });

  afterAll(async () => {
    await rig.stop();
  });

  it('delivers every distinct CTR once, in one invocation, within the memory bound', async () => {
    // Arrange: 8,000 distinct CTRs and 2,000 exact redeliveries of some of them, spread through the batch.
    const distinct = Array.from({ length: DISTINCT }, () => aCtr());
    const items = [...distinct];
    for (let i = 0; i < RECORDS - DISTINCT; i++)
      items.splice((i * 37) % items.length, 0, distinct[(i * 13) % DISTINCT]!);
    const event = kinesisEvent(items);
    global.gc?.();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed);
    }, 20);

    // Act
    const started = Date.now();
    const answer = await rig.invoke(event);
    const elapsedMs = Date.now() - started;
    clearInterval(sampler);

    // Assert
    expect(answer.batchItemFailures).toEqual([]);
    const fingerprints = rig.firehose.envelopes.map((envelope) =>
      envelope.kind === 'ctr' ? envelope.fingerprint : '',
    );
    expect(fingerprints).toHaveLength(DISTINCT);
    expect(new Set(fingerprints).size).toBe(DISTINCT);
    expect(await rig.claims()).toBe(DISTINCT);
    expect(peakHeap - before.heapUsed).toBeLessThan(MEMORY_BOUND_BYTES);
    expect(peakRss - before.rss).toBeLessThan(MEMORY_BOUND_BYTES);
    // Time is reported, not asserted: speed belongs to `npm run bench`, and a loaded CI machine must not fail here.
    console.info(
      `10,000-record batch: ${elapsedMs} ms, heap +${mb(peakHeap - before.heapUsed)} MB, rss +${mb(peakRss - before.rss)} MB`,
    );
  });
});

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
