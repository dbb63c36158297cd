import { POWERTOOLS_RAW_KEY_JMESPATH } from './baselines/powertools';
import { BENCH_DESIGNS, DESIGNS, RAW_KEY_DESIGN, type DesignName } from './bench-checker';
import type { CheckerBenchResult, ThroughputFigures } from './checker-bench';
import type { CompactionBenchFigures } from './compaction-bench';
import { LIFECYCLE_MINIMUM_BYTES } from './compaction-bench';
import type {
  CompactionCost,
  CompactionCostInputs,
  CostAssumptions,
  CostBreakdown,
  WorkloadMeasurements,
} from '../../lib/cost/cost-model';
import type { ValkeyFigures } from './checker-bench';
import type { DedupStoreName } from '../../lambda/checker/config';
import type { DedupStoreComparison } from '../../lib/cost/dedup-store-cost';
import type { EndToEndFigures } from './end-to-end';
import type { FingerprintFigures } from './fingerprint-bench';
import type { ScanFigures } from './lake-scan';
import { PRICE_LIST } from '../../lib/cost/price-list';
import { DYNAMODB_LOCAL_JAR } from './versions';
import { ratio, significant } from './stats';

/**
 * The bench's output: one JSON object (`--json`), and the table printed from that same object, so the two never
 * disagree. Every non-integer is rounded to 4 significant digits: more would be timer noise.
 */
export interface BenchInputs {
  readonly meta: {
    readonly date: string;
    readonly node: string;
    readonly cpus: number;
    readonly seed: number;
    readonly seconds: number;
  };
  /** Installed versions of the measured libraries and servers (versions.ts). */
  readonly versions: Readonly<Record<string, string>>;
  readonly fingerprint: FingerprintFigures;
  readonly checker: CheckerBenchResult;
  readonly scan: ScanFigures;
  readonly compaction: CompactionBenchFigures;
  readonly endToEnd: EndToEndFigures;
  readonly assumptions: CostAssumptions;
  readonly workload: WorkloadMeasurements;
  readonly compactionCost: { readonly inputs: CompactionCostInputs; readonly usd: CompactionCost };
  readonly cost: Record<DesignName, CostBreakdown>;
  /** DynamoDB (ours) against Valkey at the assumed volume, from the bench's figures, when Valkey ran. */
  readonly dedupStores?: DedupStoreComparison;
}

type Json = number | string | boolean | Json[] | { [key: string]: Json };
export type BenchJson = { [key: string]: Json };

const DESIGN_LABELS: Record<DesignName, string> = {
  ours: 'ours',
  checkThenWrite: 'check-then-write',
  powertools: 'powertools',
  powertoolsSequential: 'powertools seq.',
};

