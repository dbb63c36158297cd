import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BOOKKEEPING_ERRORS_METRIC, type CheckerOnlyMetric } from '../../lambda/checker/ports';
import { METRICS_NAMESPACE, MetricName, type MetricNameValue } from '../../lambda/shared/observability';
import type { CtrFunction } from './ctr-function';

/** Any metric a ctr-lake function publishes: the shared list plus the checker's own. */
type AppMetricName = MetricNameValue | CheckerOnlyMetric;

/** Records older than this in the stream mean the checker is falling behind (or stuck on a poison batch). */
export const ITERATOR_AGE_ALARM_THRESHOLD = Duration.minutes(5);

export interface CtrMonitoringProps {
  readonly emulator: CtrFunction;
  readonly checker: CtrFunction;
  readonly transform: CtrFunction;
  readonly onFailureQueue: sqs.IQueue;
  readonly deliveryStream: firehose.IDeliveryStream;
  /** Encrypts the alarm topic. */
  readonly encryptionKey: kms.IKey;
  /** @default - no subscription; subscribe to the topic yourself */
  readonly alarmEmail?: string;
  /**
   * Whether Firehose converts the rows (to Parquet), so that conversion failures get an alarm.
   * @default true
   */
  readonly formatConversion?: boolean;
}

/**
 * What an operator watches: a dashboard that follows a CTR from the stream to the lake (records in, duplicates
 * dropped, delivered, quarantined, iterator age, Firehose freshness and failures, failure-queue depth, the checker's
 * failed bookkeeping writes, the alarms' states) and alarms on what needs a human (the checker behind or failing,
 * the failure queue, failed bookkeeping, Firehose delivery, transform invocations, quarantined records, Parquet
 * conversion), published to an encrypted SNS topic that CloudWatch may publish to.
 */
export class CtrMonitoring extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarmTopic: sns.Topic;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: CtrMonitoringProps) {
    super(scope, id);
    const checkerFn = props.checker.function;
    const checkerMetric = (name: MetricNameValue): cloudwatch.Metric => appMetric(name, props.checker.serviceName);
    const firehoseMetric = (name: string, statistic: string): cloudwatch.Metric =>
      props.deliveryStream.metric(name, { statistic, period: Duration.minutes(5) });

