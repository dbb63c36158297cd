import { recordSize, type PreparedRecord } from '../../lambda/emulator/parse-event';
import type { RecordPublisher } from '../../lambda/emulator/record-publisher';
import {
  MAX_BYTES_PER_REQUEST,
  MAX_RECORDS_PER_REQUEST,
  sendCtrs,
  type SendOptions,
} from '../../lambda/emulator/send-ctrs';
import { contentFingerprint } from '../../lambda/shared/fingerprint';
import { readSource, type CtrSource, type MalformedPiece, type Position } from '../../local-aws/ctr-sources/read-ctrs';
import { prepareOrRefuse } from '../../local-aws/pipeline/emulator-events';
import { removeCheckpoint, saveCheckpoint, type Checkpoint, type SourceProgress } from './checkpoint';
import { lakeDayOf, type LakeCheckStats, type LakeFingerprints } from './lake-fingerprints';
import { RateLimiter, type Rate } from './rate-limit';

/** Where a backfill sends: a deployment's stream, or the local pipeline in front of a local lake. */
export interface BackfillTarget {
  /** Names the target in checkpoints and messages (`stack ctr-lake stream …`, `lake /path`). */
  readonly id: string;
  /** The emulator's publisher (PutRecords) on the target's stream. */
  readonly publisher: RecordPublisher;
  readonly lake: LakeFingerprints;
  /** Records sent between two checkpoints; 0 checkpoints after every request. */
  readonly settleEvery: number;
  /**
   * Makes what the stream acknowledged so far safe to checkpoint. A deployment's stream keeps records for its
   * retention period and the checker reads them from there, so nothing is needed; the local stream lives only as
   * long as the run, so the local target drains it into the lake first.
   */
  settle(): Promise<void>;
}

export interface BackfillProgress {
  readonly read: number;
  readonly sent: number;
  readonly skippedInLake: number;
  readonly failed: number;
  readonly malformed: number;
  /** Records an earlier run had settled (from the checkpoint), passed over. */
  readonly resumed: number;
  readonly bytes: number;
  /** Sum of the sources' sizes, when every size is known. */
  readonly totalBytes: number | undefined;
}

export interface BackfillFailure {
  readonly source: string;
  readonly position: Position;
  readonly contactId: string;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/** The `--json` summary: `{ read, sent, skippedInLake, failed, malformed }` and what else a run found out. */
export interface BackfillSummary {
  readonly read: number;
  readonly sent: number;
  readonly skippedInLake: number;
  readonly failed: number;
  readonly malformed: readonly MalformedPiece[];
  readonly resumed: number;
  readonly failures: readonly BackfillFailure[];
  readonly bytes: number;
  readonly lakeCheck: LakeCheckStats;
  readonly interrupted: boolean;
  /** The checkpoint file left for a rerun (interrupted, or records to retry); null when none is left. */
  readonly checkpoint: string | null;
  readonly durationMs: number;
}

export interface BackfillOptions {
  readonly sources: readonly CtrSource[];
  readonly target: BackfillTarget;
  /** @default as fast as the stream takes it */
  readonly rate?: Rate;
  /** Where progress is kept between runs; undefined keeps none. */
  readonly checkpointPath?: string;
  /** What an earlier run of the same backfill settled (loadCheckpoint); ignored by `--restart`. */
  readonly checkpoint?: Checkpoint;
  /** Stops the run after the request in flight, with its checkpoint saved (Ctrl-C). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: BackfillProgress) => void;
  /** Passed to sendCtrs (attempts, backoff, sleep). */
  readonly sendOptions?: SendOptions;
  readonly clock?: () => number;
}

interface Pending {
  readonly record: PreparedRecord;
  readonly source: CtrSource;
  readonly ordinal: number;
  readonly position: Position;
}

interface LiveProgress {
  next: number;
  readonly retry: Set<number>;
  complete: boolean;
}

/**
 * Puts the CTRs of the sources on the target's stream through the emulator's own publishing code (sendCtrs: PutRecords
 * within the request limits, refused entries retried with backoff), skipping those the lake already holds and, after
 * an interruption, those an earlier run settled. Sources are read one after the other as streams, so memory holds one
 * request's records and a few days' fingerprints whatever the size of the history.
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillSummary> {
  return new Backfill(options).run();
}

class Backfill {
  private readonly started: number;
  private readonly limiter: RateLimiter;
  private readonly progress = new Map<string, LiveProgress>();
  private readonly counts = { read: 0, sent: 0, skippedInLake: 0, failed: 0, resumed: 0, bytes: 0 };
  private readonly malformed: MalformedPiece[] = [];
  private readonly failures: BackfillFailure[] = [];
  private readonly totalBytes: number | undefined;
  private batch: Pending[] = [];
  private batchBytes = 0;
  private sentSinceSettle = 0;

  constructor(private readonly options: BackfillOptions) {
    const clock = options.clock ?? Date.now;
    this.started = clock();
    this.limiter = new RateLimiter(options.rate, clock, options.sendOptions?.sleep);
    const sizes = options.sources.map((source) => source.size);
    this.totalBytes = sizes.every((size) => size !== undefined) ? sizes.reduce((a, b) => a! + b!, 0) : undefined;
    for (const [id, saved] of Object.entries(options.checkpoint?.sources ?? {})) {
      this.progress.set(id, { next: saved.next, retry: new Set(saved.retry), complete: saved.complete === true });
    }
  }

  async run(): Promise<BackfillSummary> {
    let interrupted = false;
    for (const source of this.options.sources) {
      interrupted = await this.readSource(source);
      if (interrupted) break;
    }
    await this.flush();
    await this.checkpoint();
    const left = interrupted || this.failures.length > 0 || [...this.progress.values()].some((p) => !p.complete);
    if (this.options.checkpointPath !== undefined && !left) await removeCheckpoint(this.options.checkpointPath);
    this.report();
    return {
      ...this.counts,
      malformed: this.malformed,
      failures: this.failures,
      lakeCheck: this.options.target.lake.stats,
      interrupted,
      checkpoint: left ? (this.options.checkpointPath ?? null) : null,
      durationMs: (this.options.clock ?? Date.now)() - this.started,
    };
  }

  /** Reads and sends one source; returns true when the run was interrupted in it. */
  private async readSource(source: CtrSource): Promise<boolean> {
    const saved = this.progress.get(source.id);
    if (saved?.complete) {
      this.counts.resumed += saved.next;
      this.counts.bytes += source.size ?? 0;
      this.report();
      return false;
    }
    const live: LiveProgress = saved ?? { next: 0, retry: new Set(), complete: false };
    this.progress.set(source.id, live);
    // What the checkpoint said before this run changes `live`: records it settled are passed over.
    const before = saved && { next: saved.next, retry: new Set(saved.retry) };
    let ordinal = 0;
    const onRawBytes = (bytes: number): void => {
      this.counts.bytes += bytes;
    };
    for await (const item of readSource(source, { onRawBytes })) {
      if (item.kind === 'malformed') {
        this.malformed.push({ source: item.source, position: item.position, reason: item.reason });
        continue;
      }
      if (this.options.signal?.aborted) {
        // This record and the rest are left for the rerun; everything before it is sent first.
        await this.flush();
        live.next = Math.max(live.next, ordinal);
        return true;
      }
      const current = ordinal++;
      if (before && current < before.next && !before.retry.has(current)) {
        this.counts.resumed += 1;
        continue;
      }
      this.counts.read += 1;
      await this.consider(item.value, source, current, item.position, live);
      this.report();
    }
    await this.flush();
    live.next = Math.max(live.next, ordinal);
    live.complete = live.retry.size === 0;
    return false;
  }

