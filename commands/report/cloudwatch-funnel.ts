import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { METRICS_NAMESPACE, MetricName } from '../../lambda/shared/observability';
import type { Funnel, FunnelUnavailable } from './report-data';

/**
 * The dedup funnel of a deployment from the functions' own metrics (namespace CtrLake, dimension `service`, as
 * Powertools publishes them): the checker's RecordsIn, InBatchDuplicates, StoredDuplicates and Delivered, and the
 * transform's Quarantined (every record it sends to the error prefix, the checker's quarantined envelopes included).
 * Counted by when the pipeline processed the records, which is not the CTRs' own day.
 */
export interface FunnelRequest {
  /** Powertools service names: `<prefix>-checker`, `<prefix>-transform`. */
  readonly checkerService: string;
  readonly transformService: string;
  readonly start: Date;
  readonly end: Date;
}

/** One day: a multiple of the 300 s and 3600 s periods CloudWatch requires for data older than 15 and 63 days. */
const PERIOD_SECONDS = 86_400;

const STAGES = [
  { id: 'recordsin', key: 'in', metric: MetricName.RecordsIn, service: 'checker' },
  { id: 'inbatch', key: 'inBatchDuplicates', metric: MetricName.InBatchDuplicates, service: 'checker' },
  { id: 'stored', key: 'storedDuplicates', metric: MetricName.StoredDuplicates, service: 'checker' },
  { id: 'delivered', key: 'delivered', metric: MetricName.Delivered, service: 'checker' },
  { id: 'quarantined', key: 'quarantined', metric: MetricName.Quarantined, service: 'transform' },
] as const;

export async function cloudWatchFunnel(
  client: CloudWatchClient,
  request: FunnelRequest,
): Promise<Funnel | FunnelUnavailable> {
  const queries: MetricDataQuery[] = STAGES.map((stage) => ({
    Id: stage.id,
    MetricStat: {
      Metric: {
        Namespace: METRICS_NAMESPACE,
        MetricName: stage.metric,
        Dimensions: [
          { Name: 'service', Value: stage.service === 'checker' ? request.checkerService : request.transformService },
        ],
      },
      Period: PERIOD_SECONDS,
      Stat: 'Sum',
    },
    ReturnData: true,
  }));
  const sums = new Map<string, number>();
  let datapoints = 0;
  try {
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: request.start,
          EndTime: request.end,
          NextToken: nextToken,
        }),
      );
      for (const result of page.MetricDataResults ?? []) {
        const values = result.Values ?? [];
        datapoints += values.length;
        sums.set(result.Id ?? '', (sums.get(result.Id ?? '') ?? 0) + values.reduce((a, b) => a + b, 0));
      }
      nextToken = page.NextToken;
    } while (nextToken);
  } catch (error) {
    const name = (error as { name?: string }).name ?? 'Error';
    const message = error instanceof Error ? error.message : String(error);
    return { unavailable: `CloudWatch GetMetricData failed (${name}: ${message})` };
  }
  const period = `${request.start.toISOString()} to ${request.end.toISOString()}`;
  if (datapoints === 0) {
    return {
      unavailable: `CloudWatch has no ${METRICS_NAMESPACE} metrics of ${request.checkerService} from ${period} (nothing processed, or metrics older than CloudWatch keeps)`,
    };
  }
  const count = (id: string): number => Math.round(sums.get(id) ?? 0);
  return {
    in: count('recordsin'),
    inBatchDuplicates: count('inbatch'),
    storedDuplicates: count('stored'),
    delivered: count('delivered'),
    quarantined: count('quarantined'),
    source: `CloudWatch metrics of ${request.checkerService} and ${request.transformService}, records processed from ${period}`,
  };
}
