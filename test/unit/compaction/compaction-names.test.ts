import {
  compactedName,
  compactedRunOf,
  isManifestKey,
  manifestKey,
  newRunId,
  stagingKey,
} from '../../../lambda/compaction/compaction-names';
import { partitionOfDay } from '../../../lambda/compaction/partition';

describe('compaction names', () => {
  const partition = partitionOfDay('2026-03-05');

  it('names a run after its UTC second and a random part', () => {
    expect(newRunId(new Date('2026-03-06T03:00:07.123Z'), '1a2b3c4d')).toBe('20260306T030007Z-1a2b3c4d');
    expect(() => newRunId(new Date(), 'xyz')).toThrow(RangeError);
  });

  it('recognises its own compacted objects and nothing Firehose writes', () => {
    const name = compactedName('20260306T030007Z-1a2b3c4d', 2, '.json.gz');
    expect(name).toBe('compacted-20260306T030007Z-1a2b3c4d-2.json.gz');
    expect(compactedRunOf(name)).toBe('20260306T030007Z-1a2b3c4d');
    expect(compactedRunOf('ctr-lake-1-2026-03-05-10-00-00-6f1c2a9e-0000-4000-8000-000000000001.parquet')).toBe(
      undefined,
    );
    expect(compactedRunOf('compacted-by-hand.parquet')).toBe(undefined);
  });

  it('keeps manifests and staged objects outside the table location ctr/', () => {
    expect(manifestKey(partition)).toBe('compaction/manifests/year=2026/month=03/day=05/manifest.json');
    expect(stagingKey(partition, '20260306T030007Z-1a2b3c4d', 0, '.parquet')).toBe(
      'compaction/staging/year=2026/month=03/day=05/20260306T030007Z-1a2b3c4d-0.parquet',
    );
    expect(isManifestKey(manifestKey(partition))).toBe(true);
    expect(isManifestKey('compaction/manifests/year=2026/notes.txt')).toBe(false);
  });
});
