import type * as KinesisSdk from '@aws-sdk/client-kinesis';
import type { PutRecordsCommandInput } from '@aws-sdk/client-kinesis';
import 'aws-sdk-client-mock-jest';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorResult } from '../../../lambda/emulator/emulator';
import { ConfigurationError, InvalidEventError } from '../../../lambda/shared/errors';
import { aCtr } from '../../support/ctr-factory';

const SAMPLES = join(__dirname, '..', '..', '..', 'samples');

type Handler = (event: unknown) => Promise<EmulatorResult>;

interface ColdStart {
  readonly handler: Handler;
  /** The SDK module instance the handler loaded, mocked. */
  readonly kinesis: AwsClientStub<KinesisSdk.KinesisClient>;
  readonly PutRecordsCommand: typeof KinesisSdk.PutRecordsCommand;
}

/**
 * Loads the handler module afresh with the given environment, as a cold start would. The module registry is
 * isolated, so the SDK is mocked in that registry: the handler builds its client from that copy.
 */
function coldStart(env: Record<string, string | undefined>): ColdStart {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    let loaded: ColdStart | undefined;
    jest.isolateModules(() => {
      const sdk = jest.requireActual<typeof KinesisSdk>('@aws-sdk/client-kinesis');
      const kinesis = mockClient(sdk.KinesisClient);
      kinesis.on(sdk.PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => ({
        FailedRecordCount: 0,
        Records: (input.Records ?? []).map((_, i) => ({
          SequenceNumber: String(1000 + i),
          ShardId: 'shardId-000000000000',
        })),
      }));
      const { handler } = jest.requireActual<{ handler: Handler }>('../../../lambda/emulator/handler');
      loaded = { handler, kinesis, PutRecordsCommand: sdk.PutRecordsCommand };
    });
    return loaded!;
  } finally {
    process.env = saved;
  }
}

describe('emulator handler', () => {
  it('refuses to start without STREAM_NAME', async () => {
    // Act / Assert
    // The handler module loads its own copy of errors.ts in the isolated registry: match by name, not class.
    expect(() => coldStart({ STREAM_NAME: undefined })).toThrow(
      expect.objectContaining({ name: ConfigurationError.name, message: 'STREAM_NAME is required' }),
    );
  });

  it('puts the duplicated sample on STREAM_NAME as pasted in the console and reports it sent', async () => {
    // Arrange
    const { handler, kinesis, PutRecordsCommand } = coldStart({ STREAM_NAME: 'ctr-lake-ctrs' });
    const samples = JSON.parse(readFileSync(join(SAMPLES, 'duplicated-ctrs.json'), 'utf8')) as unknown[];

    // Act
    const result = await handler({ records: samples });

    // Assert
    expect(result).toEqual({ sent: 6, failed: 0, failures: [] });
    const input = kinesis.commandCalls(PutRecordsCommand)[0]!.args[0].input;
    expect(input.StreamName).toBe('ctr-lake-ctrs');
    expect((input.Records ?? []).map((r) => Buffer.from(r.Data!).toString('utf8'))).toEqual(
      samples.map((s) => JSON.stringify(s)),
    );
  });

  it('sends nothing when one record is invalid', async () => {
    // Arrange
    const { handler, kinesis, PutRecordsCommand } = coldStart({ STREAM_NAME: 'ctr-lake-ctrs' });

    // Act / Assert
    await expect(handler([aCtr(), aCtr({ ContactId: undefined })])).rejects.toMatchObject({
      name: InvalidEventError.name,
      index: 1,
    });
    expect(kinesis).not.toHaveReceivedCommand(PutRecordsCommand);
  });

  it('returns refused records instead of throwing, so an async retry does not resend the accepted ones', async () => {
    // Arrange: the stream refuses the second entry every time.
    const { handler, kinesis, PutRecordsCommand } = coldStart({ STREAM_NAME: 'ctr-lake-ctrs' });
    kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => ({
      FailedRecordCount: 1,
      Records: (input.Records ?? []).map((r) =>
        r.PartitionKey === 'refused'
          ? { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure' }
          : { SequenceNumber: '1', ShardId: 's' },
      ),
    }));

    // Act
    const result = await handler([aCtr(), aCtr({ ContactId: 'refused' })]);

    // Assert
    expect(result).toMatchObject({
      sent: 1,
      failed: 1,
      failures: [{ index: 1, contactId: 'refused', errorCode: 'InternalFailure' }],
    });
  });
});
