import type { Crossover, DedupStoreComparison } from '../../lib/cost/dedup-store-cost';
import { DAYS_PER_MONTH, PEAK_TO_MEAN, type MonthlyCost, type MonthlyCostRequest } from '../../lib/cost/monthly-cost';
import { renderTable } from '../shared/text-table';

const usd = (value: number): string =>
  value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value >= 0.01 ? value.toFixed(3) : value.toFixed(4);
const count = (value: number): string => Math.round(value).toLocaleString('en-US');
const size = (bytes: number): string =>
  bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(0)} MB` : `${(bytes / 1024).toFixed(0)} KB`;
const gb = (value: number): string =>
  value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(3);

/** Which months the text shows: every one of the first twelve, then each year's last and the final one. */
export function shownMonths(months: number): number[] {
  return Array.from({ length: months }, (_, i) => i + 1).filter((m) => m <= 12 || m % 12 === 0 || m === months);
}

/** `npm run cost`'s text: services per month, storage month by month, and what is assumed. Fits 120 columns. */
export function renderCost(request: MonthlyCostRequest, cost: MonthlyCost): string {
  const { prices, figures } = cost;
  const kb = request.ctrBytes / 1024;
  const kinesisLabel =
    request.streamMode === 'on-demand'
      ? 'Kinesis Data Streams, on-demand'
      : `Kinesis Data Streams, provisioned (${cost.shards} shard${cost.shards === 1 ? '' : 's'})`;
  const services: [string, number][] = [
    [kinesisLabel, cost.services.kinesis],
    ['Lambda, duplicate checker', cost.services.checkerLambda],
    [
      request.dedupStore === 'valkey'
        ? 'ElastiCache Serverless Valkey + Firehose VPC endpoint'
        : 'DynamoDB, dedup claims (on-demand)',
      cost.services.dedupStore,
    ],
    ['Data Firehose (ingest, Parquet, partitioning)', cost.services.firehose],
    ['Lambda, Firehose transform', cost.services.transformLambda],
    ['S3 PUT requests (Firehose objects)', cost.services.s3Requests],
    [`Athena (${request.assumptions.namedQueriesPerDay} named queries a day)`, cost.services.athena],
    ['KMS key', cost.services.kms],
    ...(request.compaction
      ? ([['Lambda + S3, nightly compaction', cost.services.compaction]] as [string, number][])
      : []),
  ];
  const label = Math.max(...services.map(([name]) => name.length), 'Total before storage'.length);
  const serviceLines = [
    ...services.map(([name, value]) => `  ${name.padEnd(label)}  ${usd(value).padStart(9)}`),
    `  ${'-'.repeat(label)}  ${'-'.repeat(9)}`,
    `  ${'Total before storage'.padEnd(label)}  ${usd(cost.services.total).padStart(9)}`,
  ];
  const { lifecycle } = request;
  const storageRows = cost.storage
    .filter((month) => shownMonths(request.months).includes(month.month))
    .map((month) => ({
      month: month.month,
      'lake GB': gb(month.storedGb),
      'Standard GB': gb(month.standardGb),
      'Int-Tiering GB': gb(month.intelligentTieringGb),
      'Glacier IR GB': gb(month.glacierInstantRetrievalGb),
      'Deep Archive GB': gb(month.deepArchiveGb),
      'storage USD': usd(month.storageUsd),
      'month USD': usd(month.totalUsd),
    }));
  const stored = request.compaction
    ? `The nightly compaction keeps ${count(cost.storedObjectsPerDay)} object${cost.storedObjectsPerDay === 1 ? '' : 's'} a day ` +
      `of about ${size(cost.storedObjectBytes)} (Firehose writes ${count(cost.objectsPerDay)} of about ` +
      `${size(cost.meanObjectBytes)}).`
    : `Firehose writes ${count(cost.objectsPerDay)} objects a day of about ${size(cost.meanObjectBytes)}, kept as they ` +
      'are (ctrLake:compaction false).';
  const tiering = cost.tiersApply
    ? `${stored} Lifecycle: Standard, Intelligent-Tiering at ${lifecycle.intelligentTieringDays} d, Glacier Instant ` +
      `Retrieval at ${lifecycle.glacierIrDays} d, Deep Archive at ${lifecycle.deepArchiveDays} d (cdk.json).`
    : `${stored} Lifecycle: none applies: they are under S3's 128 KB transition minimum, so they stay in Standard.`;
  const lines = [
    `ctr-lake monthly cost estimate, USD, list prices ${prices.region} as of ${prices.asOf}`,
    `${count(request.ctrsPerDay)} CTRs a day (${count(cost.ctrsPerMonth)} a month of ${HOURS_TEXT}), ` +
      `${kb.toFixed(1)} KB average CTR, stream ${request.streamMode}`,
    '',
    'Per month, by service',
    ...serviceLines,
    '',
    `S3 storage over ${request.months} month${request.months === 1 ? '' : 's'} ` +
      `(lake grows ${gb(cost.lakeBytesPerDay / 2 ** 30)} GB a day as Snappy Parquet)`,
    tiering,
    renderTable(Object.keys(storageRows[0] ?? { month: 0 }), storageRows, { maxWidth: TEXT_WIDTH }),
    ...(request.months > 12 ? ['(every month up to 12, then each twelfth; --json has every month)'] : []),
    '',
    ...renderDedupStores(cost.dedupStores, request.dedupStore),
    '',
    'List-price assumptions (lib/cost/price-list.ts, copied from the AWS pricing pages, not fetched):',
    `  on-demand prices in ${prices.region}, no free tier, no savings plans or discounts, no data transfer out;`,
    `  Kinesis on-demand $${prices.kinesisOnDemand.perStreamHour}/stream-hour, $${prices.kinesisOnDemand.perGbIngested}/GB in ` +
      `(1 KB rounding), $${prices.kinesisOnDemand.perGbRetrieved}/GB out; provisioned $${prices.kinesisProvisioned.perShardHour}/shard-hour, ` +
      `$${prices.kinesisProvisioned.perMillionPutPayloadUnits}/M 25 KB PUT units;`,
    `  Lambda Arm $${prices.lambdaArm64.perGbSecond}/GB-s, $${prices.lambdaArm64.perMillionRequests}/M requests; DynamoDB ` +
      `$${prices.dynamoDbOnDemand.perMillionWriteRequestUnits}/M write units; Firehose $${prices.firehose.perGbIngested}/GB ` +
      `(5 KB rounding) + $${prices.firehose.perGbFormatConversion} conversion + $${prices.firehose.perGbDynamicPartitioning} partitioning;`,
    `  S3 Standard $${prices.s3.perGbMonth}/GB-month, Intelligent-Tiering $${prices.s3Tiers.intelligentTieringFrequentPerGbMonth}/` +
      `${prices.s3Tiers.intelligentTieringInfrequentPerGbMonth}/${prices.s3Tiers.intelligentTieringArchiveInstantPerGbMonth}, Glacier IR ` +
      `$${prices.s3Tiers.glacierInstantRetrievalPerGbMonth}, Deep Archive $${prices.s3Tiers.deepArchivePerGbMonth}; Athena ` +
      `$${prices.athena.perTbScanned}/TB, 10 MB minimum; KMS $${prices.kms.perKeyMonth}/key-month.`,
    'Other assumptions:',
    `  measured by npm run bench (${figures.measured}): checker ${figures.checkerMsPerInvocation} ms per ` +
      `${figures.checkerBatchSize}-record invocation with round trips, transform ${figures.transformMsPerRecord.toFixed(3)} ms ` +
      `per record, lake ${(figures.parquetBytesPerCtrByte * 100).toFixed(1)} % and envelope ` +
      `${(figures.envelopeBytesPerCtrByte * 100).toFixed(0)} % of the CTR's bytes;`,
    '  every CTR distinct (duplicates only lower the cost after the checker); a claim and a delivered mark per CTR;',
    ...(request.compaction
      ? [
          `  compaction ${(figures.compactionMsPerMillionCtrs / 1000).toFixed(0)} s of a ${request.compaction.memoryMb} MB ` +
            'Lambda per million CTRs of a day (scaled by bytes), three idle runs a night, the replaced objects kept ' +
            `${request.lifecycle.noncurrentVersionExpirationDays} d as noncurrent versions;`,
        ]
      : []),
    `  checker ${request.assumptions.checkerMemoryMb} MB, batch ${request.assumptions.checkerBatchSize}; Firehose buffer ` +
      `${request.assumptions.firehoseBufferSeconds} s / ${request.assumptions.firehoseBufferBytes / 2 ** 20} MiB (cdk.json); ` +
      'each named query reads one day of data;',
    ...(request.streamMode === 'provisioned'
      ? [
          `  shards sized for a busiest hour at ${PEAK_TO_MEAN}x the day's mean rate (1 MB/s and 1,000 records/s per shard);`,
        ]
      : []),
    '  old days are not read, so Intelligent-Tiering moves them to Infrequent after 30 d and Archive Instant after 90 d;',
    '  not included: CloudWatch logs, metrics, dashboard and alarms, KMS requests, SQS, Glacier IR retrieval by Athena.',
  ];
  return `${lines
    .join('\n')
    .split('\n')
    .flatMap((line) => wrap(line, TEXT_WIDTH))
    .join('\n')}\n`;
}

