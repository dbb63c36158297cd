import { formatDuration, formatProgress, renderBackfill } from '../../../../commands/backfill/render-backfill';
import type { BackfillSummary } from '../../../../commands/backfill/run-backfill';

describe('formatProgress', () => {
  const progress = {
    read: 12345,
    sent: 12000,
    skippedInLake: 300,
    failed: 45,
    malformed: 0,
    resumed: 0,
    bytes: 1024 * 1024,
  };

  it('shows counts, records per second, bytes and an ETA when the size is known', () => {
    // Act
    const line = formatProgress({ ...progress, totalBytes: 4 * 1024 * 1024 }, 10_000);

    // Assert
    expect(line).toBe(
      'read 12,345 · sent 12,000 · skipped 300 · failed 45 · 1,235 records/s · 1.0 MiB of 4.0 MiB · ETA 30s',
    );
  });

  it('shows bytes read without an ETA when the size is not known, and malformed and resumed counts when any', () => {
    // Act
    const line = formatProgress({ ...progress, malformed: 2, resumed: 7, totalBytes: undefined }, 10_000);

    // Assert
    expect(line).toBe(
      'read 12,345 · sent 12,000 · skipped 300 · failed 45 · malformed 2 · resumed past 7 · 1,235 records/s · 1.0 MiB',
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [400, '0s'],
    [42_000, '42s'],
    [65_000, '1m05s'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('renderBackfill', () => {
  const summary: BackfillSummary = {
    read: 9,
    sent: 7,
    skippedInLake: 1,
    failed: 1,
    malformed: [{ source: 'h/a.jsonl', position: { byte: 10, line: 2 }, reason: 'unexpected "x"' }],
    resumed: 0,
    failures: [
      {
        source: 'h/b',
        position: { byte: 0, line: 1 },
        contactId: 'c-1',
        errorCode: 'ProvisionedThroughputExceededException',
        errorMessage: 'Rate exceeded',
      },
    ],
    bytes: 2048,
    lakeCheck: { queries: 2, bytesScanned: 1536, fingerprints: 1 },
    interrupted: false,
    checkpoint: '/x/.ctr-lake/backfill-1.json',
    durationMs: 3_000,
  };

  it('prints the counts, the lake check, every problem with its place, and the checkpoint left', () => {
    // Act
    const text = renderBackfill(summary, { target: 'stream s', rows: 12 });

    // Assert
    expect(text).toMatch(/^Backfill into stream s\n/);
    expect(text).toMatch(/ {2}skipped \(in the lake\) +1\n/);
    expect(text).toMatch(/Lake check: 2 day queries, 1 fingerprints found, 1\.5 KiB scanned\./);
    expect(text).toMatch(/The lake holds 12 rows\./);
    expect(text).toMatch(/h\/a\.jsonl line 2 \(byte 10\): unexpected "x"/);
    expect(text).toMatch(/h\/b line 1 \(byte 0\) ContactId c-1: ProvisionedThroughputExceededException/);
    expect(text).toMatch(
      /Checkpoint kept in \/x\/\.ctr-lake\/backfill-1\.json: run the same command again to retry what failed\./,
    );
  });
});
