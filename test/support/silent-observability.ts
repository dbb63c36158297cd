import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * A real Powertools Logger and Metrics that print nothing: the logger is silent and publishing is a spy, so tests
 * can assert on what a handler logs and counts (spy on `info`/`warn`/`error`, `addMetric`, `addMetadata`).
 */
export function silentObservability(): { logger: Logger; metrics: Metrics } {
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  const metrics = new Metrics({ namespace: 'CtrLake', serviceName: 'test' });
  jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
  return { logger, metrics };
}