function rounded(value: Json): Json {
  // Counts, bytes and seeds stay exact; measured fractions and rates lose their noise digits.
  if (typeof value === 'number') return Number.isInteger(value) ? value : significant(value);
  if (Array.isArray(value)) return value.map(rounded);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

function perDesign<T extends Json>(f: (design: DesignName) => T): { [design: string]: T } {
  return Object.fromEntries(DESIGNS.map((design) => [design, f(design)]));
}

function throughputJson(designs: Record<DesignName, ThroughputFigures>, records: number): BenchJson {
  return {
    records,
    ...perDesign((d) => ({
      recordsPerSecond: designs[d].recordsPerSecond,
      msPerInvocation: designs[d].msPerInvocation,
      invocationsPerBatch: designs[d].invocationsPerBatch,
    })),
    ratioVsCheckThenWrite: ratio(designs.ours.recordsPerSecond, designs.checkThenWrite.recordsPerSecond),
    ratioVsPowertools: ratio(designs.ours.recordsPerSecond, designs.powertools.recordsPerSecond),
    ratioVsPowertoolsSequential: ratio(designs.ours.recordsPerSecond, designs.powertoolsSequential.recordsPerSecond),
  };
}

export function buildBenchJson(inputs: BenchInputs): BenchJson {
  const { checker, scan, fingerprint, endToEnd } = inputs;
  const json: BenchJson = {
    meta: { ...inputs.meta, dynamoDb: checker.store, priceListAsOf: PRICE_LIST.asOf, region: PRICE_LIST.region },
    versions: { ...inputs.versions },
    fingerprint: {
      usPerRecord: fingerprint.usPerRecord,
      floorUsPerRecord: fingerprint.floorUsPerRecord,
      ratio: fingerprint.ratio,
      decodeUsPerRecord: fingerprint.decodeUsPerRecord,
      records: fingerprint.records,
      rounds: fingerprint.rounds,
    },
    stream: {
      records: checker.stream.records,
      unique: checker.stream.unique,
      inBatchDuplicates: checker.stream.inBatchDuplicates,
      crossBatchDuplicates: checker.stream.crossBatchDuplicates,
      reorderedDuplicates: checker.stream.reorderedDuplicates,
      batchSize: checker.stream.batchSize,
      invocations: checker.stream.invocations,
    },
    requests: perDesign((d) => {
      const { tally, ...figures } = checker.requests[d];
      return {
        ...figures,
        tally: Object.fromEntries(
          tally.map((line) => [`${line.service} ${line.operation} ${line.outcome}`, line.count]),
        ),
      };
    }),
    delivery: Object.fromEntries(BENCH_DESIGNS.map((d) => [d, { ...checker.delivery[d] }])),
    throughput: {
      ...throughputJson(checker.throughput.designs, checker.throughput.records),
      withLatency: {
        ...throughputJson(checker.throughputWithLatency.designs, checker.throughputWithLatency.records),
        latencyMs: { ...checker.throughputWithLatency.latencyMs },
      },
    },
    memory: {
      ...checker.memory,
      ...('skipped' in checker.valkey ? {} : { valkey: { ...checker.valkey.memory } }),
    },
    valkey: valkeyJson(checker.valkey, checker.throughput.designs.ours, checker.throughputWithLatency.designs.ours),
    scan: {
      parquetBytes: scan.parquetBytes,
      jsonBytes: scan.jsonBytes,
      jsonUncompressedBytes: scan.jsonUncompressedBytes,
      oneDayBytes: scan.oneDayBytes,
      oneDayFraction: scan.oneDayFraction,
      oneDayFractionOfUncompressedJson: scan.oneDayFractionOfUncompressedJson,
      oneDayFooterBytes: scan.oneDayFooterBytes,
      oneDayColumnBytes: { ...scan.oneDayColumnBytes },
      oneDayPartitionBytes: scan.oneDayPartitionBytes,
      oneDayPartitionFraction: scan.oneDayPartitionFraction,
      oneDayPartition: scan.oneDay.partition,
      oneDayObjects: scan.oneDay.files.length,
      oneDayRows: scan.oneDay.rows,
      oneDayCounted: scan.oneDay.counted,
      oneDayCalls: scan.oneDay.calls,
      rows: scan.rows,
      days: scan.days,
      transformMsPerRecord: scan.transformMsPerRecord,
    },
    compaction: {
      flushSeconds: inputs.compaction.flushSeconds,
      duckDbMemoryMb: inputs.compaction.duckDbMemoryMb,
      lake: {
        ...inputs.compaction.lake,
        objectsPerDayBefore: { ...inputs.compaction.lake.objectsPerDayBefore },
        objectsPerDayAfter: { ...inputs.compaction.lake.objectsPerDayAfter },
        oneDay: {
          partition: inputs.compaction.lake.oneDay.partition,
          before: { ...inputs.compaction.lake.oneDay.before },
          after: { ...inputs.compaction.lake.oneDay.after },
        },
      },
      perDay: inputs.compaction.perDay.map((day) => ({ ...day })),
      lifecycleMinimumBytes: LIFECYCLE_MINIMUM_BYTES,
    },
    endToEnd: { ...endToEnd },
    cost: {
      ...perDesign((d) => ({ usdPerMillionCtrs: inputs.cost[d].total, breakdown: { ...inputs.cost[d] } })),
      ...(inputs.dedupStores ? { dedupStores: dedupStoresJson(inputs.dedupStores) } : {}),
      assumptions: { ...inputs.assumptions },
      workload: { ...inputs.workload },
      compaction: { ...inputs.compactionCost.usd, inputs: { ...inputs.compactionCost.inputs } },
    },
  };
  return rounded(json) as BenchJson;
}

/** The Valkey design's figures in the JSON, with its throughput against ours (the DynamoDB store) in each section. */
function valkeyJson(
  valkey: ValkeyFigures | { readonly skipped: string },
  oursLoopback: ThroughputFigures,
  oursWithLatency: ThroughputFigures,
): BenchJson {
  if ('skipped' in valkey) return { skipped: valkey.skipped };
  const { tally, ...requests } = valkey.requests;
  const throughput = (figures: ThroughputFigures, ours: ThroughputFigures): BenchJson => ({
    recordsPerSecond: figures.recordsPerSecond,
    msPerInvocation: figures.msPerInvocation,
    invocationsPerBatch: figures.invocationsPerBatch,
    ratioVsOurs: ratio(figures.recordsPerSecond, ours.recordsPerSecond),
  });
  return {
    server: valkey.server,
    requests: {
      ...requests,
      tally: Object.fromEntries(tally.map((line) => [`${line.service} ${line.operation} ${line.outcome}`, line.count])),
    },
    delivery: { ...valkey.delivery },
    throughput: throughput(valkey.throughput, oursLoopback),
    throughputWithLatency: throughput(valkey.throughputWithLatency, oursWithLatency),
    bytesPerKey: valkey.bytesPerKey,
    scriptUsPerCall: valkey.scriptUsPerCall,
    setUsPerCall: valkey.setUsPerCall,
    ecpusPerScript: valkey.ecpusPerScript,
  };
}

function dedupStoresJson(comparison: DedupStoreComparison): BenchJson {
  return {
    ctrsPerDay: comparison.ctrsPerDay,
    dynamodb: { ...comparison.months.dynamodb },
    valkey: { ...comparison.months.valkey },
    valkeyCheaper: { ...comparison.valkeyCheaper },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The table

const num = (value: number, digits = 2): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const int = (value: number): string => Math.round(value).toLocaleString('en-US');
const mb = (bytes: number): string => `${num(bytes / 1024 / 1024, 1)} MiB`;
const kib = (bytes: number): string => `${num(bytes / 1024, 1)} KiB`;
const pct = (fraction: number): string => `${num(fraction * 100, 2)}%`;
const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');
/** Issue 14: the fingerprint within 2.0x of the parse-and-hash floor (it was 1.5x, out of reach without the raw-byte path). */
const FINGERPRINT_TARGET = 2.0;

function row(label: string, cells: readonly string[], width = 38): string {
  return `  ${label.padEnd(width)}${cells.map((c) => c.padStart(18)).join('')}`;
}

function designHeader(width = 38): string {
  return row(
    '',
    DESIGNS.map((d) => DESIGN_LABELS[d]),
    width,
  );
}

export function renderTable(inputs: BenchInputs): string {
  const { checker, scan, fingerprint, endToEnd, cost, assumptions, meta, versions } = inputs;
  const req = checker.requests;
  const loop = checker.throughput;
  const slow = checker.throughputWithLatency;
  const delivered = checker.delivery;
  const rawKey = delivered[RAW_KEY_DESIGN];
  const ratioLoop = ratio(loop.designs.ours.recordsPerSecond, loop.designs.checkThenWrite.recordsPerSecond);
  const ratioSlow = ratio(slow.designs.ours.recordsPerSecond, slow.designs.checkThenWrite.recordsPerSecond);
  const versusPowertools = (figures: { designs: Record<DesignName, ThroughputFigures> }, peer: DesignName): string =>
    `${num(ratio(figures.designs.ours.recordsPerSecond, figures.designs[peer].recordsPerSecond), 1)}x`;
  const sameSet = DESIGNS.every((d) => delivered[d].sameUniqueSet && delivered[d].extraCopies === 0);
  const columns = Object.entries(scan.oneDayColumnBytes);
  const lines: string[] = [];
  const add = (...more: string[]): void => void lines.push(...more);
  const perDesignRow = (label: string, cell: (design: DesignName) => string): string =>
    row(
      label,
      DESIGNS.map((d) => cell(d)),
    );

  add(
    `ctr-lake bench — ${meta.date}, Node ${meta.node}, ${meta.cpus} CPUs, seed ${meta.seed}, ${int(meta.seconds)} s`,
    'Times are medians of repeated runs on a shared machine: compare the ratios, not the absolute figures.',
    `Peers: @aws-lambda-powertools/idempotency ${versions['@aws-lambda-powertools/idempotency'] ?? '?'}, ` +
      `@aws-lambda-powertools/batch ${versions['@aws-lambda-powertools/batch'] ?? '?'} (ours: logger ` +
      `${versions['@aws-lambda-powertools/logger'] ?? '?'}, metrics ${versions['@aws-lambda-powertools/metrics'] ?? '?'}); ` +
      `sections 2-4 on ${checker.store} ${versions[DYNAMODB_LOCAL_JAR] ?? ''} for every design.`,
    '',
    `1. Fingerprint CPU, µs per record (${int(fingerprint.records)}-CTR mix, median of ${fingerprint.rounds} rounds)`,
    row('ours: parse, validate, RFC 8785, SHA-256', [num(fingerprint.usPerRecord)]),
    row('floor: JSON.parse + SHA-256 of raw bytes', [num(fingerprint.floorUsPerRecord)]),
    row('ratio (target ≤ 2.0x)', [`${num(fingerprint.ratio)}x ${met(fingerprint.ratio <= FINGERPRINT_TARGET)}`]),
    row("checker's whole decode (base64, envelope)", [num(fingerprint.decodeUsPerRecord)]),
    '',
    `2. Request economy: ${int(checker.stream.records)} records, ${int(checker.stream.unique)} unique, ` +
      `${int(checker.stream.inBatchDuplicates)} in-batch + ${int(checker.stream.crossBatchDuplicates)} cross-batch ` +
      `duplicates (${int(checker.stream.reorderedDuplicates)} with keys reordered), batch ${checker.stream.batchSize}, ` +
      `${checker.store}`,
    designHeader(),
    perDesignRow('DynamoDB requests / input record', (d) => num(req[d].ddbPerInput, 3)),
    perDesignRow('DynamoDB requests / unique record', (d) => num(req[d].ddbPerUnique, 3)),
    perDesignRow('DynamoDB requests / in-batch duplicate', (d) => num(req[d].ddbPerInBatchDuplicate, 3)),
    perDesignRow('DynamoDB requests / cross-batch dup.', (d) => num(req[d].ddbPerCrossBatchDuplicate, 3)),
    perDesignRow('  / unique, same batches without dups', (d) => num(req[d].ddbPerUniqueWithoutDuplicates, 3)),
    perDesignRow('write units / input (GSI writes incl.)', (d) => num(req[d].writeUnitsPerInput, 3)),
    perDesignRow('read units / input', (d) => num(req[d].readUnitsPerInput, 3)),
    perDesignRow('Firehose requests / delivered record', (d) => num(req[d].firehosePerDelivered, 3)),
    perDesignRow('Firehose requests / invocation', (d) => num(req[d].firehosePerInvocation, 2)),
    perDesignRow('invocations / batch (redeliveries)', (d) => num(req[d].invocationsPerBatch, 2)),
    perDesignRow('records redelivered / input record', (d) => num(req[d].redeliveredPerInput, 3)),
    perDesignRow('distinct CTRs delivered', (d) => int(delivered[d].distinct)),
    perDesignRow('duplicates delivered', (d) => int(delivered[d].extraCopies)),
    `  every design delivered the same ${int(checker.stream.unique)} distinct CTRs, each once: ${sameSet ? 'yes' : 'NO'}`,
    `  powertools keyed on the raw bytes, ${POWERTOOLS_RAW_KEY_JMESPATH} (a common configuration): ` +
      `${int(rawKey.extraCopies)} duplicates delivered, of ${int(checker.stream.reorderedDuplicates)} key-reordered copies`,
    `  targets for ours: ≤ 1.0 DynamoDB request / unique record: ${met(req.ours.ddbPerUnique <= 1)} with ` +
      `duplicates, ${met(req.ours.ddbPerUniqueWithoutDuplicates <= 1)} without; 0 / in-batch duplicate: ` +
      `${met(req.ours.ddbPerInBatchDuplicate === 0)}; 1 Firehose request / invocation: ` +
      `${met(req.ours.firehosePerInvocation <= 1)}`,
    ...valkeyEconomyRows(checker),
    '',
    '3. Checker throughput, records per second through the handler (redeliveries included)',
    designHeader(),
    perDesignRow(`loopback (${int(loop.records)} records)`, (d) => int(loop.designs[d].recordsPerSecond)),
    perDesignRow(`+${slow.latencyMs.dynamoDb} ms DynamoDB, +${slow.latencyMs.firehose} ms Firehose`, (d) =>
      int(slow.designs[d].recordsPerSecond),
    ),
    perDesignRow(`  (${int(slow.records)} records) ms / invocation`, (d) => num(slow.designs[d].msPerInvocation, 1)),
    row('ours ÷ check-then-write', [`loopback ${num(ratioLoop, 1)}x`, `latency ${num(ratioSlow, 1)}x`]),
    row('  target ≥ 10x', [met(ratioLoop >= 10), met(ratioSlow >= 10)]),
    row('ours ÷ powertools', [
      `loopback ${versusPowertools(loop, 'powertools')}`,
      `latency ${versusPowertools(slow, 'powertools')}`,
    ]),
    row('ours ÷ powertools seq.', [
      `loopback ${versusPowertools(loop, 'powertoolsSequential')}`,
      `latency ${versusPowertools(slow, 'powertoolsSequential')}`,
    ]),
    ...valkeyThroughputRows(checker),
    '',
    '4. Memory: peak RSS of the checker process (bundled, fresh) on one batch',
    row(`${int(checker.memory.records)}-record batch`, [
      `${num(checker.memory.peakRssMb, 0)} MB`,
      `before: ${num(checker.memory.rssBeforeMb, 0)} MB`,
      `${num(checker.memory.ms / 1000, 1)} s`,
    ]),
    ...('skipped' in checker.valkey
      ? []
      : [
          row(`valkey, ${int(checker.memory.records)}-record batch`, [
            `${num(checker.valkey.memory.peakRssMb, 0)} MB`,
            `before: ${num(checker.valkey.memory.rssBeforeMb, 0)} MB`,
            `${num(checker.valkey.memory.ms / 1000, 1)} s`,
          ]),
        ]),
    '',
    `5. Lake scan economy: ${int(scan.rows)} CTRs over ${scan.days} days, one object per day partition`,
    row('Parquet (Snappy)', [mb(scan.parquetBytes), `${int(scan.parquetBytesPerRow)} B/row`]),
    row('JSON lines, GZIP / uncompressed', [mb(scan.jsonBytes), mb(scan.jsonUncompressedBytes)]),
    row(`one day (${scan.oneDay.partition}): rows, calls`, [
      int(scan.oneDay.rows),
      int(scan.oneDay.calls),
      `count(*) ${int(scan.oneDay.counted)}`,
    ]),
    row(`one-day count reads (${columns.length} columns)`, [
      kib(scan.oneDayBytes),
      `footers ${int(scan.oneDayFooterBytes)} B`,
    ]),
    `    ${columns.map(([name, bytes]) => `${name} ${kib(bytes)}`).join(', ')}`,
    row('  whole day partition (upper bound)', [mb(scan.oneDayPartitionBytes)]),
    row('read / full GZIP JSON (target ≤ 5%)', [pct(scan.oneDayFraction), met(scan.oneDayFraction <= 0.05)]),
    row('  whole partition / full GZIP JSON', [pct(scan.oneDayPartitionFraction)]),
    row('  read / full uncompressed JSON', [pct(scan.oneDayFractionOfUncompressedJson)]),
    '',
    `6. End to end: ${int(endToEnd.records)} records (${int(endToEnd.unique)} unique) through the local pipeline`,
    row('records per second', [
      int(endToEnd.recordsPerSecond),
      `${num(endToEnd.ms / 1000, 1)} s`,
      `${int(endToEnd.rows)} rows`,
    ]),
    '',
    ...compactionSection(inputs),
    '',
    `8. Cost per million CTRs on AWS, USD (list prices ${PRICE_LIST.region}, ${PRICE_LIST.asOf}; lib/cost/price-list.ts)`,
    designHeader(),
    ...(
      [
        'kinesis',
        'checkerLambda',
        'dynamoDb',
        'firehose',
        'transformLambda',
        's3',
        'athena',
        'compaction',
        'total',
      ] as const
    ).map((key) => perDesignRow(key === 'total' ? 'TOTAL' : key, (d) => num(cost[d][key], 4))),
    `  Assumes ${int(assumptions.ctrsPerDay)} CTRs/day (spreads the stream-hour charge), checker ${assumptions.checkerMemoryMb} MB ` +
      `Arm at the measured ms per ${assumptions.checkerBatchSize}-record invocation with round trips (section 3), ` +
      `transform ${assumptions.transformMemoryMb} MB, Firehose buffer ${assumptions.firehoseBufferSeconds} s / ` +
      `${num(assumptions.firehoseBufferBytes / 1024 / 1024, 0)} MiB, ${assumptions.namedQueriesPerDay} named queries a day ` +
      'over one day partition each, S3 storage for one month.',
    `  compaction: Lambda ${num(inputs.compactionCost.usd.lambda, 4)} (${inputs.compactionCost.inputs.memoryMb} MB, ` +
      `${num(inputs.compactionCost.inputs.msPerDay / 1000, 1)} s a day measured (section 7), ` +
      `${inputs.compactionCost.inputs.runsPerDay - 1} idle runs of ${num(inputs.compactionCost.inputs.idleRunMs / 1000, 0)} s assumed), ` +
      `requests ${num(inputs.compactionCost.usd.requests, 4)} (GETs of ${int(inputs.compactionCost.inputs.objectsPerDay)} objects a day), ` +
      `originals kept ${inputs.compactionCost.inputs.noncurrentVersionDays} days as noncurrent versions ` +
      `${num(inputs.compactionCost.usd.noncurrentStorage, 4)}.`,
    ...dedupStoreRows(inputs.dedupStores),
  );
  return lines.join('\n');
}

/** Section 7: the nightly compaction on a lake as Firehose writes it. */
function compactionSection(inputs: BenchInputs): string[] {
  const { lake, perDay, flushSeconds, duckDbMemoryMb } = inputs.compaction;
  const { before, after } = lake.oneDay;
  return [
    `7. Compaction: the nightly job (the Lambda's code) on a lake as Firehose writes it, one object per ${flushSeconds} s flush`,
    row('', ['before', 'after'], 44),
    row(
      `${int(lake.ctrs)} CTRs/${lake.days} days: objects per day (median)`,
      [int(lake.objectsPerDayBefore.median), int(lake.objectsPerDayAfter.median)],
      44,
    ),
    row(
      '  fewest, most',
      [
        `${int(lake.objectsPerDayBefore.min)}, ${int(lake.objectsPerDayBefore.max)}`,
        `${int(lake.objectsPerDayAfter.min)}, ${int(lake.objectsPerDayAfter.max)}`,
      ],
      44,
    ),
    row(`one-day count reads (${lake.oneDay.partition})`, [kib(before.bytes), kib(after.bytes)], 44),
    row('  of which footers', [kib(before.footerBytes), kib(after.footerBytes)], 44),
    row('  whole day partition', [kib(before.partitionBytes), kib(after.partitionBytes)], 44),
    row(
      '  same answer: rows, calls',
      [`${int(before.counted)}, ${int(before.calls)}`, `${int(after.counted)}, ${int(after.calls)}`],
      44,
    ),
    `  one day a run, in a fresh process, DuckDB limited to ${duckDbMemoryMb} MB as in the Lambda; lifecycle minimum ${kib(LIFECYCLE_MINIMUM_BYTES)}:`,
    `  ${'CTRs a day'.padEnd(12)}${'objects'.padStart(15)}${'day'.padStart(11)}${'smallest after'.padStart(16)}` +
      `${'≥ 128 KiB'.padStart(11)}${'run'.padStart(9)}${'CPU'.padStart(9)}${'peak RSS'.padStart(10)}`,
    ...perDay.map(
      (day) =>
        `  ${int(day.ctrsPerDay).padEnd(12)}${`${int(day.objectsBefore)} → ${int(day.objectsAfter)}`.padStart(15)}` +
        `${mb(day.bytesBefore).padStart(11)}` +
        `${(day.smallestObjectBytes >= 1024 * 1024 ? mb(day.smallestObjectBytes) : kib(day.smallestObjectBytes)).padStart(16)}` +
        `${(day.clearsLifecycleMinimum ? 'yes' : 'NO').padStart(11)}${`${num(day.compactionMs / 1000, 1)} s`.padStart(9)}` +
        `${`${num(day.compactionCpuMs / 1000, 1)} s`.padStart(9)}${`${num(day.peakRssMb, 0)} MB`.padStart(10)}`,
    ),
  ];
}

/** Section 2's Valkey block: the same request economy, counted in script calls and pipelined round trips. */
function valkeyEconomyRows(checker: CheckerBenchResult): string[] {
  const valkey = checker.valkey;
  if ('skipped' in valkey) return [`  valkey: not measured, ${valkey.skipped}`];
  const r = valkey.requests;
  return [
    `  valkey (the same core, ValkeyDedupStore on ${valkey.server}, ioredis auto-pipelining):`,
    row('  store requests (scripts) / input', [num(r.perInput, 3)]),
    row('  store requests / unique record', [num(r.perUnique, 3)]),
    row('  store requests / in-batch dup.', [num(r.perInBatchDuplicate, 3)]),
    row('  store requests / cross-batch dup.', [num(r.perCrossBatchDuplicate, 3)]),
    row('    / unique, without dups', [num(r.perUniqueWithoutDuplicates, 3)]),
    row('  round trips / input record', [num(r.roundTripsPerInput, 3)]),
    row('  round trips / invocation', [num(r.roundTripsPerInvocation, 2)]),
    row('  Firehose requests / invocation', [num(r.firehosePerInvocation, 2)]),
    row('  distinct CTRs, duplicates delivered', [int(valkey.delivery.distinct), int(valkey.delivery.extraCopies)]),
    row('  bytes of server memory per key', [int(valkey.bytesPerKey)]),
    row('  ECPUs per script (its µs / a SET µs)', [
      num(valkey.ecpusPerScript, 1),
      `${num(valkey.scriptUsPerCall, 2)} / ${num(valkey.setUsPerCall, 2)}`,
    ]),
  ];
}

/** Section 3's Valkey rows: the same runs, the same latency per store round trip as DynamoDB's per request. */
function valkeyThroughputRows(checker: CheckerBenchResult): string[] {
  const valkey = checker.valkey;
  if ('skipped' in valkey) return [];
  const ours = { loop: checker.throughput.designs.ours, slow: checker.throughputWithLatency.designs.ours };
  const { latencyMs } = checker.throughputWithLatency;
  return [
    row('valkey, loopback', [int(valkey.throughput.recordsPerSecond)]),
    row(`valkey, +${latencyMs.dynamoDb} ms a round trip, +${latencyMs.firehose} ms Firehose`, [
      int(valkey.throughputWithLatency.recordsPerSecond),
      `${num(valkey.throughputWithLatency.msPerInvocation, 1)} ms / inv.`,
    ]),
    row('valkey ÷ ours (DynamoDB)', [
      `loopback ${num(ratio(valkey.throughput.recordsPerSecond, ours.loop.recordsPerSecond), 1)}x`,
      `latency ${num(ratio(valkey.throughputWithLatency.recordsPerSecond, ours.slow.recordsPerSecond), 1)}x`,
    ]),
  ];
}

/** The cost section's store comparison: what differs between the stores at the assumed volume, and the crossover. */
function dedupStoreRows(comparison: DedupStoreComparison | undefined): string[] {
  if (!comparison) return [];
  const { months, valkeyCheaper } = comparison;
  const store = (name: DedupStoreName): string =>
    `${name} ${num(months[name].total, 2)} USD/month (${num(months[name].perMillionCtrs, 4)} per M CTRs)`;
  return [
    `  Dedup store alone at ${int(comparison.ctrsPerDay)} CTRs/day (requests, storage, VPC endpoint, checker Lambda; ` +
      `lib/cost/dedup-store-cost.ts with this run's figures): ${store('dynamodb')}, ${store('valkey')}; valkey is ` +
      `cheaper ${valkeyCheaper.kind === 'never' ? 'at no volume' : `above ${int(Math.ceil(valkeyCheaper.ctrsPerDay))} CTRs/day`}.`,
  ];
}
