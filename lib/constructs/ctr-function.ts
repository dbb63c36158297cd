import * as path from 'node:path';
import { Duration, RemovalPolicy, type Size } from 'aws-cdk-lib';
import { SubnetType, type IVpc, type ISecurityGroup } from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../lambda/shared/observability';
import type { LogLevel } from '../config/ctr-lake-config';

/** The handlers of ctr-lake: each is `lambda/<name>/handler.ts` exporting `handler`. */
export type HandlerName = 'emulator' | 'checker' | 'transform' | 'compaction';

/**
 * The newest Node.js runtime this aws-cdk-lib knows (cdk-nag's AwsSolutions-L1 compares against the same list).
 * The handlers are also run on the Node 20 of the development machine, so they use nothing newer than Node 20.
 */
export const CTR_FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** The DuckDB package the compaction handler imports. */
export const DUCKDB_PACKAGE = '@duckdb/node-api';

/**
 * Modules a handler imports that esbuild cannot bundle (native bindings): left out of its bundle, so a layer must
 * provide them (lib/constructs/duckdb-layer.ts for the compaction job).
 */
export const NATIVE_MODULES: Readonly<Partial<Record<HandlerName, readonly string[]>>> = {
  compaction: [DUCKDB_PACKAGE],
};

/** Repository root, where package-lock.json and the `lambda/` sources live. */
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface CtrFunctionProps {
  /** Which handler to bundle: `lambda/<handlerName>/handler.ts`. */
  readonly handlerName: HandlerName;
  readonly description: string;
  /**
   * Stage prefix. The Powertools service name, which is the `service` dimension of the function's metrics, is
   * `<stage>-<handlerName>`, so that two stages in one account keep their metrics apart.
   */
  readonly stage: string;
  /** Handler-specific environment, merged over the common Powertools and source-map variables. */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  readonly logRetention: logs.RetentionDays;
  readonly logLevel: LogLevel;
  /** What happens to the log group when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Layers, e.g. the one providing a handler's NATIVE_MODULES. @default none */
  readonly layers?: readonly lambda.ILayerVersion[];
  /** /tmp size. @default Lambda's 512 MiB */
  readonly ephemeralStorageSize?: Size;
  /** Concurrent executions reserved (and so also the maximum). @default unreserved */
  readonly reservedConcurrentExecutions?: number;
  /** Retries of a failed asynchronous invocation. @default Lambda's 2 */
  readonly retryAttempts?: number;
  /**
   * Runs the function in this VPC's isolated subnets, in `securityGroups`. @default no VPC (the Lambda service's
   * network)
   */
  readonly network?: { readonly vpc: IVpc; readonly securityGroups: readonly ISecurityGroup[] };
}

/** The settings every function of a deployment shares, taken from the config. */
export type FunctionSettings = Pick<CtrFunctionProps, 'stage' | 'logRetention' | 'logLevel' | 'logRemovalPolicy'>;

/**
 * The one NodejsFunction wrapper of ctr-lake: newest Node.js runtime on ARM64, bundled by the local esbuild (no
 * Docker), source maps on, AWS SDK v3 taken from the runtime, its own log group with a retention, and its own role
 * that may only write to that log group (no AWS managed policy): every other permission comes from a grant.
 */
export class CtrFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: CtrFunctionProps) {
    super(scope, id);
    this.serviceName = `${props.stage}-${props.handlerName}`;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ctr-lake ${props.handlerName} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, 'lambda', props.handlerName, 'handler.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: CTR_FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      description: props.description,
      timeout: props.timeout ?? Duration.seconds(30),
      memorySize: props.memorySize ?? 256,
      role: this.role,
      logGroup: this.logGroup,
      ...(props.network
        ? {
            vpc: props.network.vpc,
            vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
            securityGroups: [...props.network.securityGroups],
          }
        : {}),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: this.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        logLevel: nodejs.LogLevel.WARNING,
        // The Node.js runtimes ship AWS SDK v3; bundling it would only grow the package and the cold start.
        externalModules: ['@aws-sdk/*', ...(NATIVE_MODULES[props.handlerName] ?? [])],
      },
      ...(props.layers ? { layers: [...props.layers] } : {}),
      ...(props.ephemeralStorageSize ? { ephemeralStorageSize: props.ephemeralStorageSize } : {}),
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      ...(props.retryAttempts !== undefined ? { retryAttempts: props.retryAttempts } : {}),
    });
  }
}
