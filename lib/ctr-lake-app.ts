import { App, type AppProps, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type CtrLakeConfig, readConfig } from './config/ctr-lake-config';
import { resourceNames } from './config/resource-names';
import { CtrLakeStack } from './stacks/ctr-lake-stack';

/** Construct id of the deployable stack; its CloudFormation name is the stage prefix. */
export const CTR_LAKE_STACK_ID = 'CtrLake';

export interface CtrLakeApp {
  readonly app: App;
  readonly config: CtrLakeConfig;
  readonly stack: CtrLakeStack;
}

/**
 * Builds the ctr-lake app: reads and validates the config from the app's context (cdk.json, `-c`), declares the
 * stack, and registers cdk-nag's AWS Solutions checks, which run on every synth and fail it on any unacknowledged
 * finding. Throws CtrLakeConfigError when the context is invalid.
 */
export function createCtrLakeApp(props: AppProps = {}): CtrLakeApp {
  const app = new App(props);
  const config = readConfig(app);
  const stack = new CtrLakeStack(app, CTR_LAKE_STACK_ID, {
    config,
    stackName: resourceNames(config.prefix).stackName,
    description: `ctr-lake (${config.prefix}): Amazon Connect CTRs to an S3/Glue/Athena lake without duplicates`,
    env: stackEnvironment(config),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, config, stack };
}

/**
 * Where the stack deploys. Attached to a Connect instance: the instance's account and region, since Connect streams
 * only to a stream of its own account and region (the CLI then refuses credentials of another account). Otherwise
 * environment-agnostic unless the CLI knows the account and region. Either way synth works offline.
 */
export function stackEnvironment(config: CtrLakeConfig): Environment {
  if (config.connectInstance !== undefined) {
    return { account: config.connectInstance.account, region: config.connectInstance.region };
  }
  return { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
}
