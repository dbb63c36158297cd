import {
  LATEST_VIEW_COLUMNS,
  MAX_TABLE_ROWS,
  renderSummary,
  TERMINAL_COLUMNS,
} from '../../../commands/start/render-summary';
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
  malformed: [],
  quarantine: { records: 0, byReason: [] },
  pii: { mode: 'pseudonymise', attributeKeys: [], keyVersion: 1, keyFile: '/tmp/ctr-lake-x/.state/pii-key.json' },
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
  timeZone: 'UTC',
  details: {} as PipelineDetails,
  ...overrides,
});

describe('renderSummary', () => {
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
    expect(text).toContain(
      'PII mode: pseudonymise: phone numbers are keyed pseudonyms (hmac:…)\n' +
        '  key version 1 in /tmp/ctr-lake-x/.state/pii-key.json',
    );
  });

  it.each([
    ['drop', 'PII mode: drop: phone numbers and the attributes callerName are removed (null)'],
    ['keep', 'PII mode: keep: phone numbers and the attributes callerName are stored in clear'],
  ] as const)('says when the PII mode was %s', (mode, line) => {
    // Act
    const text = renderSummary(summary({ pii: { mode, attributeKeys: ['callerName'] } }), {
      samples: [],
      lakeRemoved: false,
    });

    // Assert
    expect(text).toContain(line);
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

  it('fits every line in 120 columns, with full fingerprints in duplicates_audit', () => {
    // Arrange: rows as wide as the real ones.
    const latest = {
      contact_id: '69cdb858-d5d5-4343-8098-30d2e5fa38bd',
      fingerprint: 'c6'.repeat(32),
      channel: 'VOICE',
      initiation_method: 'INBOUND',
      initiation_timestamp: '2026-03-04T08:47:33.000Z',
      last_update_timestamp: '2026-03-04T09:00:34.000Z',
      queue_name: 'Technical Support and Escalations',
      raw_ctr: '{"x":"'.padEnd(500, 'y'),
    };
    const abandoned = {
      contact_id: '584523de-3992-4702-ac15-e31ff9808ea4',
      channel: 'VOICE',
      queue_name: 'Billing',
      initiation_timestamp: '2026-03-05T17:30:44.000Z',
      queue_enqueue_timestamp: '2026-03-05T17:31:14.000Z',
      queue_dequeue_timestamp: '2026-03-05T17:32:49.000Z',
      queue_duration: 95,
      disconnect_reason: 'CUSTOMER_DISCONNECT',
    };
    const audit = { fingerprint: 'ef'.repeat(32), copies: 2 };

    // Act
    const text = renderSummary(
      summary({ queries: { abandoned_contacts: [abandoned], duplicates_audit: [audit], ctr_latest: [latest] } }),
      { samples: ['samples/duplicated-ctrs.json'], lakeRemoved: true },
    );
    const wide = renderSummary(summary({ queries: { ctr_latest: [latest] } }), {
      samples: [],
      lakeRemoved: false,
      wide: true,
    });

    // Assert
    expect(Math.max(...text.split('\n').map((line) => line.length))).toBeLessThanOrEqual(TERMINAL_COLUMNS);
    expect(text).toContain(`${'ef'.repeat(32)}       2`);
    expect(text).toContain('ctr_latest (1 row; 5 of 8 columns, --wide for all)');
    expect(text).toContain('abandoned_contacts (1 row; 5 of 8 columns, --wide for all)');
    expect(wide).toContain('raw_ctr');
    expect(wide).toContain('initiation_method');
  });

  it('says which time zone the days and hours are in', () => {
    // Act
    const text = renderSummary(summary({ timeZone: 'Asia/Seoul' }), { samples: [], lakeRemoved: false });

    // Assert
    expect(text).toContain('Days and hours are local to Asia/Seoul (ctrLake:reportingTimeZone).');
  });

  it('points at on-failure/ when the event source gave records up', () => {
    // Act
    const text = renderSummary(summary({ failed: 2 }), { samples: [], lakeRemoved: false });

    // Assert
    expect(text).toMatch(/given up \(see on-failure\/\)\s+2/);
  });
});
