import { checkProfileExists } from './aws-profiles';
import {
  parseCommandArgs,
  UsageError,
  type CommandOptions,
  type CommandSpec,
  type ParsedCommand,
} from './command-args';

/** The options every command against a deployment takes. */
export const DEPLOYMENT_OPTIONS = {
  profile: {
    type: 'string',
    placeholder: 'NAME',
    help: 'AWS profile from ~/.aws/config (default: the standard AWS environment)',
  },
  region: { type: 'string', placeholder: 'REGION', help: "AWS region (default: the profile's or AWS_REGION)" },
  stack: {
    type: 'string',
    placeholder: 'NAME',
    help: 'the deployed stack (default: ctrLake:prefix in cdk.json, "ctr-lake")',
  },
  json: { type: 'boolean', help: 'print JSON instead of text' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const satisfies CommandOptions;

/** What every command against a deployment reads from its command line. */
export interface DeploymentArgs {
  readonly profile?: string;
  readonly region?: string;
  /** The CloudFormation stack holding the outputs. @default the `ctrLake:prefix` of cdk.json */
  readonly stack?: string;
  readonly json: boolean;
  readonly help: boolean;
  readonly positionals: readonly string[];
}

/** A deployment command's spec: its own options, if any, after the shared ones. */
export function deploymentCommand<O extends CommandOptions>(
  spec: Omit<CommandSpec<O>, 'options'> & { readonly options?: O },
): CommandSpec<O & typeof DEPLOYMENT_OPTIONS> {
  return { ...spec, options: { ...(spec.options ?? ({} as O)), ...DEPLOYMENT_OPTIONS } };
}

/** The shared deployment options of a parsed command line. */
export function deploymentArgs<O extends CommandOptions>(
  parsed: ParsedCommand<O & typeof DEPLOYMENT_OPTIONS>,
): DeploymentArgs {
  const values = parsed.values as { profile?: string; region?: string; stack?: string; json?: boolean; help?: boolean };
  return {
    ...(values.profile ? { profile: values.profile } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values.stack ? { stack: values.stack } : {}),
    json: values.json ?? false,
    help: values.help ?? false,
    positionals: parsed.positionals,
  };
}

/** Parses a deployment command's line and returns the shared options with the positionals. */
export function parseDeploymentArgs<O extends CommandOptions>(
  argv: readonly string[],
  spec: CommandSpec<O & typeof DEPLOYMENT_OPTIONS>,
): DeploymentArgs {
  return deploymentArgs(parseCommandArgs(spec, argv));
}

/**
 * SDK client settings from the options: the default chain (env, profile, SSO, roles) does the rest. Called before
 * any client exists, it checks what the SDK would only find out on its first call, and says it in one line:
 * - a `--profile` that neither the shared config file nor the shared credentials file defines is refused
 *   (ProfileNotFoundError), instead of surfacing later as "no AWS region" or "no AWS credentials";
 * - the region is `--region`, else AWS_REGION, else AWS_DEFAULT_REGION (which the AWS CLI reads and the JavaScript
 *   SDK does not), else left to the SDK (the profile's `region`), the order the AWS CLI uses.
 */
export function clientConfig(
  args: Pick<DeploymentArgs, 'profile' | 'region'>,
  env: NodeJS.ProcessEnv = process.env,
): { profile?: string; region?: string } {
  if (args.profile) checkProfileExists(args.profile, env);
  const region = args.region || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  return { ...(args.profile ? { profile: args.profile } : {}), ...(region ? { region } : {}) };
}

/** A command told to work on a local lake (`--lake`) refuses the options that pick a deployment. */
export function refuseDeploymentWithLake(
  args: Pick<DeploymentArgs, 'profile' | 'region' | 'stack'>,
  verb: string,
): void {
  if (args.profile || args.region || args.stack) {
    throw new UsageError(`--lake ${verb} a local lake: --profile, --region and --stack are for a deployment`);
  }
}
