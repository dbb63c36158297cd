import { LATEST_VIEW_COLUMNS, MAX_TABLE_ROWS, renderSummary } from '../../../commands/start/render-summary';
import type { PipelineDetails, PipelineSummary } from '../../../local-aws/pipeline/pipeline-options';

const summary = (overrides: Partial<PipelineSummary> = {}): PipelineSummary => ({
  in: 6,
  inBatchDuplicates: 3,
  storedDuplicates: 0,
  delivered: 3,
  quarantined: 0,
  failed: 0,
  rows: 3,
  lake: '/tmp/ctr-lake-x',
  format: 'parquet',
  queries: {
    ctr_latest: [
      {
        contact_id: 'c-1',
        channel: 'VOICE',
        customer_endpoint: '+15550100',
        raw_ctr: '{"CustomerEndpoint":{"Address":"+15550100"}}',
        fingerprint: 'ab'.repeat(32),
      },
    ],
    calls_per_day: [{ day: '2026-03-04', channel: 'VOICE', calls: 1 }],
    duplicates_audit: [],
  },
  details: {} as PipelineDetails,
  ...overrides,
});

describe('renderSummary', () => {
  it('says what the compaction at the end did, when it ran', () => {
    // Arrange
    const compaction = {
      recovered: [],
      compacted: [],
      alreadyCompacted: 0,
      archived: [],
      deferred: [],
      failed: [],
      foreign: [],
      totals: {
        partitions: 2,
        objectsBefore: 4,
        objectsAfter: 2,
        bytesBefore: 9,
        bytesAfter: 7,
        rowsBefore: 6,
        rows: 3,
        duplicatesRemoved: 3,
      },
    };

    // Act
    const text = renderSummary(summary({ compaction }), { samples: [], lakeRemoved: false });

    // Assert
    expect(text).toContain('Compaction: compacted 2 partitions: 4 objects → 2, 6 rows → 3 (3 duplicates removed)\n');
    expect(renderSummary(summary(), { samples: [], lakeRemoved: false })).not.toContain('Compaction:');
  });

  it('prints the counts, the lake and each query as a table', () => {
    // Act
    const text = renderSummary(summary(), { samples: ['samples/duplicated-ctrs.json'], lakeRemoved: true });

    // Assert
    expect(text).toMatch(/CTRs in\s+6\n/);
    expect(text).toMatch(/in-batch duplicates dropped\s+3\n/);
    expect(text).toMatch(/Lake: \/tmp\/ctr-lake-x \(parquet\) holds 3 rows \(removed at exit/);
    expect(text).toMatch(/calls_per_day \(1 row\)\nday\s+channel\s+calls\n/);
    expect(text).toMatch(/duplicates_audit \(0 rows\)\n\(no rows\)/);
    expect(text).not.toMatch(/given up/);
  });

  it("shows a few columns of ctr_latest and never the customer's phone number", () => {
    // Act
    const text = renderSummary(summary(), { samples: [], lakeRemoved: false });

    // Assert
    expect(text).toContain(LATEST_VIEW_COLUMNS.slice(0, 2).join('  '));
    expect(text).not.toContain('+15550100');
  });

  it('shows the first rows of a long result and says how many more there are', () => {
    // Arrange
    const rows = Array.from({ length: MAX_TABLE_ROWS + 5 }, (_, i) => ({ day: `d${i}`, calls: i }));

    // Act
    const text = renderSummary(summary({ queries: { calls_per_day: rows } }), { samples: [], lakeRemoved: false });

    // Assert
    expect(text).toContain(`d${MAX_TABLE_ROWS - 1} `);
    expect(text).not.toContain(`d${MAX_TABLE_ROWS} `);
    expect(text).toContain('… 5 more (--json prints every row)');
  });

  it('points at on-failure/ when the event source gave records up', () => {
    // Act
    const text = renderSummary(summary({ failed: 2 }), { samples: [], lakeRemoved: false });

    // Assert
    expect(text).toMatch(/given up \(see on-failure\/\)\s+2/);
  });
});