/** Lines of prose are wrapped at this width; tables are cut to fit it. */
const TEXT_WIDTH = 118;

/** Word-wraps a line, continuing under its own indent plus two spaces. */
export function wrap(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = /^ */.exec(line)![0];
  const out: string[] = [];
  let current = '';
  for (const word of line.trim().split(' ')) {
    const prefix = out.length === 0 ? indent : `${indent}  `;
    if (current !== '' && prefix.length + current.length + 1 + word.length > width) {
      out.push(`${prefix}${current}`);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  out.push(`${out.length === 0 ? indent : `${indent}  `}${current}`);
  return out;
}

const HOURS_TEXT = `${DAYS_PER_MONTH.toFixed(2)} days`;

/** The crossover as one sentence. */
export function crossoverText(crossover: Crossover): string {
  return crossover.kind === 'never'
    ? 'Valkey is never the cheaper: DynamoDB costs less at every volume.'
    : `Valkey is the cheaper above ${count(Math.ceil(crossover.ctrsPerDay))} CTRs a day.`;
}

/** The side-by-side of the two dedup stores (`ctrLake:dedupStore`) at the volume asked for, and the crossover. */
function renderDedupStores(comparison: DedupStoreComparison, configured: string): string[] {
  const { months, measured, workload } = comparison;
  const rows = (['dynamodb', 'valkey'] as const).map((store) => ({
    store: `${store}${store === configured ? ' *' : ''}`,
    'requests USD': usd(months[store].requests),
    'storage USD': usd(months[store].storage),
    'endpoint hours': months[store].endpointHours === 0 ? '-' : usd(months[store].endpointHours),
    'endpoint GB': months[store].endpointData === 0 ? '-' : usd(months[store].endpointData),
    'checker Lambda': usd(months[store].checkerLambda),
    'month USD': usd(months[store].total),
    'per M CTRs': usd(months[store].perMillionCtrs),
  }));
  return [
    `Dedup store, per month (ctrLake:dedupStore; * = configured): only what differs between the two`,
    renderTable(Object.keys(rows[0]!), rows, { maxWidth: TEXT_WIDTH }),
    crossoverText(comparison.valkeyCheaper),
    `  DynamoDB: ${measured.dynamodb.writeUnitsPerDistinct} write units per CTR (claim + delivered mark), items kept ` +
      `${workload.ttlHours} h (ctrLake:dedupTtlHours). Valkey: ${measured.valkey.ecpusPerClaim} + ` +
      `${measured.valkey.ecpusPerMark} ECPUs per CTR (claim and mark scripts), ${measured.valkey.bytesPerKey} bytes per ` +
      `key kept ${workload.ttlHours} h, at least 100 MB billed; the Firehose interface endpoint in 2 AZs (730 h each) ` +
      'and the base64 PutRecordBatch bytes through it. The stream, Firehose, transform, S3, Athena and KMS are the ' +
      'same for both and left out.',
  ];
}
