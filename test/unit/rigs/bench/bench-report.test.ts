import { BENCH_DESIGNS, DESIGNS, type BenchDesign, type DesignName } from '../../../../rigs/bench/bench-checker';
import { buildBenchJson, renderTable, type BenchInputs } from '../../../../rigs/bench/bench-report';
import type { ThroughputFigures } from '../../../../rigs/bench/checker-bench';
import type { CostBreakdown } from '../../../../lib/cost/cost-model';
import type { DeliveryFigures } from '../../../../rigs/bench/delivery-check';
import { COMPACTION_COST_INPUTS } from '../../../support/compaction-cost-inputs';

const perDesign = <T>(value: (design: DesignName, i: number) => T): Record<DesignName, T> =>
  Object.fromEntries(DESIGNS.map((d, i) => [d, value(d, i)])) as Record<DesignName, T>;

const throughput = (ours: number, others: number): Record<DesignName, ThroughputFigures> =>
  perDesign((d) => ({
    recordsPerSecond: d === 'ours' ? ours : others,
    msPerInvocation: 100,
    invocationsPerBatch: d === 'powertools' ? 1.6 : 1,
    runsMs: [1, 2, 3],
  }));

const cost = (total: number): CostBreakdown => ({
  kinesis: 1,
  checkerLambda: 0.1,
  dynamoDb: total - 1.415,
  firehose: 0.2,
  transformLambda: 0.01,
  s3: 0.05,
  athena: 0.04,
  compaction: 0.015,
  total,
});

