import { appendFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LAKE_DATA_PREFIX, type PartitionKeys } from '../../lambda/shared/row-schema';
import { compactLocalLake } from '../../local-aws/lake/compact-local-lake';
import { LakeWriter } from '../../local-aws/lake/lake-writer';
import { runCompactionProcess } from './compaction-process';
import { oneDayRead, transformSyntheticCtrs, type OneDayRead } from './lake-scan';
import { nowMs } from './stats';

/** S3 Lifecycle does not transition objects smaller than this (to Intelligent-Tiering, Glacier IR, ...) by default. */
export const LIFECYCLE_MINIMUM_BYTES = 128 * 1024;

export interface CompactionBenchOptions {
  readonly workDir: string;
  readonly seed: number;
  /** The scan section's lake: `ctrs` CTRs over `days` days. */
  readonly lake: { readonly ctrs: number; readonly days: number };
  /** Day sizes (CTRs a day) whose smallest compacted object is measured. */
  readonly perDay: readonly number[];
  readonly transformBatchRecords: number;
  /** Firehose's buffer interval (cdk.json): one object per partition per flush. */
  readonly flushSeconds: number;
  /** DuckDB's memory in the compaction Lambda (half of ctrLake:compactionMemoryMb). */
  readonly duckDbMemoryMb: number;
  readonly onProgress?: (message: string) => void;
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface CompactionLakeFigures {
  readonly ctrs: number;
  readonly days: number;
  readonly objectsPerDayBefore: Spread;
  readonly objectsPerDayAfter: Spread;
  /** The middle day: what the one-day count reads before and after, and that it answers the same. */
  readonly oneDay: {
    readonly partition: string;
    readonly before: Pick<OneDayRead, 'bytes' | 'footerBytes' | 'partitionBytes' | 'counted' | 'calls'> & {
      readonly objects: number;
    };
    readonly after: Pick<OneDayRead, 'bytes' | 'footerBytes' | 'partitionBytes' | 'counted' | 'calls'> & {
      readonly objects: number;
    };
  };
  /** The job's wall time on the middle day, in this process. */
  readonly compactionMs: number;
}

export interface DaySizeFigures {
  readonly ctrsPerDay: number;
  readonly objectsBefore: number;
  readonly bytesBefore: number;
  readonly objectsAfter: number;
  readonly smallestObjectBytes: number;
  readonly largestObjectBytes: number;
  readonly clearsLifecycleMinimum: boolean;
  /** One compaction run of the day, in a process of its own with DuckDB held to the Lambda's memory: wall time. */
  readonly compactionMs: number;
  /** Its CPU time: on a shared machine the wall time overstates what the run needs. */
  readonly compactionCpuMs: number;
  readonly peakRssMb: number;
}

export interface CompactionBenchFigures {
  readonly flushSeconds: number;
  readonly duckDbMemoryMb: number;
  readonly lake: CompactionLakeFigures;
  readonly perDay: readonly DaySizeFigures[];
}

/**
 * What the nightly compaction does to a lake as Firehose writes it. A lake is first laid out as Firehose would:
 * each CTR arrives when its contact last changed (LastUpdateTimestamp) and each buffer flush writes one Parquet
 * object per day partition it holds rows for. Then the compaction job (the same code as the Lambda) rewrites it.
 * Measured: objects per day partition and the bytes the one-day count reads, before and after, on the scan
 * section's 100,000-CTR/30-day lake; and, per day size, the smallest object the compaction leaves, against the
 * 128 KB below which lifecycle rules move nothing, with the job's time and peak memory.
 */
export async function measureCompaction(options: CompactionBenchOptions): Promise<CompactionBenchFigures> {
  const progress = options.onProgress ?? (() => undefined);
  progress(`compaction: ${options.lake.ctrs} CTRs over ${options.lake.days} days, as Firehose flushes them`);
  const lake = await measureLake(options);

  const perDay: DaySizeFigures[] = [];
  for (const ctrsPerDay of options.perDay) {
    progress(`compaction: one day of ${ctrsPerDay} CTRs`);
    const dayDir = join(options.workDir, `compaction-day-${ctrsPerDay}`);
    const groupsDir = join(options.workDir, 'compaction-groups');
    await writeFlushObjects(
      (await flushGroups(options, { ctrs: ctrsPerDay, days: 1 }, groupsDir)).values(),
      dayDir,
      options.flushSeconds,
    );
    await rm(groupsDir, { recursive: true, force: true });
    // The generated day's partition (a transferred call's second leg can start after midnight: a few rows of the
    // next day are left out of the figures).
    const day = await largestDay(dayDir);
    const before = await objectSizes(dayDir, day);
    const run = await runCompactionProcess(options.workDir, {
      lakeDir: dayDir,
      format: 'parquet',
      duckDbMemoryMb: options.duckDbMemoryMb,
    });
    if (run.failed > 0) throw new Error(`the compaction of a ${ctrsPerDay}-CTR day failed`);
    const after = await objectSizes(dayDir, day);
    perDay.push({
      ctrsPerDay,
      objectsBefore: before.length,
      bytesBefore: sum(before),
      objectsAfter: after.length,
      smallestObjectBytes: Math.min(...after),
      largestObjectBytes: Math.max(...after),
      clearsLifecycleMinimum: Math.min(...after) >= LIFECYCLE_MINIMUM_BYTES,
      compactionMs: run.ms,
      compactionCpuMs: run.cpuMs,
      peakRssMb: run.peakRssMb,
    });
    await rm(dayDir, { recursive: true, force: true });
  }
  return { flushSeconds: options.flushSeconds, duckDbMemoryMb: options.duckDbMemoryMb, lake, perDay };
}

/**
 * The 30-day lake: objects per day partition before, from the flush model over every day; the middle day written as
 * those objects, its one-day count's bytes measured, then compacted by the job and measured again.
 */
async function measureLake(options: CompactionBenchOptions): Promise<CompactionLakeFigures> {
  const groupsDir = join(options.workDir, 'compaction-groups');
  const groups = [...(await flushGroups(options, options.lake, groupsDir)).values()];
  const perDay = new Map<string, number>();
  for (const group of groups) perDay.set(group.day, (perDay.get(group.day) ?? 0) + 1);
  const names = [...perDay.keys()].sort();
  const middle = names[Math.floor(names.length / 2)]!;
  const dayGroups = groups.filter((group) => group.day === middle);
  const keys = dayGroups[0]!.keys;
  const lakeDir = join(options.workDir, 'compaction-lake');
  // One object of another day too, so that the count's plan shows partition pruning at work (and says so).
  const neighbour = groups.find((group) => group.day !== middle);
  await writeFlushObjects([...dayGroups, ...(neighbour ? [neighbour] : [])], lakeDir, options.flushSeconds);
  await rm(groupsDir, { recursive: true, force: true });

  const readBefore = await oneDayRead(lakeDir, keys);
  const started = nowMs();
  const summary = await compactLocalLake({
    lakeDir,
    format: 'parquet',
    duckDb: { memoryLimit: `${options.duckDbMemoryMb}MB` },
  });
  const compactionMs = nowMs() - started;
  if (summary.failed.length > 0) throw new Error(`the compaction failed: ${summary.failed[0]?.message}`);
  const readAfter = await oneDayRead(lakeDir, keys);
  await rm(lakeDir, { recursive: true, force: true });
  if (readAfter.counted !== readBefore.counted || readAfter.calls !== readBefore.calls) {
    throw new Error(
      `the one-day count changed: ${readBefore.calls} calls before the compaction, ${readAfter.calls} after`,
    );
  }
  const pickRead = (read: OneDayRead) => ({
    bytes: read.bytes,
    footerBytes: read.footerBytes,
    partitionBytes: read.partitionBytes,
    counted: read.counted,
    calls: read.calls,
    objects: read.files.length,
  });
  return {
    ctrs: options.lake.ctrs,
    days: names.length,
    objectsPerDayBefore: spread([...perDay.values()]),
    // Every day of this lake is far below the 256 MiB bound: one object each, as the middle day shows.
    objectsPerDayAfter: spread(names.map(() => readAfter.files.length)),
    oneDay: { partition: middle, before: pickRead(readBefore), after: pickRead(readAfter) },
    compactionMs,
  };
}

/** One buffer flush's rows for one day partition: one object, as Firehose writes it. */
interface FlushGroup {
  readonly day: string;
  readonly keys: PartitionKeys;
  readonly flush: number;
  readonly file: string;
  pending: Buffer[];
  pendingBytes: number;
}

/** Rows kept in memory per group before they go to its file: bounds memory for a million-CTR day. */
const GROUP_BUFFER_BYTES = 64 * 1024;
const ARRIVAL = /"(last_update_timestamp|disconnect_timestamp|initiation_timestamp)":"([^"]+)"/g;

