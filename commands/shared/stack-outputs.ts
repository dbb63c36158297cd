import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { resourceNames } from '../../lib/config/resource-names';
import { OutputKey } from '../../lib/stacks/ctr-lake-stack';
import { CDK_JSON, readProjectConfig } from '../../lib/config/project-config';

export { OutputKey };
export type OutputName = (typeof OutputKey)[keyof typeof OutputKey];

/** A deployment that cannot be found or lacks an output, with what to do about it. */
export class DeploymentLookupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeploymentLookupError';
  }
}

/** The stack `cdk deploy` created for the configured prefix (cdk.json `ctrLake:prefix`). */
export function defaultStackName(cdkJson: string = CDK_JSON): string {
  return resourceNames(readProjectConfig(cdkJson).prefix).stackName;
}

export interface StackOutputs {
  readonly stackName: string;
  get(name: OutputName): string;
}

/** Reads the stack's outputs (CloudFormation DescribeStacks); `get` throws naming the missing output. */
export async function findStackOutputs(client: CloudFormationClient, stackName: string): Promise<StackOutputs> {
  let outputs: Record<string, string>;
  try {
    const answer = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = answer.Stacks?.[0];
    if (!stack) throw new Error('no stack in the answer');
    outputs = Object.fromEntries(
      (stack.Outputs ?? []).flatMap((o) => (o.OutputKey && o.OutputValue ? [[o.OutputKey, o.OutputValue]] : [])),
    );
  } catch (error) {
    throw new DeploymentLookupError(explainLookupFailure(error, stackName, await regionOf(client)), { cause: error });
  }
  return {
    stackName,
    get(name) {
      const value = outputs[name];
      if (value === undefined) {
        throw new DeploymentLookupError(
          `stack ${stackName} has no output ${name}: it was deployed from another version of ctr-lake; ` +
            'run `npx cdk deploy --all` again',
        );
      }
      return value;
    },
  };
}

async function regionOf(client: CloudFormationClient): Promise<string | undefined> {
  try {
    return await client.config.region();
  } catch {
    return undefined;
  }
}

/** Turns the usual reasons (no credentials, no region, no such stack) into one actionable sentence. */
export function explainLookupFailure(error: unknown, stackName: string, region: string | undefined): string {
  const name = (error as { name?: string }).name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError' || /credentials/i.test(message)) {
    return `no AWS credentials: pass --profile NAME, set AWS_PROFILE, or run \`aws configure\` (${message})`;
  }
  if (/region is missing/i.test(message)) {
    return 'no AWS region: pass --region REGION, or set AWS_REGION or AWS_DEFAULT_REGION';
  }
  if (name === 'ValidationError' && /does not exist/.test(message)) {
    return (
      `stack ${stackName} does not exist in ${region ?? 'this region'}: deploy it with \`npx cdk deploy --all\`, ` +
      'or pass --stack NAME / --region REGION'
    );
  }
  return `cannot read stack ${stackName}: ${message}`;
}