/** Figures with the shapes the bench produces; the values only need to be told apart. */
function someInputs(): BenchInputs {
  return {
    meta: { date: '2026-03-02', node: 'v20', cpus: 2, seed: 1, seconds: 300 },
    versions: {
      '@aws-lambda-powertools/idempotency': '2.35.0',
      '@aws-lambda-powertools/batch': '2.35.0',
      '@aws-lambda-powertools/logger': '2.36.0',
      '@aws-lambda-powertools/metrics': '2.36.0',
      'DynamoDBLocal.jar': '2026-01-16',
    },
    fingerprint: { usPerRecord: 30, floorUsPerRecord: 10, ratio: 3, decodeUsPerRecord: 40, records: 3000, rounds: 7 },
    checker: {
      store: 'DynamoDB Local',
      stream: {
        records: 10000,
        unique: 7000,
        inBatchDuplicates: 1500,
        crossBatchDuplicates: 1500,
        reorderedDuplicates: 1480,
        batchSize: 100,
        invocations: 100,
        ctrSizes: [2000],
        envelopeSizes: [2200],
      },
      requests: perDesign((d, i) => ({
        ddbPerInput: 0.85 + i,
        ddbPerUnique: 1.2 + i,
        ddbPerInBatchDuplicate: i,
        ddbPerCrossBatchDuplicate: 1,
        ddbPerUniqueWithoutDuplicates: 1 + i,
        firehosePerDelivered: 0.01 + i,
        firehosePerInvocation: 1 + i,
        invocationsPerBatch: d === 'powertools' ? 1.6 : 1,
        redeliveredPerInput: d === 'powertools' ? 0.35 : 0,
        writeUnitsPerInput: 0.85 + i,
        readUnitsPerInput: 0,
        tally: [{ service: 'dynamodb', operation: 'PutItem', outcome: 'ok', count: 7000 }],
      })),
      delivery: Object.fromEntries(
        BENCH_DESIGNS.map((d) => [
          d,
          {
            records: d === 'powertoolsRawKey' ? 8478 : 7000,
            distinct: 7000,
            extraCopies: d === 'powertoolsRawKey' ? 1478 : 0,
            missing: 0,
            unexpected: 0,
            sameUniqueSet: true,
          },
        ]),
      ) as Record<BenchDesign, DeliveryFigures>,
      throughput: { records: 2000, designs: throughput(900, 400) },
      throughputWithLatency: { records: 400, latencyMs: { dynamoDb: 4, firehose: 10 }, designs: throughput(660, 55) },
      memory: { peakRssMb: 390, rssBeforeMb: 340, records: 10000, ms: 9000 },
      valkey: { skipped: 'the Valkey dedup store needs redis-server' },
    },
    scan: {
      rows: 100000,
      days: 30,
      parquetBytes: 50e6,
      jsonBytes: 25e6,
      jsonUncompressedBytes: 430e6,
      oneDayBytes: 150_000,
      oneDayFraction: 0.006,
      oneDayFractionOfUncompressedJson: 0.00035,
      oneDayFooterBytes: 7000,
      oneDayColumnBytes: { contact_id: 118_000, initial_contact_id: 3000, channel: 2000, initiation_timestamp: 20_000 },
      oneDayPartitionBytes: 1.7e6,
      oneDayPartitionFraction: 0.068,
      oneDay: { partition: '2026-03-17', rows: 3342, counted: 3342, calls: 2900, files: ['/lake/day.parquet'] },
      parquetBytesPerRow: 500,
      transformMsPerRecord: 0.07,
    },
    compaction: {
      flushSeconds: 60,
      duckDbMemoryMb: 1024,
      lake: {
        ctrs: 100000,
        days: 30,
        objectsPerDayBefore: { median: 1513, min: 1045, max: 1550 },
        objectsPerDayAfter: { median: 1, min: 1, max: 1 },
        oneDay: {
          partition: '2026-03-17',
          before: {
            bytes: 9_900_365,
            footerBytes: 9_555_746,
            partitionBytes: 15_608_379,
            counted: 3342,
            calls: 2900,
            objects: 1517,
          },
          after: {
            bytes: 153_367,
            footerBytes: 7181,
            partitionBytes: 1_761_114,
            counted: 3342,
            calls: 2900,
            objects: 1,
          },
        },
        compactionMs: 23_000,
      },
      perDay: [
        {
          ctrsPerDay: 10000,
          objectsBefore: 2002,
          bytesBefore: 24e6,
          objectsAfter: 1,
          smallestObjectBytes: 5_222_913,
          largestObjectBytes: 5_222_913,
          clearsLifecycleMinimum: true,
          compactionMs: 28_000,
          compactionCpuMs: 20_000,
          peakRssMb: 761,
        },
        {
          ctrsPerDay: 300,
          objectsBefore: 280,
          bytesBefore: 2e6,
          objectsAfter: 1,
          smallestObjectBytes: 100_000,
          largestObjectBytes: 100_000,
          clearsLifecycleMinimum: false,
          compactionMs: 3_000,
          compactionCpuMs: 2_000,
          peakRssMb: 300,
        },
      ],
    },
    compactionCost: {
      inputs: COMPACTION_COST_INPUTS,
      usd: { lambda: 0.0025, requests: 0.0007, noncurrentStorage: 0.011, total: 0.0142 },
    },
    endToEnd: {
      records: 20000,
      unique: 14000,
      recordsPerSecond: 600,
      ms: 33000,
      rows: 14000,
      checkerInvocations: 200,
      objectsWritten: 30,
    },
    assumptions: {
      ctrsPerDay: 1e6,
      checkerBatchSize: 100,
      checkerMemoryMb: 512,
      transformMemoryMb: 512,
      transformBufferBytes: 1048576,
      firehoseBufferSeconds: 60,
      firehoseBufferBytes: 67108864,
      namedQueriesPerDay: 5,
    },
    workload: {
      ctrBytesPerInput: 2000,
      kinesisBilledBytesPerInput: 2048,
      deliveredPerInput: 0.7,
      envelopeBytesPerDelivered: 2200,
      firehoseBilledBytesPerDelivered: 5120,
      parquetBytesPerRow: 500,
      transformMsPerRecord: 0.07,
    },
    cost: { ours: cost(2.08), checkThenWrite: cost(2.6), powertools: cost(2.73), powertoolsSequential: cost(2.74) },
  };
}

/** Reads a dotted path out of the JSON object. */
function at(json: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], json);
}

