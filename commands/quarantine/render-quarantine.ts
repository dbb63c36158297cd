import type { MalformedPiece, Position } from '../../local-aws/ctr-sources/read-ctrs';
import type { QuarantinedRecord, RedriveVerdict } from '../../local-aws/quarantine/quarantined-record';
import { formatBytes } from '../shared/athena-rows';
import { formatPosition, renderMalformed } from '../shared/source-positions';
import { renderTable } from '../shared/text-table';
import type { RedriveEntry, RedriveReport } from './redrive';

/** What the listing keeps of each record: no content, so that the listing of a large error prefix stays small. */
export interface ListedRecord {
  readonly number: number;
  readonly object: string;
  readonly position: Position;
  readonly time: string | null;
  readonly outputType: string;
  readonly reason: string;
  readonly detail: string;
  readonly errorCode: string;
  readonly contactId: string | null;
  readonly size: number;
}

export function listedRecord(number: number, record: QuarantinedRecord): ListedRecord {
  return {
    number,
    object: record.object,
    position: record.position,
    time: record.time ?? null,
    outputType: record.outputType,
    reason: record.reason,
    detail: record.detail,
    errorCode: record.errorCode,
    contactId: record.contactId ?? null,
    size: record.original.length,
  };
}

/** Records listed as a table in text; `--json` lists them all. */
export const TABLE_ROWS = 50;

/** The listing: one line per record (time, reason, contact id, size), then the count per reason. */
export function renderListing(
  records: readonly ListedRecord[],
  total: number,
  malformed: readonly MalformedPiece[],
  where: string,
): string {
  if (total === 0 && malformed.length === 0) return `Nothing under ${where}: no record was quarantined.\n`;
  const rows = records.slice(0, TABLE_ROWS).map((r) => ({
    '#': r.number,
    time: r.time?.replace('T', ' ').replace(/\.\d+Z$/, 'Z') ?? '',
    type: r.outputType,
    reason: r.reason,
    'contact id': r.contactId ?? '',
    size: formatBytes(r.size),
  }));
  const lines = [
    `${total} quarantined ${total === 1 ? 'record' : 'records'} under ${where} (oldest first)`,
    '',
    renderTable(['#', 'time', 'type', 'reason', 'contact id', 'size'], rows, { maxCellWidth: 40 }),
  ];
  if (total > TABLE_ROWS) lines.push(`… ${total - TABLE_ROWS} more (--json lists them all)`);
  const byReason = new Map<string, number>();
  for (const record of records) byReason.set(record.reason, (byReason.get(record.reason) ?? 0) + 1);
  lines.push('', 'By reason:', ...[...byReason].sort((a, b) => b[1] - a[1]).map(([r, n]) => `  ${r} ×${n}`));
  if (malformed.length > 0) lines.push('', 'Lines that could not be read:', ...renderMalformed(malformed));
  lines.push('', '--show N prints a record decoded; --redrive sends back those worth sending.');
  return `${lines.join('\n')}\n`;
}

/** The original record for a person to read: pretty JSON when it is JSON, its text when UTF-8, else base64. */
export function originalForDisplay(original: Buffer): unknown {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(original);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return Buffer.from(text, 'utf8').equals(original) ? text : { base64: original.toString('base64') };
  }
}

const REDRIVE_ACTION: Record<RedriveVerdict['action'], string> = {
  stream: 'would send it back on the stream',
  firehose: 'would put it back on the delivery stream',
  leave: 'would leave it',
};

/** One record, decoded: where it is, why it is there, what a redrive would do, and the record itself. */
export function renderShown(listed: ListedRecord, record: QuarantinedRecord, verdict: RedriveVerdict): string {
  const fields: [string, string][] = [
    ['time', listed.time ?? 'unknown'],
    ['firehose error', `${record.errorCode}${record.errorMessage ? `: ${record.errorMessage}` : ''}`],
    ['reason', `${record.reason}${record.detail ? `: ${record.detail}` : ''}`],
    ['contact id', record.contactId ?? '(none)'],
    ['sequence number', record.sequenceNumber ?? '(unknown)'],
    ['size', `${record.original.length} bytes${record.complete ? '' : ' (only the start of the record was kept)'}`],
    ['redrive', `${REDRIVE_ACTION[verdict.action]}: ${verdict.why}`],
  ];
  const width = Math.max(...fields.map(([name]) => name.length));
  const original = originalForDisplay(record.original);
  return [
    `Record ${listed.number}: ${formatPosition(record.object, record.position)}`,
    ...fields.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`),
    '',
    'Original record:',
    typeof original === 'string' ? original : JSON.stringify(original, null, 2),
    '',
  ].join('\n');
}

/** What a redrive sent, where, and what it left with why. */
export function renderRedrive(report: RedriveReport): string {
  const section = (title: string, entries: readonly RedriveEntry[], withWhy: boolean): string[] =>
    entries.length === 0
      ? []
      : [
          '',
          `${title} (${entries.length}):`,
          ...entries
            .slice(0, TABLE_ROWS)
            .map(
              (e) =>
                `  #${e.number} ${e.reason}${e.contactId ? ` ContactId ${e.contactId}` : ''}${withWhy ? `: ${e.why}` : ''}`,
            ),
          ...(entries.length > TABLE_ROWS ? [`  … ${entries.length - TABLE_ROWS} more (--json lists them all)`] : []),
        ];
  const sent = report.toStream.length + report.toFirehose.length;
  return `${[
    `Redrive: ${sent} sent back (${report.toStream.length} to the stream, ${report.toFirehose.length} to the delivery ` +
      `stream), ${report.alreadyInLake.length} already in the lake, ${report.left.length} left, ` +
      `${report.failed.length} failed.`,
    ...section('Sent to the stream (the checker quarantined them and accepts them now)', report.toStream, false),
    ...section('Sent to the delivery stream (their CTR passed the checker)', report.toFirehose, true),
    ...section('Not sent: their CTR is in the lake already', report.alreadyInLake, false),
    ...section('Left under errors/', report.left, true),
    ...section('Refused when sent back', report.failed, true),
  ].join('\n')}\n`;
}
