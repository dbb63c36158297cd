import type { CompactionSummary } from '../../lambda/compaction/run';
import { renderTable } from '../shared/text-table';

/** The machine-readable summary of a compaction run (`npm run compact -- --json`, and `compaction` in `npm start --json`). */
export function compactionJson(summary: CompactionSummary): Record<string, unknown> {
  return {
    ...summary.totals,
    alreadyCompacted: summary.alreadyCompacted,
    days: summary.compacted,
    recovered: summary.recovered,
    failed: summary.failed,
    archived: summary.archived,
    deferred: summary.deferred,
  };
}

/** One line for a run's totals: `compacted 2 partitions: 6 objects → 2, 9 rows → 7 (2 duplicates removed)`. */
export function compactionLine(summary: CompactionSummary): string {
  const t = summary.totals;
  const done =
    t.partitions === 0
      ? 'nothing to compact'
      : `compacted ${t.partitions} ${t.partitions === 1 ? 'partition' : 'partitions'}: ${t.objectsBefore} objects → ` +
        `${t.objectsAfter}, ${t.rowsBefore} rows → ${t.rows} (${t.duplicatesRemoved} ${t.duplicatesRemoved === 1 ? 'duplicate' : 'duplicates'} removed)`;
  const extra = [
    summary.alreadyCompacted > 0 ? `${summary.alreadyCompacted} already compacted` : '',
    summary.recovered.length > 0 ? `${summary.recovered.length} interrupted compactions finished or discarded` : '',
    summary.failed.length > 0 ? `${summary.failed.length} failed` : '',
  ].filter(Boolean);
  return extra.length > 0 ? `${done}; ${extra.join(', ')}` : done;
}

/** The human report: the totals line, a row per partition, then what was recovered and what failed. */
export function renderCompaction(summary: CompactionSummary): string {
  const lines = [compactionLine(summary)];
  if (summary.compacted.length > 0) {
    lines.push(
      '',
      renderTable(
        ['day', 'objects before', 'objects after', 'rows before', 'rows', 'duplicates removed', 'bytes after'],
        summary.compacted.map((o) => ({
          day: o.day,
          'objects before': o.objectsBefore,
          'objects after': o.objectsAfter,
          'rows before': o.rowsBefore,
          rows: o.rows,
          'duplicates removed': o.duplicatesRemoved,
          'bytes after': o.bytesAfter,
        })),
      ),
    );
  }
  for (const r of summary.recovered) {
    lines.push(`recovered ${r.day}: run ${r.runId} found ${r.state}, ${r.action}${r.reason ? ` (${r.reason})` : ''}`);
  }
  for (const f of summary.failed) lines.push(`failed ${f.day}: ${f.code}: ${f.message}`);
  return `${lines.join('\n')}\n`;
}
