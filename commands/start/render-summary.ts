import type { PipelineSummary } from '../../local-aws/pipeline/pipeline-options';
import { LATEST_VIEW } from '../../local-aws/query/named-queries';
import { compactionLine } from '../compact/compaction-report';
import { renderTable } from '../shared/text-table';

/**
 * The columns of ctr_latest worth a glance in a terminal. The view has 30 columns, among them the raw CTR and the
 * customer's phone number, which a summary has no reason to print.
 */
export const LATEST_VIEW_COLUMNS = [
  'contact_id',
  'channel',
  'initiation_method',
  'initiation_timestamp',
  'last_update_timestamp',
  'queue_name',
  'fingerprint',
] as const;

/** A terminal summary shows the first rows of each result; --json has them all. */
export const MAX_TABLE_ROWS = 20;

export interface RenderContext {
  readonly samples: readonly string[];
  /** Whether the lake directory is removed at exit. */
  readonly lakeRemoved: boolean;
}

/** The human summary: counts, where the lake is, and each named query's result as a table. */
export function renderSummary(summary: PipelineSummary, context: RenderContext): string {
  const counts: [string, number][] = [
    ['CTRs in', summary.in],
    ['in-batch duplicates dropped', summary.inBatchDuplicates],
    ['stored duplicates dropped', summary.storedDuplicates],
    ['delivered to the lake', summary.delivered],
    ['quarantined', summary.quarantined],
  ];
  if (summary.failed > 0) counts.push(['given up (see on-failure/)', summary.failed]);
  const label = Math.max(...counts.map(([name]) => name.length));
  const lines = [
    `ctr-lake local pipeline: ${context.samples.join(', ')}`,
    '',
    ...counts.map(([name, value]) => `  ${name.padEnd(label)}  ${String(value).padStart(6)}`),
    '',
    `Lake: ${summary.lake} (${summary.format}) holds ${summary.rows} ${summary.rows === 1 ? 'row' : 'rows'}` +
      (context.lakeRemoved ? ' (removed at exit: --keep or --lake DIR to keep it)' : ''),
  ];
  if (summary.compaction) lines.push(`Compaction: ${compactionLine(summary.compaction)}`);
  for (const [name, rows] of Object.entries(summary.queries)) {
    const columns = name === LATEST_VIEW ? [...LATEST_VIEW_COLUMNS] : Object.keys(rows[0] ?? {});
    lines.push('', `${name} (${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`);
    lines.push(
      columns.length > 0 ? renderTable(columns, rows.slice(0, MAX_TABLE_ROWS), { maxCellWidth: 40 }) : '(no rows)',
    );
    if (rows.length > MAX_TABLE_ROWS) lines.push(`… ${rows.length - MAX_TABLE_ROWS} more (--json prints every row)`);
  }
  return `${lines.join('\n')}\n`;
}
