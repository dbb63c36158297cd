import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, type Environment, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { type CtrLakeConfig, parseConfig } from '../../../lib/config/ctr-lake-config';
import type { FunctionSettings } from '../../../lib/constructs/ctr-function';

/** The "context" of cdk.json: the ctr-lake settings and the feature flags `cdk synth` runs with. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

/** The deployed configuration, with some keys (`ctrLake:` prefixed) overridden. */
export function testConfig(overrides: Record<string, unknown> = {}): CtrLakeConfig {
  return parseConfig({ ...cdkJsonContext(), ...overrides });
}

/**
 * A stack in an app with cdk.json's context, so constructs behave under test as under `cdk synth`.
 * Environment-agnostic unless given an account and region.
 */
export function newTestStack(id = 'TestStack', env?: Environment): Stack {
  const app = new App({ context: cdkJsonContext() });
  return new Stack(app, id, { env });
}

/** A key to hand to constructs that encrypt with the lake key. */
export function newTestKey(stack: Stack): kms.Key {
  return new kms.Key(stack, 'TestKey', { enableKeyRotation: true });
}

/** The function settings of a test stage: a month of INFO logs, deleted with the stack. */
export function testFunctionSettings(stage = 'ctr-test'): FunctionSettings {
  return {
    stage,
    logRetention: logs.RetentionDays.ONE_MONTH,
    logLevel: 'INFO',
    logRemovalPolicy: RemovalPolicy.DESTROY,
  };
}

/** A delivery stream to hand to constructs that only put records to one. */
export function importedDeliveryStream(stack: Stack, name: string): firehose.IDeliveryStream {
  Validations.of(stack).acknowledge({
    id: 'CloudFormation-Validate::W7001',
    reason: 'Importing a delivery stream declares a Firehose CIDR mapping that this test stack does not use.',
  });
  return firehose.DeliveryStream.fromDeliveryStreamName(stack, `Imported-${name}`, name);
}

type Resources = Record<string, { Properties?: Record<string, unknown>; DeletionPolicy?: string }>;

/** The one resource of a type in a template, failing when there is not exactly one. */
export function onlyResource(
  template: Template,
  type: string,
): { logicalId: string; properties: Record<string, unknown>; deletionPolicy?: string } {
  const found = template.findResources(type) as Resources;
  const ids = Object.keys(found);
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}: ${ids.join(', ')}`);
  const [logicalId] = ids as [string];
  const resource = found[logicalId]!;
  return { logicalId, properties: resource.Properties ?? {}, deletionPolicy: resource.DeletionPolicy };
}

/** The statements of every IAM policy attached to a role, by the role's resolved reference. */
export function statementsOfRole(template: Template, roleRef: unknown): Record<string, unknown>[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<
    string,
    { Properties: { Roles: unknown[]; PolicyDocument: { Statement: Record<string, unknown>[] } } }
  >;
  return Object.values(policies)
    .filter((policy) => policy.Properties.Roles.some((role) => JSON.stringify(role) === JSON.stringify(roleRef)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** Every action granted to a role, flattened and sorted. */
export function actionsOfRole(template: Template, roleRef: unknown): string[] {
  return statementsOfRole(template, roleRef)
    .flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]))
    .map(String)
    .sort();
}

/** `*Name` properties that name no resource: what an alarm watches, a label, an inline policy within its role. */
const NOT_PHYSICAL_NAMES = new Set(['MetricName', 'DisplayName', 'PolicyName']);

type TemplateResources = Record<string, { Type: string; Properties?: object; DeletionPolicy?: string }>;

/**
 * The literal physical names of one resource, as `<property path>=<value>`: its top-level `*Name` properties and the
 * names inside Glue's DatabaseInput/TableInput. Names made of tokens (references) are left out.
 */
function literalNamesOfResource(properties: object = {}): string[] {
  const candidates: [string, unknown][] = Object.entries(properties).filter(
    ([key]) => /Name$/.test(key) && !NOT_PHYSICAL_NAMES.has(key),
  );
  for (const input of ['DatabaseInput', 'TableInput']) {
    const nested = (properties as Record<string, { Name?: unknown } | undefined>)[input];
    if (nested?.Name !== undefined) candidates.push([`${input}.Name`, nested.Name]);
  }
  return candidates.filter(([, value]) => typeof value === 'string').map(([key, value]) => `${key}=${String(value)}`);
}

/** Every literal physical name in a template, as `<resource type> <property path>=<value>`. */
export function literalNames(template: Template): string[] {
  const resources = template.toJSON().Resources as TemplateResources;
  return Object.values(resources).flatMap(({ Type, Properties }) =>
    literalNamesOfResource(Properties).map((name) => `${Type} ${name}`),
  );
}

/** Deletion policies that leave the resource behind when the stack is deleted. */
const LEFT_BEHIND = new Set(['Retain', 'RetainExceptOnCreate']);

/**
 * Resources left behind by a stack deletion that carry a fixed physical name, as `<logical id> <type> <name>`: each
 * one makes the next deployment of the same stage fail with AlreadyExists.
 */
export function retainedNamedResources(template: Template): string[] {
  const resources = template.toJSON().Resources as TemplateResources;
  return Object.entries(resources)
    .filter(([, resource]) => LEFT_BEHIND.has(resource.DeletionPolicy ?? 'Delete'))
    .flatMap(([logicalId, { Type, Properties }]) =>
      literalNamesOfResource(Properties).map((name) => `${logicalId} ${Type} ${name}`),
    );
}
