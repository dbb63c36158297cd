import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { MetricName, MetricUnit } from '../shared/observability';
import type { PiiPolicy } from './pii/pii-policy';
import { rowProtector, type RowProtector } from './pii/protect-row';
import type { PseudonymKeyProvider } from './pii/pseudonym-key';
import { transformRecords } from './transform-records';

export interface TransformDependencies {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** First year of the `ctr` table's partition projection (PROJECTION_START_YEAR). @default 2017 */
  readonly projectionStartYear?: number;
  /** The clock whose UTC year ends the projection. @default the system clock */
  readonly now?: () => Date;
  /**
   * What to do with personal values (the handler passes the deployment's `ctrLake:piiMode`).
   * @default rows as the CTR has them (mode keep)
   */
  readonly pii?: TransformPii;
}

export interface TransformPii {
  readonly policy: PiiPolicy;
  /** Where the pseudonym key comes from; required to pseudonymise. Wrap it in loadOnce to read it once. */
  readonly keys?: PseudonymKeyProvider;
  /** The key version the deployment expects (`ctrLake:piiKeyVersion`): a key of another version is logged. */
  readonly expectedKeyVersion?: number;
}

/**
 * The transform's work for one Firehose invocation: map the batch, log each record sent to the error prefix with
 * its reason and identifiers (never the CTR: it holds phone numbers), count Transformed and Quarantined.
 * Quarantined carries the per-reason counts as a `quarantineReasons` property of the EMF record, so the metric
 * keeps one series for alarms while the reasons stay searchable in Logs Insights.
 *
 * When pseudonymising, the key is loaded before the batch: if it cannot be, the invocation fails (Firehose retries
 * it, then writes the batch under the error prefix) rather than write a single row in clear.
 */
export function createTransform(
  deps: TransformDependencies,
): (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult> {
  const { logger, metrics } = deps;
  const protection = createProtection(deps);
  return async (event) => {
    const report = transformRecords(event, {
      ...(deps.projectionStartYear !== undefined ? { projectionStartYear: deps.projectionStartYear } : {}),
      now: deps.now?.() ?? new Date(),
      protect: await protection(),
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

/** The row protector of each invocation: the key's is built once, on the first invocation that finds the key. */
function createProtection(deps: TransformDependencies): () => Promise<RowProtector> {
  const { pii, logger } = deps;
  if (pii === undefined || pii.policy.mode !== 'pseudonymise') {
    const protector = rowProtector(pii?.policy ?? { mode: 'keep', attributeKeys: [] });
    return () => Promise.resolve(protector);
  }
  const { policy, keys, expectedKeyVersion } = pii;
  if (keys === undefined) throw new TypeError('pseudonymising needs a key provider');
  let built: { key: object; protector: RowProtector } | undefined;
  return async () => {
    const key = await keys.load();
    if (built?.key !== key) {
      built = { key, protector: rowProtector(policy, key) };
      // The version only: the key itself never reaches a log line.
      logger.info('pseudonym key loaded', { keyVersion: key.version });
      if (expectedKeyVersion !== undefined && key.version !== expectedKeyVersion) {
        logger.warn("the pseudonym key has another version than the deployment configures; rows record the key's", {
          keyVersion: key.version,
          expectedKeyVersion,
        });
      }
    }
    return built.protector;
  };
}