  /** One record: refused, found in the lake, or queued for the next request. */
  private async consider(
    value: Record<string, unknown>,
    source: CtrSource,
    ordinal: number,
    position: Position,
    live: LiveProgress,
  ): Promise<void> {
    const prepared = prepareOrRefuse(value);
    if (prepared.reason !== undefined) {
      this.malformed.push({ source: source.name, position, reason: prepared.reason });
      live.retry.delete(ordinal);
      return;
    }
    const day = lakeDayOf(value);
    const fingerprint = day && fingerprintOf(value);
    if (day && fingerprint && (await this.options.target.lake.holds(day, fingerprint))) {
      this.counts.skippedInLake += 1;
      live.retry.delete(ordinal);
      return;
    }
    const size = recordSize(prepared.record);
    if (this.batch.length === MAX_RECORDS_PER_REQUEST || this.batchBytes + size > MAX_BYTES_PER_REQUEST) {
      await this.flush();
    }
    // The index is the record's place in its request: sendCtrs reports failures by it.
    this.batch.push({ record: { ...prepared.record, index: this.batch.length }, source, ordinal, position });
    this.batchBytes += size;
  }

  /** Sends the queued records as one request (sendCtrs retries refused entries), then checkpoints if it is time. */
  private async flush(): Promise<void> {
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    await this.limiter.take(batch.length, this.batchBytes);
    this.batchBytes = 0;
    const report = await sendCtrs(
      batch.map((pending) => pending.record),
      this.options.target.publisher,
      this.options.sendOptions,
    );
    const failed = new Map(report.failures.map((failure) => [failure.index, failure]));
    for (const [index, pending] of batch.entries()) {
      const live = this.progress.get(pending.source.id)!;
      const failure = failed.get(index);
      if (failure === undefined) {
        this.counts.sent += 1;
        live.retry.delete(pending.ordinal);
        continue;
      }
      this.counts.failed += 1;
      live.retry.add(pending.ordinal);
      this.failures.push({
        source: pending.source.name,
        position: pending.position,
        contactId: failure.contactId,
        errorCode: failure.errorCode,
        errorMessage: failure.errorMessage,
      });
    }
    this.sentSinceSettle += batch.length;
    for (const pending of batch) {
      const live = this.progress.get(pending.source.id)!;
      live.next = Math.max(live.next, pending.ordinal + 1);
    }
    if (this.sentSinceSettle >= this.options.target.settleEvery) await this.checkpoint();
    this.report();
  }

  /** Settles the target and writes the checkpoint: what it lists as done is safe even if the run dies now. */
  private async checkpoint(): Promise<void> {
    await this.options.target.settle();
    this.sentSinceSettle = 0;
    const path = this.options.checkpointPath;
    if (path === undefined) return;
    const sources: Record<string, SourceProgress> = {};
    for (const [id, live] of this.progress) {
      sources[id] = {
        next: live.next,
        retry: [...live.retry].sort((a, b) => a - b),
        ...(live.complete ? { complete: true as const } : {}),
      };
    }
    await saveCheckpoint(path, { version: 1, target: this.options.target.id, sources });
  }

  private report(): void {
    this.options.onProgress?.({
      ...this.counts,
      malformed: this.malformed.length,
      totalBytes: this.totalBytes,
    });
  }
}

function fingerprintOf(ctr: Readonly<Record<string, unknown>>): string | undefined {
  try {
    return contentFingerprint(ctr);
  } catch {
    return undefined; // no canonical form: the checker quarantines it, which the lake cannot hold anyway
  }
}
