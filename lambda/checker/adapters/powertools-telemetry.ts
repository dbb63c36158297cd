import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '../../shared/observability';
import type { CheckerTelemetry, LogFields } from '../ports';

/**
 * CheckerTelemetry on Powertools: counts become EMF metrics (published by the handler once per invocation) and log
 * lines become structured JSON with the fields as top-level keys, so Logs Insights can filter on contactId.
 */
export class PowertoolsTelemetry implements CheckerTelemetry {
  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  count(metric: string, value: number): void {
    this.metrics.addMetric(metric, MetricUnit.Count, value);
  }

  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: LogFields = {}): void {
    this.logger[level](message, { ...fields });
  }
}
