/**
 * `npm run bench` (`-- --json` for one machine-readable object, `-- --json-out FILE` for both): performance and cost of ctr-lake's dedup pipeline
 * measured side by side with its peers (the public sample's check-then-write design, re-implemented, and the
 * published Powertools idempotency + batch utilities, run as they are), in one run, on local servers. See README
 * "Performance" and rigs/bench/. Progress goes to stderr, the table (or the JSON) to stdout. It asserts nothing
 * beyond each design delivering the stream's unique set: correctness is `npm test`'s job.
 */
import '../commands/shared/sdk-node-warning';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBenchJson, renderTable, type BenchInputs } from './bench/bench-report';
import { syntheticCtrs } from './bench/bench-stream';
import { runCheckerBench } from './bench/checker-bench';
import { readProjectConfig } from '../lib/config/project-config';
import { measureCompaction } from './bench/compaction-bench';
import {
  compactionInputs,
  costAssumptions,
  dedupStoreComparison,
  designCosts,
  workloadMeasurements,
} from './bench/cost-inputs';
import { compactionCostPerMillion } from '../lib/cost/cost-model';
import { measureEndToEnd } from './bench/end-to-end';
import { measureFingerprintCpu } from './bench/fingerprint-bench';
import { measureLakeScan } from './bench/lake-scan';
import { nowMs } from './bench/stats';
import { installedVersions } from './bench/versions';

/** Every knob of the bench in one place; the issue fixes most of them. */
const SETTINGS = {
  seed: 20260302,
  fingerprintCtrs: 3000,
  fingerprintRounds: 7,
  stream: { records: 10_000, batchSize: 100, duplicateRate: 0.3 },
  /** Loopback timing: runs × the stream's first batches (the whole stream runs once for the request economy). */
  runs: 5,
  timedBatches: 20,
  marginalBatches: 10,
  /** Timing with network round trips: the sequential baselines pay each one, so fewer records and runs. */
  latencyMs: { dynamoDb: 4, firehose: 10 },
  latencyBatches: 4,
  latencyRuns: 3,
  memoryBatchRecords: 10_000,
  scan: { ctrs: 100_000, days: 30, transformBatchRecords: 300 },
  /** Day sizes (CTRs a day) whose compaction is measured: smallest object, time and memory. */
  compactionDays: [10_000, 100_000, 1_000_000],
  endToEnd: { records: 20_000, duplicateRate: 0.3, eventRecords: 500 },
} as const;

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  // `--json-out FILE`: the table on stdout and the same figures as JSON in FILE, from one run.
  const jsonOutAt = process.argv.indexOf('--json-out');
  const jsonOut = jsonOutAt >= 0 ? process.argv[jsonOutAt + 1] : undefined;
  const started = nowMs();
  const progress = (message: string): void => {
    process.stderr.write(`[bench ${((nowMs() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
  };
  const workDir = await mkdtemp(join(tmpdir(), 'ctr-lake-bench-'));
  try {
    progress('fingerprint CPU');
    const mix = syntheticCtrs(SETTINGS.fingerprintCtrs, { seed: SETTINGS.seed, days: 30 }).map((ctr) =>
      Buffer.from(JSON.stringify(ctr), 'utf8'),
    );
    const fingerprint = measureFingerprintCpu(mix, SETTINGS.fingerprintRounds);

    progress('checker: request economy, throughput, memory');
    const checker = await runCheckerBench({
      workDir,
      seed: SETTINGS.seed,
      runs: SETTINGS.runs,
      timedBatches: SETTINGS.timedBatches,
      ...SETTINGS.stream,
      memoryBatchRecords: SETTINGS.memoryBatchRecords,
      marginalBatches: SETTINGS.marginalBatches,
      latencyBatches: SETTINGS.latencyBatches,
      latencyRuns: SETTINGS.latencyRuns,
      latencyMs: SETTINGS.latencyMs,
      onProgress: progress,
    });

    progress('lake scan economy');
    const scan = await measureLakeScan({ workDir, seed: SETTINGS.seed, ...SETTINGS.scan });

    progress('compaction');
    const config = readProjectConfig();
    const compaction = await measureCompaction({
      workDir,
      seed: SETTINGS.seed,
      lake: { ctrs: SETTINGS.scan.ctrs, days: SETTINGS.scan.days },
      perDay: SETTINGS.compactionDays,
      transformBatchRecords: SETTINGS.scan.transformBatchRecords,
      flushSeconds: config.firehoseBufferSeconds,
      // What the compaction Lambda gives DuckDB (lib/constructs/lake-compaction.ts).
      duckDbMemoryMb: Math.floor(config.compaction.memoryMb / 2),
      onProgress: progress,
    });

    progress('end to end through the local pipeline');
    const endToEnd = await measureEndToEnd({
      lakeDir: join(workDir, 'e2e-lake'),
      seed: SETTINGS.seed,
      ...SETTINGS.endToEnd,
    });

    const assumptions = costAssumptions();
    const workload = workloadMeasurements(checker, scan);
    const compactionAssumed = compactionInputs(compaction, assumptions);
    const compactionUsd = compactionCostPerMillion(compactionAssumed, workload, assumptions);
    const dedupStores = dedupStoreComparison(checker, workload, assumptions);
    const inputs: BenchInputs = {
      meta: {
        date: new Date().toISOString().slice(0, 10),
        node: process.version,
        cpus: cpus().length,
        seed: SETTINGS.seed,
        seconds: (nowMs() - started) / 1000,
      },
      versions: installedVersions(),
      fingerprint,
      checker,
      scan,
      compaction,
      endToEnd,
      assumptions,
      workload,
      compactionCost: { inputs: compactionAssumed, usd: compactionUsd },
      cost: designCosts(checker, workload, assumptions, compactionUsd),
      ...(dedupStores ? { dedupStores } : {}),
    };
    progress('done');
    process.stdout.write(json ? `${JSON.stringify(buildBenchJson(inputs), null, 2)}\n` : `${renderTable(inputs)}\n`);
    if (jsonOut) await writeFile(jsonOut, `${JSON.stringify(buildBenchJson(inputs), null, 2)}\n`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
