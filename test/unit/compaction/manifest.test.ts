import { decodeManifest, encodeManifest, type Manifest } from '../../../lambda/compaction/manifest';
import { CompactionError } from '../../../lambda/compaction/errors';
import { thrownBy } from '../../support/thrown';

const MANIFEST: Manifest = {
  version: 1,
  runId: '20260306T030000Z-0000000a',
  day: '2026-03-05',
  state: 'staged',
  originals: [{ key: 'ctr/year=2026/month=03/day=05/a.parquet', size: 10 }],
  outputs: [{ stagingKey: 'compaction/staging/x', key: 'ctr/year=2026/month=03/day=05/c.parquet', size: 8, rows: 2 }],
  rowsBefore: 3,
  duplicatesRemoved: 1,
};

describe('manifest', () => {
  it('round-trips', () => {
    expect(decodeManifest(encodeManifest(MANIFEST), 'k')).toEqual(MANIFEST);
  });

  it.each([
    ['not JSON', Buffer.from('{'), 'k is not JSON'],
    ['another version', encode({ version: 2 }), 'unknown version 2'],
    ['an unknown state', encode({ state: 'half' }), 'unknown state "half"'],
    ['originals without sizes', encode({ originals: [{ key: 'a' }] }), 'originals must be a list of { key, size }'],
    ['outputs without rows', encode({ outputs: [{ stagingKey: 's', key: 'k', size: 1 }] }), 'outputs must be a list'],
    ['a day that is not one', encode({ day: '2026-13-01' }), 'day "2026-13-01" is not YYYY-MM-DD'],
  ])('refuses %s with MANIFEST_INVALID', (_case, body, message) => {
    const error = thrownBy(() => decodeManifest(body, 'k'), CompactionError);
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.message).toContain(message);
  });
});

function encode(change: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify({ ...MANIFEST, ...change }));
}