/**
 * Sorts synthetic CTRs, through the real transform, into Firehose's objects: each row goes into the buffer flush
 * that its arrival falls in (LastUpdateTimestamp, else DisconnectTimestamp, else InitiationTimestamp: a CTR is
 * published when its contact last changed), one object per flush and day partition. Rows wait in one file per
 * object, so a large day is never held in memory.
 */
async function flushGroups(
  options: CompactionBenchOptions,
  size: { readonly ctrs: number; readonly days: number },
  dir: string,
): Promise<Map<string, FlushGroup>> {
  await mkdir(dir, { recursive: true });
  const groups = new Map<string, FlushGroup>();
  const spill = (group: FlushGroup): void => {
    if (group.pending.length === 0) return;
    appendFileSync(group.file, Buffer.concat(group.pending));
    group.pending = [];
    group.pendingBytes = 0;
  };
  transformSyntheticCtrs(
    { seed: options.seed, ctrs: size.ctrs, days: size.days, transformBatchRecords: options.transformBatchRecords },
    (keys, line) => {
      const flush = Math.floor(arrivalMs(line) / 1000 / options.flushSeconds);
      const day = `${keys.year}-${keys.month}-${keys.day}`;
      const id = `${day}|${flush}`;
      let group = groups.get(id);
      if (!group) {
        group = { day, keys, flush, file: join(dir, `${groups.size}.jsonl`), pending: [], pendingBytes: 0 };
        groups.set(id, group);
      }
      group.pending.push(line);
      group.pendingBytes += line.length;
      if (group.pendingBytes >= GROUP_BUFFER_BYTES) spill(group);
    },
  );
  for (const group of groups.values()) spill(group);
  return groups;
}

