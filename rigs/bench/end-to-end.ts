import { contentFingerprint } from '../../lambda/shared/fingerprint';
import { LocalPipeline } from '../../local-aws/pipeline/local-pipeline';
import { LakeQueryRunner } from '../../local-aws/query/lake-query-runner';
import { deliveryStream } from '../synthetic/ctr-generator';
import { syntheticCtrs } from './bench-stream';
import { nowMs } from './stats';

export interface EndToEndOptions {
  readonly lakeDir: string;
  readonly seed: number;
  /** Records sent, duplicates included. */
  readonly records: number;
  readonly duplicateRate: number;
  /** CTRs per emulator invocation (it puts them in PutRecords calls of at most 500). */
  readonly eventRecords: number;
}

export interface EndToEndFigures {
  readonly records: number;
  readonly unique: number;
  readonly recordsPerSecond: number;
  readonly ms: number;
  /** Rows the lake holds afterwards: must equal `unique`. */
  readonly rows: number;
  readonly checkerInvocations: number;
  readonly objectsWritten: number;
}

/**
 * The whole local pipeline on real handlers (emulator → kinesalite → event source → checker → dynalite + local
 * Firehose → transform → Parquet lake), fed with the shared generator's delivery stream (duplicates at the given
 * rate, half of them re-serialized with their keys reordered). Timed from the first send until Firehose has
 * flushed the last row; the servers' start and the final lake query are outside the timing. Locally the stages run
 * one after another (send everything, drain the stream, flush Firehose), so this is a lower bound of a deployment,
 * where they overlap.
 */
export async function measureEndToEnd(options: EndToEndOptions): Promise<EndToEndFigures> {
  const unique = Math.round(options.records * (1 - options.duplicateRate));
  const ctrs = syntheticCtrs(unique, { seed: options.seed, days: 7 });
  const deliveries = deliveryStream(ctrs, { seed: options.seed, duplicateRate: options.duplicateRate });
  const distinct = new Set(ctrs.map((ctr) => contentFingerprint(ctr))).size;
  const events: unknown[][] = [];
  for (let i = 0; i < deliveries.length; i += options.eventRecords) {
    events.push(deliveries.slice(i, i + options.eventRecords).map((d) => JSON.parse(d.text) as unknown));
  }

  const pipeline = await LocalPipeline.start({ lakeDir: options.lakeDir });
  let ms: number;
  try {
    const start = nowMs();
    for (const event of events) await pipeline.send(event);
    await pipeline.drain();
    await pipeline.flush();
    ms = nowMs() - start;
  } finally {
    await pipeline.stop();
  }
  const details = pipeline.details();

  const runner = await LakeQueryRunner.open({ lakeDir: pipeline.lakeDir });
  let rows: number;
  try {
    rows = await runner.rowCount();
  } finally {
    runner.close();
  }
  if (rows !== distinct) throw new Error(`the lake holds ${rows} rows for ${distinct} distinct CTRs`);
  return {
    records: deliveries.length,
    unique: distinct,
    recordsPerSecond: deliveries.length / (ms / 1000),
    ms,
    rows,
    checkerInvocations: details.checkerInvocations,
    objectsWritten: details.objectsWritten,
  };
}
