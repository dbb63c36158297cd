import { Duration, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { BOOKKEEPING_ERRORS_METRIC } from '../../lambda/checker/ports';
import { createObservability, METRICS_NAMESPACE, MetricName, MetricUnit } from '../../lambda/shared/observability';
import { CtrFunction, type FunctionSettings, type HandlerName } from '../../lib/constructs/ctr-function';
import { CtrMonitoring } from '../../lib/constructs/ctr-monitoring';
import {
  importedDeliveryStream,
  newTestKey,
  newTestStack,
  onlyResource,
  testFunctionSettings,
} from './support/infra-test-app';

type Alarm = { Properties: Record<string, unknown> };

/** An alarm that fires on the first 5-minute period with any occurrence (a Sum of at least 1), and clears when quiet. */
const FIVE_MINUTES_AT_LEAST_ONE = {
  Statistic: 'Sum',
  Period: Duration.minutes(5).toSeconds(),
  Threshold: 1,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  EvaluationPeriods: 1,
  TreatMissingData: 'notBreaching',
};

/** An alarm on a success ratio that fires on the first 5-minute period whose worst minute fell below 1. */
const FIVE_MINUTES_BELOW_ONE = {
  ...FIVE_MINUTES_AT_LEAST_ONE,
  Statistic: 'Minimum',
  ComparisonOperator: 'LessThanThreshold',
};
type FunctionResource = { Properties: { Environment: { Variables: Record<string, string> } } };

/**
 * The namespace and dimensions of one metric as the checker publishes it: Powertools' EMF document for the metric,
 * built with the environment the stack gives the function.
 */
function emittedMetric(
  environment: Record<string, string>,
  metricName: string,
): { namespace: string; dimensions: { Name: string; Value: unknown }[] } {
  const saved = { ...process.env };
  Object.assign(process.env, environment);
  try {
    const { metrics } = createObservability('unset');
    metrics.addMetric(metricName, MetricUnit.Count, 1);
    const emf = metrics.serializeMetrics() as unknown as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
    };
    const [directive] = emf._aws.CloudWatchMetrics;
    if (!directive?.Metrics.some((metric) => metric.Name === metricName)) throw new Error(`${metricName} not emitted`);
    return {
      namespace: directive.Namespace,
      dimensions: (directive.Dimensions[0] ?? []).map((name) => ({ Name: name, Value: emf[name] })),
    };
  } finally {
    process.env = saved;
  }
}

