import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricName, MetricUnit } from '../shared/observability';
import { parseEmulatorEvent } from './parse-event';
import type { RecordPublisher } from './record-publisher';
import { sendCtrs, type SendFailure, type SendOptions } from './send-ctrs';

/** What the emulator returns: the console shows it, the local runner and scripts read it. */
export interface EmulatorResult {
  readonly sent: number;
  readonly failed: number;
  /** One entry per record not sent: its index in the event, ContactId and the stream's last error for it. */
  readonly failures: readonly SendFailure[];
}

export interface EmulatorDependencies {
  readonly publisher: RecordPublisher;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly sendOptions?: SendOptions;
}

/**
 * The emulator's work for one event, with its adapters given: validate the whole event, send it, count it.
 * An invalid event throws InvalidEventError before anything is sent. Delivery failures do not throw: a thrown
 * error would make an asynchronous invocation retry the whole event and resend the records already accepted, so
 * the refused ones are reported in `failed`/`failures` instead (and in the FailedRecords metric).
 */
export function createEmulator(deps: EmulatorDependencies): (event: unknown) => Promise<EmulatorResult> {
  const { publisher, logger, metrics } = deps;
  return async (event) => {
    const records = parseEmulatorEvent(event);
    const report = await sendCtrs(records, publisher, {
      ...deps.sendOptions,
      onRetry: (info) => {
        logger.warn('resending records the stream refused', {
          attempt: info.attempt,
          delayMs: info.delayMs,
          records: info.records,
          ...(info.error instanceof Error ? { error: info.error.name } : {}),
        });
        deps.sendOptions?.onRetry?.(info);
      },
    });
    metrics.addMetric(MetricName.Sent, MetricUnit.Count, report.sent);
    metrics.addMetric(MetricName.FailedRecords, MetricUnit.Count, report.failed);
    const summary = {
      records: records.length,
      sent: report.sent,
      failed: report.failed,
      retries: report.retries,
      requests: report.requests,
    };
    if (report.failed > 0) {
      // ContactIds and error codes only: never the records themselves (they hold phone numbers).
      logger.error('some records were not accepted by the stream', {
        ...summary,
        failures: report.failures.map((f) => ({ index: f.index, contactId: f.contactId, errorCode: f.errorCode })),
      });
    } else {
      logger.info('records sent', summary);
    }
    metrics.publishStoredMetrics();
    return { sent: report.sent, failed: report.failed, failures: report.failures };
  };
}
