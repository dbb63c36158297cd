import { compactLocalLake } from '../lake/compact-local-lake';
import { LakeQueryRunner } from '../query/lake-query-runner';
import { LocalPipeline } from './local-pipeline';
import type { PipelineSummary, RunPipelineOptions } from './pipeline-options';
import { DEFAULT_SAMPLES, readSampleEvents, SamplesFileError } from './sample-events';
import { LambdaInvocationError } from '../lambda-runtime/errors';

/**
 * Runs the reference scenario (or the given samples/events) end to end on local servers and returns the summary:
 * counts from what the local services observed, the lake's row count and every named query's result.
 * Samples files are all read before anything starts, so a bad file fails fast (SamplesFileError).
 */
export async function runLocalPipeline(options: RunPipelineOptions): Promise<PipelineSummary> {
  const files = options.samples ?? (options.events ? [] : [DEFAULT_SAMPLES]);
  const fromFiles = await Promise.all(files.map((file) => readSampleEvents(file)));
  const events: { event: unknown; file?: string }[] = [
    ...fromFiles.flatMap((sample) => sample.events.map((event) => ({ event, file: sample.file }))),
    ...(options.events ?? []).map((event) => ({ event })),
  ];
  const total = fromFiles.reduce((sum, sample) => sum + sample.records, 0) + (options.events ?? []).length;

  const pipeline = await LocalPipeline.start(options);
  options.onStarted?.(pipeline);
  try {
    let sent = 0;
    for (const { event, file } of events) {
      const answer = await sendEvent(pipeline, event, file);
      sent += answer.sent + answer.failed;
      options.onProgress?.({ stage: 'send', done: Math.min(sent, total), total });
    }
    await pipeline.drain();
    await pipeline.flush();
    // Stopped before reporting: the functions exit by themselves, so their last metrics are counted.
    await pipeline.stop();
    const compaction = options.compact
      ? await compactLocalLake({ lakeDir: pipeline.lakeDir, format: options.format ?? 'parquet' })
      : undefined;

    const runner = await LakeQueryRunner.open({ lakeDir: pipeline.lakeDir });
    try {
      const rows = await runner.rowCount();
      const queries =
        options.queries === false
          ? {}
          : Object.fromEntries(Object.entries(await runner.runAll()).map(([name, result]) => [name, [...result.rows]]));
      const counts = pipeline.counts();
      return {
        in: counts.in,
        inBatchDuplicates: counts.inBatchDuplicates,
        storedDuplicates: counts.storedDuplicates,
        delivered: counts.delivered,
        quarantined: pipeline.errorRecords,
        failed: counts.failed,
        rows,
        lake: pipeline.lakeDir,
        format: options.format ?? 'parquet',
        queries,
        ...(compaction ? { compaction } : {}),
        details: pipeline.details(),
      };
    } finally {
      runner.close();
    }
  } finally {
    await pipeline.stop();
  }
}

/** Sends one event; the emulator refusing an event read from a file is that file's fault, and says why. */
async function sendEvent(
  pipeline: LocalPipeline,
  event: unknown,
  file: string | undefined,
): Promise<{ sent: number; failed: number }> {
  try {
    return await pipeline.send(event);
  } catch (error) {
    if (file !== undefined && error instanceof LambdaInvocationError && error.errorType === 'InvalidEventError') {
      const reason = error.cause instanceof Error ? error.cause.message : error.message;
      throw new SamplesFileError(file, `the emulator refused samples file ${file}: ${reason}`, { cause: error });
    }
    throw error;
  }
}
