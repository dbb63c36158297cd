import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkBatch } from '../../../lambda/checker/check-batch';
import { toStreamRecords } from '../../../lambda/checker/handler';
import { MetricName } from '../../../lambda/shared/observability';
import { fingerprintsOf, InMemoryDedupStore, InMemorySink, RecordingTelemetry } from '../../support/checker-harness';
import { kinesisEvent } from '../../support/ctr-factory';

// The public seed sample lives beside the repository (../shared), never copied into it.
const SEED = join(__dirname, '..', '..', '..', '..', 'shared', 'seed', 'duplicated_samples.json');

describe('the checker on the shared seed sample', () => {
  it('delivers the 3 distinct CTRs of the 6, with their published fingerprints, and drops 3 in-batch duplicates', async () => {
    // Arrange
    const records = JSON.parse(readFileSync(SEED, 'utf8')) as object[];
    const store = new InMemoryDedupStore();
    const sink = new InMemorySink();
    const telemetry = new RecordingTelemetry();

    // Act
    const result = await checkBatch(
      toStreamRecords(kinesisEvent(records)),
      { ttlHours: 24, keyStrategy: 'content' },
      { store, sink, telemetry },
    );

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(fingerprintsOf(sink.delivered)).toEqual([
      'ef7d9f7e4b26f827d2e526c4797852d978e6e9e2ccfdcaf162e9126a4eaca6a7',
      '886176cd231d8c6a7ef5520cb60eace2d9826cb6a98031cee5fbdf8683334e58',
      'eaa1aa065a550dd3df0c912b1e9180100d7fa5dc9ffb378253721c68d4234b1d',
    ]);
    // compact, key-sorted input: the canonical form is the raw text itself
    for (const envelope of sink.delivered) {
      const rawHash = envelope.kind === 'ctr' ? createHash('sha256').update(envelope.raw).digest('hex') : '';
      expect(rawHash).toBe(envelope.kind === 'ctr' && envelope.fingerprint);
    }
    expect(telemetry.metric(MetricName.InBatchDuplicates)).toBe(3);
    expect(store.calls.filter((c) => c.op === 'claim')).toHaveLength(3);
  });
});