/** The same inputs with the Valkey design measured. */
function inputsWithValkey(): BenchInputs {
  const inputs = someInputs();
  const figures = (recordsPerSecond: number) => ({
    recordsPerSecond,
    msPerInvocation: 100_000 / recordsPerSecond,
    invocationsPerBatch: 1,
    runsMs: [1000],
  });
  return {
    ...inputs,
    checker: {
      ...inputs.checker,
      valkey: {
        server: 'redis-server 7.0.15',
        requests: {
          perInput: 1.4,
          perUnique: 2,
          perInBatchDuplicate: 0,
          perCrossBatchDuplicate: 0,
          perUniqueWithoutDuplicates: 2,
          roundTripsPerInput: 0.05,
          roundTripsPerInvocation: 5,
          firehosePerDelivered: 0.014,
          firehosePerInvocation: 1,
          invocationsPerBatch: 1,
          tally: [{ service: 'valkey', operation: 'EVALSHA', outcome: 'ok', count: 14000 }],
        },
        delivery: { records: 7000, distinct: 7000, extraCopies: 0, missing: 0, unexpected: 0, sameUniqueSet: true },
        throughput: figures(1800),
        throughputWithLatency: figures(1320),
        memory: { peakRssMb: 380, rssBeforeMb: 330, ms: 8000 },
        bytesPerKey: 640,
        scriptUsPerCall: 6,
        setUsPerCall: 1.5,
        ecpusPerScript: 4,
      },
    },
  };
}

describe('buildBenchJson', () => {
  it('says in one line why Valkey was not measured, and holds its figures when it was', () => {
    const skipped = buildBenchJson(someInputs());
    const measured = buildBenchJson(inputsWithValkey());

    expect(at(skipped, 'valkey.skipped')).toMatch(/redis-server/);
    expect(at(measured, 'valkey.requests.perUnique')).toBe(2);
    expect(at(measured, 'valkey.requests.roundTripsPerInvocation')).toBe(5);
    expect(at(measured, 'valkey.throughputWithLatency.ratioVsOurs')).toBe(2);
    expect(at(measured, 'memory.valkey.peakRssMb')).toBe(380);
    expect(renderTable(someInputs())).toMatch(/^ {2}valkey: not measured, the Valkey dedup store needs redis-server$/m);
    expect(renderTable(inputsWithValkey())).toMatch(/valkey ÷ ours \(DynamoDB\)\s+loopback 2\.0x\s+latency 2\.0x/);
  });

  it('holds every key the issue asks for, as a number', () => {
    // Arrange
    const required = [
      'fingerprint.usPerRecord',
      'fingerprint.floorUsPerRecord',
      'fingerprint.ratio',
      ...DESIGNS.flatMap((d) => [
        `requests.${d}.ddbPerInput`,
        `requests.${d}.ddbPerUnique`,
        `requests.${d}.ddbPerInBatchDuplicate`,
        `requests.${d}.firehosePerDelivered`,
        `requests.${d}.invocationsPerBatch`,
        `throughput.${d}.recordsPerSecond`,
        `throughput.withLatency.${d}.recordsPerSecond`,
        `cost.${d}.usdPerMillionCtrs`,
      ]),
      ...BENCH_DESIGNS.flatMap((d) => [`delivery.${d}.distinct`, `delivery.${d}.extraCopies`]),
      'throughput.ratioVsCheckThenWrite',
      'throughput.ratioVsPowertools',
      'throughput.ratioVsPowertoolsSequential',
      'memory.peakRssMb',
      'scan.parquetBytes',
      'scan.jsonBytes',
      'scan.oneDayBytes',
      'scan.oneDayFraction',
      'endToEnd.recordsPerSecond',
      'compaction.lake.objectsPerDayBefore.median',
      'compaction.lake.objectsPerDayAfter.median',
      'compaction.lake.oneDay.before.bytes',
      'compaction.lake.oneDay.after.bytes',
      'compaction.perDay.0.smallestObjectBytes',
      'cost.compaction.total',
    ];

    // Act
    const json = buildBenchJson(someInputs());

    // Assert
    const missing = required.filter((path) => typeof at(json, path) !== 'number');
    expect(missing).toEqual([]);
  });

  it('computes the throughput ratios within the run, on loopback and with round trips', () => {
    const json = buildBenchJson(someInputs());
    expect(at(json, 'throughput.ratioVsCheckThenWrite')).toBe(2.25);
    expect(at(json, 'throughput.withLatency.ratioVsCheckThenWrite')).toBe(12);
    expect(at(json, 'throughput.withLatency.ratioVsPowertools')).toBe(12);
  });

  it('names the versions of the measured libraries and the DynamoDB every design ran on', () => {
    const json = buildBenchJson(someInputs());
    expect(at(json, 'versions')).toMatchObject({
      '@aws-lambda-powertools/idempotency': '2.35.0',
      '@aws-lambda-powertools/batch': '2.35.0',
    });
    expect(at(json, 'meta.dynamoDb')).toBe('DynamoDB Local');
    expect(at(json, 'delivery.powertoolsRawKey.sameUniqueSet')).toBe(true);
  });

  it('rounds measured fractions to four significant digits and keeps integers exact', () => {
    const inputs = someInputs();
    const json = buildBenchJson({
      ...inputs,
      meta: { ...inputs.meta, seed: 20260302 },
      fingerprint: { ...inputs.fingerprint, ratio: 3.8247193 },
    });
    expect(at(json, 'fingerprint.ratio')).toBe(3.825);
    expect(at(json, 'meta.seed')).toBe(20260302);
  });
});