describe('CtrMonitoring', () => {
  let stack: Stack;
  let key: kms.Key;
  let functions: Record<HandlerName, CtrFunction>;
  let queue: sqs.Queue;
  let monitoring: CtrMonitoring;
  let template: Template;
  let alarms: Alarm[];
  let dashboardBody: string;

  beforeAll(() => {
    stack = newTestStack();
    key = newTestKey(stack);
    const settings: FunctionSettings = testFunctionSettings();
    const fn = (handlerName: HandlerName): CtrFunction =>
      new CtrFunction(stack, handlerName, { ...settings, handlerName, description: handlerName });
    functions = { emulator: fn('emulator'), checker: fn('checker'), transform: fn('transform') };
    queue = new sqs.Queue(stack, 'Queue');
    monitoring = new CtrMonitoring(stack, 'Monitoring', {
      emulator: functions.emulator,
      checker: functions.checker,
      transform: functions.transform,
      onFailureQueue: queue,
      deliveryStream: importedDeliveryStream(stack, 'ctr-test-lake-delivery'),
      encryptionKey: key,
      alarmEmail: 'ops@example.com',
    });
    template = Template.fromStack(stack);
    alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Record<string, Alarm>);
    dashboardBody = JSON.stringify(onlyResource(template, 'AWS::CloudWatch::Dashboard').properties.DashboardBody);
  });

  function alarmOn(metricName: string): Alarm {
    const alarm = alarms.find((candidate) => candidate.Properties.MetricName === metricName);
    if (!alarm) throw new Error(`no alarm on ${metricName}`);
    return alarm;
  }

  it('sends alarms to an SNS topic encrypted with the lake key', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: stack.resolve(key.keyArn) });
  });

  it('lets CloudWatch alarms of this account publish to the topic, and refuses plain HTTP: the whole topic policy', () => {
    const topicRef = stack.resolve(monitoring.alarmTopic.topicArn);

    expect(onlyResource(template, 'AWS::SNS::TopicPolicy').properties).toEqual({
      Topics: [topicRef],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AllowPublishThroughSSLOnly',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Resource: topicRef,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          {
            Sid: 'AllowCloudWatchAlarmsToPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topicRef,
            Condition: { StringEquals: { 'aws:SourceAccount': stack.resolve(stack.account) } },
          },
        ],
      },
    });
  });

  it('subscribes the configured e-mail address', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: stack.resolve(monitoring.alarmTopic.topicArn),
    });
  });

  it('has no subscription without an e-mail address, and no conversion alarm when Firehose converts nothing', () => {
    const other = newTestStack('Other');
    new CtrMonitoring(other, 'Monitoring', {
      emulator: new CtrFunction(other, 'E', {
        ...testFunctionSettings('other'),
        handlerName: 'emulator',
        description: 'e',
      }),
      checker: new CtrFunction(other, 'C', {
        ...testFunctionSettings('other'),
        handlerName: 'checker',
        description: 'c',
      }),
      transform: new CtrFunction(other, 'T', {
        ...testFunctionSettings('other'),
        handlerName: 'transform',
        description: 't',
      }),
      onFailureQueue: new sqs.Queue(other, 'Queue'),
      deliveryStream: importedDeliveryStream(other, 'other'),
      encryptionKey: newTestKey(other),
      formatConversion: false,
    });
    const otherTemplate = Template.fromStack(other);

    otherTemplate.resourceCountIs('AWS::SNS::Subscription', 0);
    otherTemplate.resourceCountIs('AWS::CloudWatch::Alarm', 7);
    otherTemplate.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'FailedConversion.Records' }, 0);
  });

  it('alarms on checker iterator age above five minutes for three minutes', () => {
    expect(alarmOn('IteratorAge').Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: stack.resolve(functions.checker.function.functionName) }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: Duration.minutes(5).toMilliseconds(),
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms on any checker error, any message on the on-failure queue and any failed Firehose delivery', () => {
    expect(alarmOn('Errors').Properties).toMatchObject({
      Dimensions: [{ Name: 'FunctionName', Value: stack.resolve(functions.checker.function.functionName) }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarmOn('ApproximateNumberOfMessagesVisible').Properties).toMatchObject({
      Dimensions: [{ Name: 'QueueName', Value: stack.resolve(queue.queueName) }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarmOn('DeliveryToS3.Success').Properties).toMatchObject({
      Namespace: 'AWS/Firehose',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: 'ctr-test-lake-delivery' }],
      Statistic: 'Minimum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
    });
  });

  it('alarms on any BookkeepingErrors the checker emits within five minutes, by its namespace and dimensions', () => {
    const checkerResource = template.findResources('AWS::Lambda::Function')[
      stack.getLogicalId(functions.checker.function.node.defaultChild as lambda.CfnFunction)
    ] as FunctionResource;
    const emitted = emittedMetric(checkerResource.Properties.Environment.Variables, BOOKKEEPING_ERRORS_METRIC);

    expect(emitted.namespace).toBe(METRICS_NAMESPACE);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: BOOKKEEPING_ERRORS_METRIC,
      Namespace: emitted.namespace,
      Dimensions: emitted.dimensions,
      ...FIVE_MINUTES_AT_LEAST_ONE,
      AlarmActions: [stack.resolve(monitoring.alarmTopic.topicArn)],
      OKActions: [stack.resolve(monitoring.alarmTopic.topicArn)],
    });
  });

  it('alarms when a transform invocation fails (ExecuteProcessing.Success below 1 within five minutes)', () => {
    expect(alarmOn('ExecuteProcessing.Success').Properties).toMatchObject({
      Namespace: 'AWS/Firehose',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: 'ctr-test-lake-delivery' }],
      ...FIVE_MINUTES_BELOW_ONE,
    });
  });

  it('alarms on any record the transform quarantines within five minutes, by the service it publishes under', () => {
    const quarantine = alarms.filter((alarm) => alarm.Properties.MetricName === MetricName.Quarantined);

    expect(quarantine).toHaveLength(1);
    expect(quarantine[0]!.Properties).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [{ Name: 'service', Value: functions.transform.serviceName }],
      ...FIVE_MINUTES_AT_LEAST_ONE,
    });
  });

  it('alarms on any record Parquet conversion fails within five minutes (FailedConversion.Records above 0)', () => {
    expect(alarmOn('FailedConversion.Records').Properties).toMatchObject({
      Namespace: 'AWS/Firehose',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: 'ctr-test-lake-delivery' }],
      ...FIVE_MINUTES_AT_LEAST_ONE,
    });
  });

  it('charts BookkeepingErrors with its alarm threshold and shows every alarm state', () => {
    expect(dashboardBody).toContain(
      `[\\"${METRICS_NAMESPACE}\\",\\"${BOOKKEEPING_ERRORS_METRIC}\\",\\"service\\",\\"${functions.checker.serviceName}\\"`,
    );
    expect(dashboardBody).toContain('\\"type\\":\\"alarm\\"');
    for (const alarm of monitoring.alarms) {
      expect(dashboardBody).toContain(JSON.stringify(stack.resolve(alarm.alarmArn)));
    }
  });

  it('notifies the topic when each alarm fires and when it clears', () => {
    const topicRef = stack.resolve(monitoring.alarmTopic.topicArn);

    expect(alarms).toHaveLength(8);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
      expect(alarm.Properties.OKActions).toEqual([topicRef]);
    }
  });

  it('charts the ctr-lake metrics by the service dimension Powertools publishes them with', () => {
    for (const metric of [MetricName.RecordsIn, MetricName.Delivered, MetricName.StoredDuplicates]) {
      expect(dashboardBody).toContain(`[\\"CtrLake\\",\\"${metric}\\",\\"service\\",\\"ctr-test-checker\\"`);
    }
    for (const [metric, service] of [
      [MetricName.Sent, 'ctr-test-emulator'],
      [MetricName.FailedRecords, 'ctr-test-emulator'],
      [MetricName.Transformed, 'ctr-test-transform'],
      [MetricName.Quarantined, 'ctr-test-transform'],
    ]) {
      expect(dashboardBody).toContain(`[\\"CtrLake\\",\\"${metric}\\",\\"service\\",\\"${service}\\"`);
    }
  });

  it('charts iterator age, Firehose freshness and failures, and the on-failure queue depth', () => {
    for (const metric of [
      'IteratorAge',
      'DeliveryToS3.DataFreshness',
      'DeliveryToS3.Success',
      'ExecuteProcessing.Success',
      'FailedConversion.Records',
      'ApproximateNumberOfMessagesVisible',
    ]) {
      expect(dashboardBody).toContain(`\\"${metric}\\"`);
    }
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: Match.absent() });
  });
});