/** Writes the objects of the given days with the local lake writer (Snappy Parquet, Firehose's names). */
async function writeFlushObjects(groups: Iterable<FlushGroup>, lakeDir: string, flushSeconds: number): Promise<void> {
  const writer = new LakeWriter({ lakeDir, format: 'parquet', streamName: 'ctr-lake-bench' });
  try {
    for (const group of groups) {
      const text = await readFile(group.file);
      const lines: Buffer[] = [];
      let start = 0;
      for (let end = text.indexOf(0x0a); end >= 0; end = text.indexOf(0x0a, start)) {
        lines.push(text.subarray(start, end + 1));
        start = end + 1;
      }
      const report = await writer.writeRows(group.keys, lines, new Date((group.flush + 1) * flushSeconds * 1000));
      if (report.refused.length > 0) throw new Error(`${report.refused.length} synthetic rows did not convert`);
    }
  } finally {
    await writer.close();
  }
}

function arrivalMs(line: Buffer): number {
  const found: Record<string, string> = {};
  for (const match of line.toString('utf8').matchAll(ARRIVAL)) found[match[1]!] = match[2]!;
  const text = found.last_update_timestamp ?? found.disconnect_timestamp ?? found.initiation_timestamp;
  return Date.parse(`${text?.replace(' ', 'T')}Z`);
}

/** Object sizes by day (`YYYY-MM-DD`) under a lake's table location. */
async function objectsPerDay(lakeDir: string): Promise<Map<string, number[]>> {
  const days = new Map<string, number[]>();
  const root = join(lakeDir, LAKE_DATA_PREFIX);
  for (const year of await readdir(root)) {
    for (const month of await readdir(join(root, year))) {
      for (const day of await readdir(join(root, year, month))) {
        const dir = join(root, year, month, day);
        const sizes = await Promise.all((await readdir(dir)).map(async (name) => (await stat(join(dir, name))).size));
        const label = `${year.slice(5)}-${month.slice(6)}-${day.slice(4)}`;
        days.set(label, sizes);
      }
    }
  }
  return days;
}

async function objectSizes(lakeDir: string, day: string): Promise<number[]> {
  return (await objectsPerDay(lakeDir)).get(day) ?? [];
}

/** The day partition holding the most bytes. */
async function largestDay(lakeDir: string): Promise<string> {
  const days = [...(await objectsPerDay(lakeDir))].map(([day, sizes]) => ({ day, bytes: sum(sizes) }));
  return days.sort((a, b) => b.bytes - a.bytes)[0]!.day;
}

function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)] ?? 0,
    min: sorted[0] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
