import { parseArgs } from 'node:util';

/** Options every command against a deployment takes, and the arguments left for the command itself. */
export interface DeploymentArgs {
  readonly profile?: string;
  readonly region?: string;
  /** The CloudFormation stack holding the outputs. @default the `ctrLake:prefix` of cdk.json */
  readonly stack?: string;
  readonly json: boolean;
  readonly help: boolean;
  readonly positionals: readonly string[];
}

export class DeploymentUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeploymentUsageError';
  }
}

export const DEPLOYMENT_OPTIONS_HELP = `  --profile NAME   AWS profile from ~/.aws/config (default: the standard AWS environment)
  --region REGION  AWS region (default: the profile's or AWS_REGION)
  --stack NAME     the deployed stack (default: ctrLake:prefix in cdk.json, "ctr-lake")
  --json           print JSON instead of text
  --help           show this help`;

export function parseDeploymentArgs(argv: readonly string[]): DeploymentArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        profile: { type: 'string' },
        region: { type: 'string' },
        stack: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new DeploymentUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  return {
    ...(values.profile ? { profile: values.profile } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values.stack ? { stack: values.stack } : {}),
    json: values.json ?? false,
    help: values.help ?? false,
    positionals,
  };
}

/** SDK client settings from the options: the default chain (env, profile, SSO, roles) does the rest. */
export function clientConfig(args: Pick<DeploymentArgs, 'profile' | 'region'>): { profile?: string; region?: string } {
  return { ...(args.profile ? { profile: args.profile } : {}), ...(args.region ? { region: args.region } : {}) };
}
