import { compactLocalLake } from '../../local-aws/lake/compact-local-lake';
import type { LakeFormat } from '../../local-aws/lake/lake-format';
import type { CompactionTotals } from '../../lambda/compaction/run';

/**
 * One compaction run in a process of its own, so that its wall time and peak RSS are the job's alone, with DuckDB
 * held to the memory the Lambda gives it. The parent (compaction-process.ts) sends the job and gets the result back.
 */
export interface CompactionJob {
  readonly lakeDir: string;
  readonly format: LakeFormat;
  readonly duckDbMemoryMb: number;
}

export interface CompactionJobResult {
  readonly kind: 'result';
  readonly ms: number;
  /** CPU time of the process (all of DuckDB's threads): what the run costs on a machine that is not shared. */
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly totals: CompactionTotals;
  readonly failed: number;
}

process.once('message', (job: CompactionJob) => {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  compactLocalLake({ lakeDir: job.lakeDir, format: job.format, duckDb: { memoryLimit: `${job.duckDbMemoryMb}MB` } })
    .then((summary) => {
      const result: CompactionJobResult = {
        kind: 'result',
        ms: performance.now() - started,
        cpuMs: ((cpu) => (cpu.user + cpu.system) / 1000)(process.cpuUsage(cpuBefore)),
        peakRssMb: process.resourceUsage().maxRSS / 1024,
        totals: summary.totals,
        failed: summary.failed.length,
      };
      process.send?.(result, () => process.exit(0));
    })
    .catch((error: unknown) => {
      process.send?.({ kind: 'error', message: error instanceof Error ? error.message : String(error) }, () =>
        process.exit(1),
      );
    });
});
