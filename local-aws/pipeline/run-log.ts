import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PipelineSummary } from './pipeline-options';

/**
 * What each local run counted, kept beside the lake in `<lake>/.state/runs.jsonl`: the local stand-in of the
 * checker's CloudWatch metrics, so that a kept lake can still tell its dedup funnel (CTRs in, duplicates dropped,
 * delivered, quarantined) after the run that made it has ended.
 */
export interface RunRecord extends RunCounts {
  /** When the run finished, ISO-8601 UTC. */
  readonly finishedAt: string;
}

export const RUN_COUNT_KEYS = [
  'in',
  'inBatchDuplicates',
  'storedDuplicates',
  'delivered',
  'quarantined',
  'failed',
] as const;

/** A run's counts, as its summary gives them. */
export type RunCounts = Pick<PipelineSummary, (typeof RUN_COUNT_KEYS)[number]>;

export function runLogPath(lakeDir: string): string {
  return join(lakeDir, '.state', 'runs.jsonl');
}

export async function appendRunRecord(lakeDir: string, record: RunRecord): Promise<void> {
  await mkdir(join(lakeDir, '.state'), { recursive: true });
  await appendFile(runLogPath(lakeDir), `${JSON.stringify(record)}\n`);
}

/** Every run recorded for the lake, oldest first; none when no run was recorded (a lake from elsewhere). */
export async function readRunRecords(lakeDir: string): Promise<RunRecord[]> {
  let text: string;
  try {
    text = await readFile(runLogPath(lakeDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => parseRecord(line, i + 1, lakeDir));
}

function parseRecord(line: string, lineNumber: number, lakeDir: string): RunRecord {
  const fail = (): never => {
    throw new Error(`${runLogPath(lakeDir)} line ${lineNumber} is not a run record: ${line.slice(0, 80)}`);
  };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return fail();
  }
  const record = value as Partial<Record<string, unknown>>;
  if (typeof record.finishedAt !== 'string') return fail();
  for (const key of RUN_COUNT_KEYS) if (!Number.isInteger(record[key])) return fail();
  return value as RunRecord;
}
