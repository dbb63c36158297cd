import { formatBytes } from '../shared/athena-rows';
import { formatPosition, renderMalformed } from '../shared/source-positions';
import type { BackfillProgress, BackfillSummary } from './run-backfill';

const count = (n: number): string => n.toLocaleString('en-US');

/** `1m05s`, `42s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

/**
 * The progress line: records read, sent, skipped (already in the lake), failed, records/s, bytes read and, when the
 * sources' sizes are known, an ETA from the bytes still to read at the pace so far.
 */
export function formatProgress(progress: BackfillProgress, elapsedMs: number): string {
  const seconds = Math.max(elapsedMs / 1000, 0.001);
  const parts = [
    `read ${count(progress.read)}`,
    `sent ${count(progress.sent)}`,
    `skipped ${count(progress.skippedInLake)}`,
    `failed ${count(progress.failed)}`,
  ];
  if (progress.malformed > 0) parts.push(`malformed ${count(progress.malformed)}`);
  if (progress.resumed > 0) parts.push(`resumed past ${count(progress.resumed)}`);
  parts.push(`${count(Math.round(progress.read / seconds))} records/s`);
  const { totalBytes, bytes } = progress;
  if (totalBytes !== undefined && totalBytes > 0) {
    parts.push(`${formatBytes(bytes)} of ${formatBytes(totalBytes)}`);
    if (bytes > 0 && bytes < totalBytes)
      parts.push(`ETA ${formatDuration(((totalBytes - bytes) / bytes) * elapsedMs)}`);
  } else {
    parts.push(formatBytes(bytes));
  }
  return parts.join(' · ');
}

/** The text summary: counts, the lake check's cost, every problem with where it is, and what is left to do. */
export function renderBackfill(summary: BackfillSummary, context: { target: string; rows?: number }): string {
  const lines = [
    `Backfill into ${context.target}${summary.interrupted ? ' (interrupted)' : ''}`,
    '',
    `  read                      ${count(summary.read).padStart(9)}`,
    `  sent                      ${count(summary.sent).padStart(9)}`,
    `  skipped (in the lake)     ${count(summary.skippedInLake).padStart(9)}`,
    `  failed                    ${count(summary.failed).padStart(9)}`,
    `  malformed                 ${count(summary.malformed.length).padStart(9)}`,
  ];
  if (summary.resumed > 0) lines.push(`  settled by an earlier run ${count(summary.resumed).padStart(9)}`);
  const check = summary.lakeCheck;
  lines.push(
    '',
    `${formatBytes(summary.bytes)} read in ${formatDuration(summary.durationMs)}. Lake check: ` +
      `${check.queries} day ${check.queries === 1 ? 'query' : 'queries'}, ${count(check.fingerprints)} ` +
      `fingerprints found, ${formatBytes(check.bytesScanned)} scanned.`,
  );
  if (context.rows !== undefined) lines.push(`The lake holds ${count(context.rows)} rows.`);
  if (summary.malformed.length > 0) lines.push('', 'Malformed (not sent):', ...renderMalformed(summary.malformed));
  if (summary.failures.length > 0) {
    lines.push('', 'Not accepted by the stream after every retry:');
    for (const failure of summary.failures.slice(0, 5)) {
      lines.push(
        `  ${formatPosition(failure.source, failure.position)} ContactId ${failure.contactId}: ${failure.errorCode}`,
      );
    }
    if (summary.failures.length > 5) lines.push(`  … ${summary.failures.length - 5} more (--json lists them all)`);
  }
  if (summary.checkpoint !== null) {
    const why = summary.interrupted ? 'resume' : 'retry what failed';
    lines.push('', `Checkpoint kept in ${summary.checkpoint}: run the same command again to ${why}.`);
  }
  return `${lines.join('\n')}\n`;
}
