import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { PiiMode } from '../../lambda/transform/pii/pii-policy';
import { CtrLakeStack } from '../../lib/stacks/ctr-lake-stack';
import { cdkJsonContext, testConfig } from './support/infra-test-app';

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
}

interface Grant {
  /** `<template> <resource logical id>`: who holds the statement. */
  readonly holder: string;
  readonly statement: Statement;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** Every policy statement of a template, with the resource holding it: identity policies and resource policies. */
function statementsOf(name: string, template: Template): Grant[] {
  const resources = template.toJSON().Resources as Resources;
  return Object.entries(resources).flatMap(([id, { Type, Properties = {} }]) => {
    const documents: unknown[] = [];
    if (Type === 'AWS::IAM::Policy' || Type === 'AWS::IAM::ManagedPolicy') documents.push(Properties.PolicyDocument);
    if (Type === 'AWS::IAM::Role') {
      for (const inline of (Properties.Policies as { PolicyDocument: unknown }[] | undefined) ?? []) {
        documents.push(inline.PolicyDocument);
      }
    }
    if (Type === 'AWS::KMS::Key') documents.push(Properties.KeyPolicy);
    if (Type === 'AWS::SecretsManager::ResourcePolicy') documents.push(Properties.ResourcePolicy);
    return documents.flatMap((document) =>
      ((document as { Statement?: Statement[] } | undefined)?.Statement ?? []).map((statement) => ({
        holder: `${name} ${id}`,
        statement,
      })),
    );
  });
}

/** Whether an IAM action pattern (with * and ?) covers an action. */
function covers(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return regex.test(action);
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : [value].flat());

/** Whether the statement allows reading a secret's value: GetSecretValue by name, by wildcard or through NotAction. */
function allowsSecretRead(statement: Statement): boolean {
  if (statement.Effect !== 'Allow') return false;
  if (statement.NotAction !== undefined) {
    return !list(statement.NotAction).some((pattern) => covers(pattern, 'secretsmanager:GetSecretValue'));
  }
  return list(statement.Action).some((pattern) => covers(pattern, 'secretsmanager:GetSecretValue'));
}

/** Every role's AWS managed policies: one of them could grant what no statement here shows. */
function managedPolicies(template: Template): string[] {
  const resources = template.toJSON().Resources as Resources;
  return Object.values(resources)
    .filter(({ Type }) => Type === 'AWS::IAM::Role')
    .flatMap(({ Properties = {} }) => (Properties.ManagedPolicyArns as unknown[] | undefined) ?? [])
    .map((arn) => JSON.stringify(arn));
}

const synthesized = new Map<PiiMode, ReturnType<typeof synthesizeAnew>>();

/** The whole stack in one PII mode, synthesized once per test file. */
function synthesize(mode: PiiMode): ReturnType<typeof synthesizeAnew> {
  if (!synthesized.has(mode)) synthesized.set(mode, synthesizeAnew(mode));
  return synthesized.get(mode)!;
}

function synthesizeAnew(mode: PiiMode) {
  // No bundling: the functions' code is not what is checked here, and bundling three handlers per mode is slow.
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const stack = new CtrLakeStack(app, 'CtrLake', {
    config: testConfig({ 'ctrLake:prefix': 'ctr-test', 'ctrLake:piiMode': mode }),
    stackName: 'ctr-test',
  });
  const templates = {
    root: Template.fromStack(stack),
    stateful: Template.fromStack(stack.stateful),
    stateless: Template.fromStack(stack.stateless),
  };
  const transformRole = stack.stateless.getLogicalId(
    stack.stateless.delivery.transform.role.node.defaultChild as iam.CfnRole,
  );
  return { stack, templates, transformRole };
}

describe('who can read the pseudonym key', () => {
  it('in pseudonymise mode: the transform role alone, read-only, on that secret', () => {
    const { templates, transformRole } = synthesize('pseudonymise');
    const grants = Object.entries(templates).flatMap(([name, template]) => statementsOf(name, template));

    const readers = grants.filter(({ statement }) => allowsSecretRead(statement));

    expect(readers).toHaveLength(1);
    const [reader] = readers;
    const policy = (templates.stateless.toJSON().Resources as Resources)[reader!.holder.split(' ')[1]!]!;
    expect(reader!.holder.startsWith('stateless ')).toBe(true);
    expect(policy.Properties?.Roles).toEqual([{ Ref: transformRole }]);
    expect(reader!.statement.Action).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(JSON.stringify(reader!.statement.Resource)).toContain('PseudonymKeySecret');
    expect(JSON.stringify(reader!.statement.Resource)).not.toContain('*');
  });

  it.each(['keep', 'drop'] as const)('in %s mode: nobody in the stack', (mode) => {
    const { templates } = synthesize(mode);
    const grants = Object.entries(templates).flatMap(([name, template]) => statementsOf(name, template));

    expect(grants.filter(({ statement }) => allowsSecretRead(statement))).toEqual([]);
    templates.stateful.resourceCountIs('AWS::SecretsManager::Secret', 1);
  });

  it('no role of the stack carries a managed policy that could read it, and the secret has no resource policy', () => {
    const { templates } = synthesize('pseudonymise');

    for (const template of Object.values(templates)) {
      for (const arn of managedPolicies(template)) expect(arn).toMatch(/service-role\/AWSLambdaBasicExecutionRole/);
      template.resourceCountIs('AWS::SecretsManager::ResourcePolicy', 0);
    }
  });

  it('the key policy lets no principal of the stack decrypt through Secrets Manager but the account, for IAM to decide', () => {
    const { templates } = synthesize('pseudonymise');
    const keyStatements = statementsOf('stateful', templates.stateful).filter(({ holder }) =>
      holder.includes('LakeKey'),
    );

    const principals = keyStatements.map(({ statement }) =>
      JSON.stringify((statement as { Principal?: unknown }).Principal),
    );

    for (const principal of principals) expect(principal).toMatch(/:root"|cloudwatch\.amazonaws\.com/);
  });
});
