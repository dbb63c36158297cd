import {
  AccessDeniedException,
  AssociateInstanceStorageConfigCommand,
  type ConnectClient,
  type InstanceStorageConfig,
  ListInstanceStorageConfigsCommand,
  ResourceNotFoundException,
  UpdateInstanceStorageConfigCommand,
} from '@aws-sdk/client-connect';
import type { ConnectInstance } from '../../lib/config/connect-instance';
import type { CtrStorage } from './storage-plan';

/** A Connect call that failed, said in one line with what to do about it. */
export class ConnectStorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectStorageError';
  }
}

/** What each call needs, for the access-denied line. */
const NEEDS = {
  list: 'connect:ListInstanceStorageConfigs on the instance',
  associate:
    'connect:AssociateInstanceStorageConfig on the instance, iam:PutRolePolicy on its service-linked role and ' +
    'kinesis:DescribeStream on the stream',
  update:
    'connect:UpdateInstanceStorageConfig on the instance, iam:PutRolePolicy on its service-linked role and ' +
    'kinesis:DescribeStream on the stream',
} as const;

/**
 * The contact-trace-record storage of one Connect instance, through the Connect API (ListInstanceStorageConfigs,
 * AssociateInstanceStorageConfig, UpdateInstanceStorageConfig), with failures turned into ConnectStorageError.
 */
export class ConnectCtrStorageApi {
  constructor(
    private readonly client: ConnectClient,
    private readonly instance: ConnectInstance,
  ) {}

  /** Every CTR storage config of the instance (all pages). */
  async list(): Promise<CtrStorage[]> {
    const configs: CtrStorage[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call('list', () =>
        this.client.send(
          new ListInstanceStorageConfigsCommand({
            InstanceId: this.instance.instanceId,
            ResourceType: 'CONTACT_TRACE_RECORDS',
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        ),
      );
      configs.push(...(page.StorageConfigs ?? []).map(toCtrStorage));
      nextToken = page.NextToken;
    } while (nextToken);
    return configs;
  }

  /** Associates the stream as the instance's CTR storage; returns the association id. */
  async associate(streamArn: string): Promise<string> {
    const answer = await this.call('associate', () =>
      this.client.send(
        new AssociateInstanceStorageConfigCommand({
          InstanceId: this.instance.instanceId,
          ResourceType: 'CONTACT_TRACE_RECORDS',
          StorageConfig: { StorageType: 'KINESIS_STREAM', KinesisStreamConfig: { StreamArn: streamArn } },
        }),
      ),
    );
    return answer.AssociationId ?? '';
  }

  /** Points an existing association at the stream. */
  async update(associationId: string, streamArn: string): Promise<void> {
    await this.call('update', () =>
      this.client.send(
        new UpdateInstanceStorageConfigCommand({
          InstanceId: this.instance.instanceId,
          AssociationId: associationId,
          ResourceType: 'CONTACT_TRACE_RECORDS',
          StorageConfig: {
            AssociationId: associationId,
            StorageType: 'KINESIS_STREAM',
            KinesisStreamConfig: { StreamArn: streamArn },
          },
        }),
      ),
    );
  }

  private async call<T>(what: keyof typeof NEEDS, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.explain(what, error);
    }
  }

  private explain(what: keyof typeof NEEDS, error: unknown): Error {
    const verb = { list: 'listing', associate: 'associating', update: 'updating' }[what];
    const said = error instanceof Error ? error.message : String(error);
    if (error instanceof AccessDeniedException) {
      return new ConnectStorageError(
        `access denied ${verb} the CTR storage of Connect instance ${this.instance.arn}: the caller needs ` +
          `${NEEDS[what]} (AWS said: ${said})`,
        { cause: error },
      );
    }
    if (error instanceof ResourceNotFoundException) {
      return new ConnectStorageError(
        `no Connect instance ${this.instance.instanceId} in account ${this.instance.account}, region ` +
          `${this.instance.region}: check --instance and the credentials' account (AWS said: ${said})`,
        { cause: error },
      );
    }
    return new ConnectStorageError(`${verb} the CTR storage of Connect instance ${this.instance.arn} failed: ${said}`, {
      cause: error,
    });
  }
}

function toCtrStorage(config: InstanceStorageConfig): CtrStorage {
  const target =
    config.KinesisStreamConfig?.StreamArn ??
    config.KinesisFirehoseConfig?.FirehoseArn ??
    (config.S3Config?.BucketName
      ? `s3://${config.S3Config.BucketName}/${config.S3Config.BucketPrefix ?? ''}`
      : undefined);
  return {
    associationId: config.AssociationId ?? '',
    storageType: config.StorageType ?? 'unknown',
    ...(target ? { target } : {}),
  };
}
