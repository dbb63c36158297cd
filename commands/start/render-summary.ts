import type { PipelineSummary } from '../../local-aws/pipeline/pipeline-options';
import { LATEST_VIEW } from '../../local-aws/query/named-queries';
import type { QuarantineSummary } from '../../local-aws/quarantine/quarantine-summary';
import { formatPosition, renderMalformed } from '../shared/source-positions';
import { renderTable } from '../shared/text-table';

/** A terminal's width: the default summary never prints a longer line. */
export const TERMINAL_COLUMNS = 120;

/**
 * The columns of ctr_latest worth a glance in a terminal. The view has 33 columns, among them the raw CTR and the
 * customer's phone number, which a summary has no reason to print (`--wide` prints them, `--json` has them).
 */
export const LATEST_VIEW_COLUMNS = [
  'contact_id',
  'channel',
  'initiation_timestamp',
  'last_update_timestamp',
  'queue_name',
] as const;

/** The columns shown by default for the named queries whose full rows do not fit a terminal. */
export const SUMMARY_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  [LATEST_VIEW]: LATEST_VIEW_COLUMNS,
  abandoned_contacts: ['contact_id', 'channel', 'queue_name', 'initiation_timestamp', 'queue_duration'],
};

/** A terminal summary shows the first rows of each result; --json has them all. */
export const MAX_TABLE_ROWS = 20;

/** A SHA-256 fingerprint in hex: printed whole where it is the point (duplicates_audit). */
const FINGERPRINT_WIDTH = 64;

export interface RenderContext {
  readonly samples: readonly string[];
  /** Whether the lake directory is removed at exit. */
  readonly lakeRemoved: boolean;
  /** Every column of every query, cells cut at 40 characters, however wide the lines get. @default false */
  readonly wide?: boolean;
}

/** Which PII mode ran: what the lake holds instead of phone numbers, and with which key. */
export function describePii(pii: PipelineSummary['pii']): string {
  const attributes = pii.attributeKeys.length > 0 ? ` and the attributes ${pii.attributeKeys.join(', ')}` : '';
  switch (pii.mode) {
    case 'pseudonymise':
      return (
        `PII mode: pseudonymise: phone numbers${attributes} are keyed pseudonyms (hmac:…)\n` +
        `  key version ${pii.keyVersion} in ${pii.keyFile}`
      );
    case 'drop':
      return `PII mode: drop: phone numbers${attributes} are removed (null)`;
    case 'keep':
      return `PII mode: keep: phone numbers${attributes} are stored in clear`;
  }
}

/**
 * The human summary: counts, where the lake is, then each named query's result as a table in the queries' reading
 * order (calls_per_day first, ctr_latest last). Lines fit TERMINAL_COLUMNS unless `wide`.
 */
export function renderSummary(summary: PipelineSummary, context: RenderContext): string {
  const counts: [string, number][] = [
    ['CTRs in', summary.in],
    ['in-batch duplicates dropped', summary.inBatchDuplicates],
    ['stored duplicates dropped', summary.storedDuplicates],
    ['delivered to the lake', summary.delivered],
    ['quarantined', summary.quarantined],
  ];
  if (summary.failed > 0) counts.push(['given up (see on-failure/)', summary.failed]);
  if (summary.malformed.length > 0) counts.push(['not sent (malformed pieces)', summary.malformed.length]);
  const label = Math.max(...counts.map(([name]) => name.length));
  const lines = [
    `ctr-lake local pipeline: ${context.samples.join(', ')}`,
    '',
    ...counts.map(([name, value]) => `  ${name.padEnd(label)}  ${String(value).padStart(6)}`),
    ...renderQuarantine(summary.quarantine),
    ...(summary.malformed.length > 0 ? ['', 'Not sent:', ...renderMalformed(summary.malformed)] : []),
    '',
    `Lake: ${summary.lake} (${summary.format}) holds ${summary.rows} ${summary.rows === 1 ? 'row' : 'rows'}` +
      (context.lakeRemoved ? ' (removed at exit: --keep or --lake DIR to keep it)' : ''),
    `Days and hours are local to ${summary.timeZone} (ctrLake:reportingTimeZone).`,
    describePii(summary.pii),
  ];
  const tableOptions = context.wide
    ? { maxCellWidth: 40 }
    : { maxCellWidth: FINGERPRINT_WIDTH, maxWidth: TERMINAL_COLUMNS };
  for (const [name, rows] of Object.entries(summary.queries)) {
    const all = Object.keys(rows[0] ?? {});
    const columns = !context.wide && SUMMARY_COLUMNS[name] ? [...SUMMARY_COLUMNS[name]] : all;
    const hidden = all.length - columns.length;
    lines.push(
      '',
      `${name} (${rows.length} ${rows.length === 1 ? 'row' : 'rows'}` +
        `${hidden > 0 ? `; ${columns.length} of ${all.length} columns, --wide for all` : ''})`,
    );
    lines.push(columns.length > 0 ? renderTable(columns, rows.slice(0, MAX_TABLE_ROWS), tableOptions) : '(no rows)');
    if (rows.length > MAX_TABLE_ROWS) lines.push(`… ${rows.length - MAX_TABLE_ROWS} more (--json prints every row)`);
  }
  return `${lines.join('\n')}\n`;
}

/** The quarantined records by reason, each with its first sources: `npm run quarantine` shows the rest. */
export function renderQuarantine(quarantine: QuarantineSummary): string[] {
  if (quarantine.records === 0) return [];
  const lines = ['', 'Quarantined by reason (npm run quarantine -- --lake DIR shows each record):'];
  for (const group of quarantine.byReason) {
    lines.push(`  ${group.reason} ×${group.count}: ${group.detail}`);
    for (const source of group.sources) {
      const contact = source.contactId !== undefined ? `, ContactId ${source.contactId}` : '';
      lines.push(`    ${formatPosition(source.source, source.position)}${contact}`);
    }
    if (group.count > group.sources.length) lines.push(`    … ${group.count - group.sources.length} more`);
  }
  return lines;
}