describe('renderTable', () => {
  it('prints every section with the four designs side by side and says which targets are met', () => {
    const table = renderTable(someInputs());
    for (const section of [
      '1. Fingerprint',
      '2. Request economy',
      '3. Checker throughput',
      '4. Memory',
      '5. Lake scan',
      '6. End to end',
      '7. Compaction',
      '8. Cost',
    ]) {
      expect(table).toContain(section);
    }
    expect(table).toMatch(/ours\s+check-then-write\s+powertools\s+powertools seq\./);
    expect(table).toMatch(/ratio \(target ≤ 2\.0x\)\s+3\.00x NOT met/);
    expect(table).toMatch(/DynamoDB request \/ unique record: NOT met with duplicates, met without/);
    expect(table).toMatch(/TOTAL\s+2\.0800\s+2\.6000\s+2\.7300\s+2\.7400/);
    expect(table).toMatch(/compaction\s+0\.0150\s+0\.0150\s+0\.0150\s+0\.0150/);
  });

  it('shows the compaction before and after, and which day sizes clear the lifecycle minimum', () => {
    const table = renderTable(someInputs());
    expect(table).toMatch(/objects per day \(median\)\s+1,513\s+1\n/);
    expect(table).toMatch(/one-day count reads \(2026-03-17\)\s+9,668\.3 KiB\s+149\.8 KiB/);
    expect(table).toMatch(/10,000\s+2,002 → 1\s+22\.9 MiB\s+5\.0 MiB\s+yes\s+28\.0 s\s+20\.0 s\s+761 MB/);
    expect(table).toMatch(/300\s+280 → 1\s+1\.9 MiB\s+97\.7 KiB\s+NO/);
    expect(table).toContain('requests 0.0007 (GETs of 1,500 objects a day)');
  });

  it('says which Powertools versions and which DynamoDB ran, and what the raw-bytes key let through', () => {
    const table = renderTable(someInputs());
    expect(table).toContain('@aws-lambda-powertools/idempotency 2.35.0, @aws-lambda-powertools/batch 2.35.0');
    expect(table).toContain('on DynamoDB Local 2026-01-16 for every design');
    expect(table).toMatch(/invocations \/ batch \(redeliveries\)\s+1\.00\s+1\.00\s+1\.60\s+1\.00/);
    expect(table).toMatch(/duplicates delivered\s+0\s+0\s+0\s+0/);
    expect(table).toContain('every design delivered the same 7,000 distinct CTRs, each once: yes');
    expect(table).toContain(
      'powertools keyed on the raw bytes, powertools_base64(kinesis.data) (a common configuration): ' +
        '1,478 duplicates delivered, of 1,480 key-reordered copies',
    );
  });

  it('judges the scan target on what the one-day count reads, and keeps the whole partition as its bound', () => {
    const table = renderTable(someInputs());
    expect(table).toMatch(/one-day count reads \(4 columns\)\s+146\.5 KiB\s+footers 7,000 B/);
    expect(table).toContain('contact_id 115.2 KiB, initial_contact_id 2.9 KiB, channel 2.0 KiB');
    expect(table).toMatch(/read \/ full GZIP JSON \(target ≤ 5%\)\s+0\.60%\s+met/);
    expect(table).toMatch(/whole partition \/ full GZIP JSON\s+6\.80%/);
  });
});
