import { Duration, Size, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { COMPACTION_PREFIX } from '../../lambda/compaction/compaction-names';
import {
  COMPACTION_RUN_MINUTES,
  PLANNING_BYTES_PER_SECOND,
  SAFETY_MARGIN_MS,
} from '../../lambda/compaction/time-budget';
import { LAKE_DATA_PREFIX } from '../../lambda/shared/row-schema';
import type { LakeFormat } from '../config/ctr-lake-config';
import { acknowledgeWildcards } from '../nag/acknowledge-wildcards';
import { CtrFunction, type FunctionSettings } from './ctr-function';
import { DuckDbLayer } from './duckdb-layer';

/** The function's /tmp: Lambda's maximum. Downloads, outputs and DuckDB's spill files go there. */
export const COMPACTION_EPHEMERAL_STORAGE = Size.mebibytes(10240);
/**
 * Below the 15-minute maximum and the 15 minutes between the schedule's runs, so two runs never overlap. (Reserved
 * concurrency would say the same, but an account whose concurrency quota is 10 cannot reserve any.)
 */
export const COMPACTION_TIMEOUT = Duration.minutes(14);
/**
 * The largest partition a run rewrites, the smaller of what /tmp holds (the originals and the outputs are both there,
 * about twice the partition, plus DuckDB's spill of the narrow keep-set: 4 GiB of 10) and what one run has time for
 * at the planning rate (14 minutes less the safety margin, at 4 MiB/s: about 3 GiB). Larger partitions are refused
 * and alarmed, never cut short halfway or deferred forever.
 */
export const MAX_PARTITION_BYTES = Math.min(
  4 * 1024 ** 3,
  Math.floor(((COMPACTION_TIMEOUT.toMilliseconds() - SAFETY_MARGIN_MS) / 1000) * PLANNING_BYTES_PER_SECOND),
);

export interface LakeCompactionProps {
  readonly lakeBucket: s3.IBucket;
  /** The lake bucket's key: the objects read and written are encrypted with it. */
  readonly encryptionKey: kms.IKey;
  readonly lakeFormat: LakeFormat;
  /** UTC hour of the day the schedule runs in (0-23). */
  readonly hourUtc: number;
  readonly memoryMb: number;
  readonly functionSettings: FunctionSettings;
  /** Provides @duckdb/node-api for linux-arm64. @default a DuckDbLayer built from the installed version */
  readonly duckDbLayer?: lambda.ILayerVersion;
}

/**
 * The nightly compaction job: an EventBridge Scheduler schedule invokes, every day in `hourUtc`, a Lambda that runs
 * lambda/compaction (the code `npm run compact` runs locally) over the lake bucket: every day partition before today
 * that received objects since its last compaction becomes one object (or a few of at most 256 MiB) with exactly one
 * row per fingerprint. Its role may list, read, write and delete under `ctr/` and `compaction/` of the lake bucket
 * only, and use the lake key for those objects.
 */
export class LakeCompaction extends Construct {
  readonly handler: CtrFunction;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: LakeCompactionProps) {
    super(scope, id);
    if (!Number.isInteger(props.hourUtc) || props.hourUtc < 0 || props.hourUtc > 23) {
      throw new RangeError(`hourUtc must be an integer from 0 to 23, received ${props.hourUtc}`);
    }
    const layer = props.duckDbLayer ?? new DuckDbLayer(this, 'DuckDb').layer;

    this.handler = new CtrFunction(this, 'Compaction', {
      ...props.functionSettings,
      handlerName: 'compaction',
      description:
        'Nightly: rewrites each changed day partition of the lake as one object per day, one row per fingerprint',
      timeout: COMPACTION_TIMEOUT,
      memorySize: props.memoryMb,
      ephemeralStorageSize: COMPACTION_EPHEMERAL_STORAGE,
      layers: [layer],
      // A failed run is retried by the schedule's next run (15 minutes later, or the next night), which finishes
      // whatever the failed one left in flight first; Lambda's own retries would overlap with it.
      retryAttempts: 0,
      environment: {
        LAKE_BUCKET_NAME: props.lakeBucket.bucketName,
        LAKE_FORMAT: props.lakeFormat,
        MAX_PARTITION_BYTES: String(MAX_PARTITION_BYTES),
        DUCKDB_MEMORY_MB: String(Math.floor(props.memoryMb / 2)),
      },
    });
    this.grantLakeAccess(props);

    // Scheduler's role for this schedule alone (the target would otherwise share one per stack): it may invoke this
    // function (and its versions) only, and only for schedules of this account.
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets EventBridge Scheduler invoke the ctr-lake compaction function',
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `ctr-lake compaction, daily at ${String(props.hourUtc).padStart(2, '0')}:00 UTC (and every 15 minutes of that hour for deferred work)`,
      schedule: scheduler.ScheduleExpression.cron({
        minute: COMPACTION_RUN_MINUTES,
        hour: String(props.hourUtc),
        timeZone: TimeZone.ETC_UTC,
      }),
      target: new targets.LambdaInvoke(this.handler.function, {
        role: scheduleRole,
        input: scheduler.ScheduleTargetInput.fromObject({}),
        // Retries of the invocation itself (throttled, service error), not of a failed run.
        retryAttempts: 3,
        maxEventAge: Duration.minutes(10),
      }),
    });
    this.acknowledgeScheduleRole(scheduleRole);
  }

  /** The role's invoke grant covers the function's versions too (`<arn>:*`): what LambdaInvoke grants. */
  private acknowledgeScheduleRole(role: iam.IRole): void {
    acknowledgeWildcards(role, {
      resources: [`${this.handler.function.functionArn}:*`],
      reason: 'EventBridge Scheduler may invoke the compaction function and its versions/aliases, nothing else.',
    });
  }

  /**
   * Least privilege, written out because the bucket's grants cannot limit a listing to a prefix: ListBucket with
   * an `s3:prefix` condition, object actions on the two prefixes, the key for those objects. CopyObject needs
   * GetObject on the source and PutObject on the target, DeleteObjects DeleteObject on each key.
   */
  private grantLakeAccess(props: LakeCompactionProps): void {
    const role = this.handler.role;
    const prefixes = [LAKE_DATA_PREFIX, COMPACTION_PREFIX];
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListLakePrefixes',
        actions: ['s3:ListBucket'],
        resources: [props.lakeBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': prefixes.map((prefix) => `${prefix}*`) } },
      }),
    );
    const objects = prefixes.map((prefix) => props.lakeBucket.arnForObjects(`${prefix}*`));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RewriteLakeObjects',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: objects,
      }),
    );
    props.encryptionKey.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
    acknowledgeWildcards(role, {
      resources: objects,
      reason:
        'The compaction job rewrites any object of the table location ctr/ (Firehose names them) and its own ' +
        'manifests and staged objects under compaction/: object actions limited to those two prefixes of the lake bucket.',
    });
  }
}