    const iteratorAge = checkerFn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) });
    const checkerErrors = checkerFn.metricErrors({ period: Duration.minutes(5) });
    const queueDepth = props.onFailureQueue.metricApproximateNumberOfMessagesVisible({
      statistic: 'Maximum',
      period: Duration.minutes(5),
    });
    const deliverySuccess = firehoseMetric('DeliveryToS3.Success', 'Minimum');
    const processingSuccess = firehoseMetric('ExecuteProcessing.Success', 'Minimum');
    const failedConversions = firehoseMetric('FailedConversion.Records', 'Sum');
    const transformQuarantined = appMetric(MetricName.Quarantined, props.transform.serviceName, {
      period: Duration.minutes(5),
      labelled: false,
    });
    // Summed over 5 minutes like the other "any at all" alarms: one failed write is already worth a look. No label:
    // a labelled metric is rendered as a metric-math alarm, which hides the metric name and dimensions.
    const bookkeepingErrors = appMetric(BOOKKEEPING_ERRORS_METRIC, props.checker.serviceName, {
      period: Duration.minutes(5),
      labelled: false,
    });

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'ctr-lake alarms',
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    // enforceSSL writes a topic policy holding only its Deny; a topic policy that exists must also allow the alarms'
    // publisher, the CloudWatch service, or no alarm is ever delivered. Only alarms of this account.
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    if (props.alarmEmail !== undefined) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    this.alarms = [
      new cloudwatch.Alarm(this, 'IteratorAgeAlarm', {
        alarmDescription: `The checker is more than ${ITERATOR_AGE_ALARM_THRESHOLD.toMinutes()} minutes behind the stream`,
        metric: iteratorAge,
        threshold: ITERATOR_AGE_ALARM_THRESHOLD.toMilliseconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'CheckerErrorsAlarm', {
        alarmDescription: 'The checker failed whole invocations (its batches are being retried)',
        metric: checkerErrors,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'OnFailureQueueAlarm', {
        alarmDescription:
          'Batches gave up after all retries: replay the stream ranges recorded in the on-failure queue',
        metric: queueDepth,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'BookkeepingErrorsAlarm', {
        alarmDescription:
          'The checker failed to mark a claim delivered or to release it: a retry may deliver a record twice ' +
          '(duplicates_audit shows it) or a copy stays blocked until the claim expires',
        metric: bookkeepingErrors,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'DeliveryFailureAlarm', {
        alarmDescription: 'Firehose failed to write to the lake bucket (it retries, then writes under errors/)',
        metric: deliverySuccess,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'TransformInvocationAlarm', {
        alarmDescription:
          'A Firehose invocation of the transform failed (error, timeout or unusable answer): Firehose retries it, ' +
          'then writes its records under errors/processing-failed/',
        metric: processingSuccess,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'TransformQuarantineAlarm', {
        alarmDescription:
          'Records went to errors/processing-failed/ instead of the lake (bad input the checker or the transform ' +
          'quarantined): the quarantineReasons of the transform logs say why',
        metric: transformQuarantined,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      ...((props.formatConversion ?? true)
        ? [
            new cloudwatch.Alarm(this, 'FormatConversionAlarm', {
              alarmDescription:
                'Firehose could not convert rows to Parquet: they are under errors/format-conversion-failed/, not ' +
                'in the lake',
              metric: failedConversions,
              threshold: 1,
              comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
              evaluationPeriods: 1,
              treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
            }),
          ]
        : []),
    ];
    const topicAction = new actions.SnsAction(this.alarmTopic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(topicAction);
      alarm.addOkAction(topicAction);
    }

    // No dashboardName: CloudFormation generates one (the DashboardName output names it), so two stages never clash.
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      graph('Records in and delivered', [
        appMetric(MetricName.Sent, props.emulator.serviceName),
        checkerMetric(MetricName.RecordsIn),
        checkerMetric(MetricName.Delivered),
        appMetric(MetricName.Transformed, props.transform.serviceName),
      ]),
      graph('Duplicates dropped', [
        checkerMetric(MetricName.InBatchDuplicates),
        checkerMetric(MetricName.StoredDuplicates),
      ]),
      graph('Quarantined, failed and retried', [
        checkerMetric(MetricName.Quarantined),
        appMetric(MetricName.Quarantined, props.transform.serviceName),
        checkerMetric(MetricName.FailedRecords),
        appMetric(MetricName.FailedRecords, props.emulator.serviceName),
        checkerMetric(MetricName.DeliveryRetries),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Checker iterator age (ms)', [iteratorAge], [ITERATOR_AGE_ALARM_THRESHOLD.toMilliseconds()]),
      graph('Function errors and throttles', [
        checkerErrors,
        checkerFn.metricThrottles({ period: Duration.minutes(5) }),
        props.transform.function.metricErrors({ period: Duration.minutes(5) }),
        props.emulator.function.metricErrors({ period: Duration.minutes(5) }),
      ]),
      graph('On-failure queue depth', [queueDepth]),
    );
    this.dashboard.addWidgets(
      graph('Firehose freshness (s)', [firehoseMetric('DeliveryToS3.DataFreshness', 'Maximum')]),
      graph('Firehose success (1 = all succeeded)', [deliverySuccess, processingSuccess], [1]),
      graph('Firehose records and objects', [
        firehoseMetric('IncomingRecords', 'Sum'),
        firehoseMetric('DeliveryToS3.Records', 'Sum'),
        failedConversions,
        firehoseMetric('DeliveryToS3.ObjectCount', 'Sum'),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Checker bookkeeping errors (failed markDelivered/release)', [bookkeepingErrors], [1]),
      graph('Records kept out of the lake (5 min)', [transformQuarantined, failedConversions], [1]),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...this.alarms], width: 8, height: 6 }),
    );
  }
}

/**
 * A ctr-lake metric as Powertools publishes it: namespace CtrLake, dimension `service`. Summed per minute and
 * labelled with its service unless told otherwise.
 */
function appMetric(
  metricName: AppMetricName,
  service: string,
  options: { readonly period?: Duration; readonly labelled?: boolean } = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service },
    statistic: 'Sum',
    period: options.period ?? Duration.minutes(1),
    label: (options.labelled ?? true) ? `${metricName} (${service})` : undefined,
  });
}

function graph(title: string, metrics: cloudwatch.IMetric[], thresholds: number[] = []): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title,
    left: metrics,
    width: 8,
    height: 6,
    leftAnnotations: thresholds.map((value) => ({ value, label: 'alarm threshold' })),
  });
}
