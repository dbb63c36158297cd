import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** The namespace every ctr-lake metric is published under; dashboards and alarms use it. */
export const METRICS_NAMESPACE = 'CtrLake';

/** Metric names: a contract with the dashboard and alarms in lib/. */
export const MetricName = {
  RecordsIn: 'RecordsIn',
  InBatchDuplicates: 'InBatchDuplicates',
  StoredDuplicates: 'StoredDuplicates',
  Delivered: 'Delivered',
  Quarantined: 'Quarantined',
  DeliveryRetries: 'DeliveryRetries',
  FailedRecords: 'FailedRecords',
  Sent: 'Sent',
  Transformed: 'Transformed',
} as const;

export type MetricNameValue = (typeof MetricName)[keyof typeof MetricName];

/** One logger and one metrics instance per function, named by POWERTOOLS_SERVICE_NAME when set. */
export function createObservability(serviceName: string): { logger: Logger; metrics: Metrics } {
  const service = process.env.POWERTOOLS_SERVICE_NAME ?? serviceName;
  const logger = new Logger({ serviceName: service });
  const metrics = new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
    serviceName: service,
  });
  return { logger, metrics };
}

export { MetricUnit };
