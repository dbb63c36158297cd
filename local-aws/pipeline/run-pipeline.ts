import { join } from 'node:path';
import { listSources, type CtrSource, type MalformedPiece } from '../ctr-sources/read-ctrs';
import { LambdaInvocationError } from '../lambda-runtime/errors';
import { summarizeQuarantine } from '../quarantine/quarantine-summary';
import type { QuarantinedRecord } from '../quarantine/quarantined-record';
import { readQuarantine } from '../quarantine/read-quarantine';
import { LakeQueryRunner } from '../query/lake-query-runner';
import { emulatorEvents } from './emulator-events';
import { LocalPipeline } from './local-pipeline';
import type { PipelineSummary, RunPipelineOptions } from './pipeline-options';
import { DEFAULT_SAMPLES, SamplesFileError } from './sample-events';
import { appendRunRecord, type RunCounts } from './run-log';
import { DEFAULT_TIME_ZONE } from '../../lib/config/time-zone';

/**
 * Runs the reference scenario (or the given samples/events) end to end on local servers and returns the summary:
 * counts from what the local services observed, the lake's row count, every named query's result, the malformed
 * pieces of the samples and the records quarantined in this run, counted by reason.
 *
 * Samples (files and directories) are listed before anything starts, so a missing one fails fast (SourceError), and
 * read with the streaming CTR reader: any layout it reads, in constant memory, malformed pieces reported instead of
 * failing the run.
 */
export async function runLocalPipeline(options: RunPipelineOptions): Promise<PipelineSummary> {
  const specs = options.samples ?? (options.events ? [] : [DEFAULT_SAMPLES]);
  const sources = await listSources(specs, options.cwd !== undefined ? { cwd: options.cwd } : {});
  const totalBytes = sources.reduce((sum, source) => sum + (source.size ?? 0), 0);

  const pipeline = await LocalPipeline.start(options);
  options.onStarted?.(pipeline);
  try {
    const malformed = await sendSamples(pipeline, sources, totalBytes, options);
    for (const [i, event] of (options.events ?? []).entries()) {
      await pipeline.send(event);
      options.onProgress?.({ stage: 'send', done: i + 1, total: options.events!.length });
    }
    await pipeline.drain();
    await pipeline.flush();
    // Stopped before reporting: the functions exit by themselves, so their last metrics are counted.
    await pipeline.stop();

    const quarantined = await readQuarantined(pipeline);
    const { in: received, inBatchDuplicates, storedDuplicates, delivered, failed } = pipeline.counts();
    const counts: RunCounts = {
      in: received,
      inBatchDuplicates,
      storedDuplicates,
      delivered,
      quarantined: pipeline.errorRecords,
      failed,
    };
    await appendRunRecord(pipeline.lakeDir, { finishedAt: new Date().toISOString(), ...counts });
    const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
    const runner = await LakeQueryRunner.open({ lakeDir: pipeline.lakeDir, timeZone });
    try {
      const rows = await runner.rowCount();
      const queries =
        options.queries === false
          ? {}
          : Object.fromEntries(Object.entries(await runner.runAll()).map(([name, result]) => [name, [...result.rows]]));
      return {
        ...counts,
        rows,
        lake: pipeline.lakeDir,
        format: options.format ?? 'parquet',
        malformed,
        quarantine: await summarizeQuarantine(quarantined, sources),
        pii: pipeline.pii,
        queries,
        timeZone,
        details: pipeline.details(),
      };
    } finally {
      runner.close();
    }
  } finally {
    await pipeline.stop();
  }
}

/** Sends the samples' records as emulator events; returns the pieces that could not be sent, with why. */
async function sendSamples(
  pipeline: LocalPipeline,
  sources: readonly CtrSource[],
  totalBytes: number,
  options: RunPipelineOptions,
): Promise<MalformedPiece[]> {
  const malformed: MalformedPiece[] = [];
  let read = 0;
  const onRawBytes = (bytes: number): void => {
    read += bytes;
    options.onProgress?.({ stage: 'read', done: read, total: totalBytes });
  };
  for await (const item of emulatorEvents(sources, { onRawBytes })) {
    if (item.kind === 'malformed') malformed.push(item.piece);
    else await sendEvent(pipeline, item.records, item.sources.join(', '));
  }
  return malformed;
}

/** The records this run put under the error prefix, decoded. */
async function readQuarantined(pipeline: LocalPipeline): Promise<QuarantinedRecord[]> {
  if (pipeline.errorObjects.length === 0) return [];
  const objects = await listSources(pipeline.errorObjects.map((key) => join(pipeline.lakeDir, key)));
  const records: QuarantinedRecord[] = [];
  for await (const item of readQuarantine(objects)) if (item.kind === 'record') records.push(item.record);
  return records;
}

/** Sends one event; the emulator refusing records read from files is those files' fault, and says why. */
async function sendEvent(pipeline: LocalPipeline, event: unknown, file: string): Promise<void> {
  try {
    await pipeline.send(event);
  } catch (error) {
    if (error instanceof LambdaInvocationError && error.errorType === 'InvalidEventError') {
      const reason = error.cause instanceof Error ? error.cause.message : error.message;
      throw new SamplesFileError(file, `the emulator refused records of ${file}: ${reason}`, { cause: error });
    }
    throw error;
  }
}
