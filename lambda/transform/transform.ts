import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { MetricName, MetricUnit } from '../shared/observability';
import { transformRecords } from './transform-records';

export interface TransformDependencies {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** First year of the `ctr` table's partition projection (PROJECTION_START_YEAR). @default 2017 */
  readonly projectionStartYear?: number;
  /** The clock whose UTC year ends the projection. @default the system clock */
  readonly now?: () => Date;
}

/**
 * The transform's work for one Firehose invocation: map the batch, log each record sent to the error prefix with
 * its reason and identifiers (never the CTR: it holds phone numbers), count Transformed and Quarantined.
 * Quarantined carries the per-reason counts as a `quarantineReasons` property of the EMF record, so the metric
 * keeps one series for alarms while the reasons stay searchable in Logs Insights.
 */
export function createTransform(
  deps: TransformDependencies,
): (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult> {
  const { logger, metrics } = deps;
  return async (event) => {
    const report = transformRecords(event, {
      ...(deps.projectionStartYear !== undefined ? { projectionStartYear: deps.projectionStartYear } : {}),
      now: deps.now?.() ?? new Date(),
    });
    const reasons: Record<string, number> = {};
    for (const failure of report.failures) {
      reasons[failure.reason] = (reasons[failure.reason] ?? 0) + 1;
      logger.warn('record sent to the error prefix', { ...failure });
    }
    metrics.addMetric(MetricName.Transformed, MetricUnit.Count, report.transformed);
    metrics.addMetric(MetricName.Quarantined, MetricUnit.Count, report.failures.length);
    if (report.failures.length > 0) metrics.addMetadata('quarantineReasons', JSON.stringify(reasons));
    metrics.publishStoredMetrics();
    logger.info('batch transformed', {
      records: event.records.length,
      transformed: report.transformed,
      quarantined: report.failures.length,
    });
    return report.result;
  };
}
