import {
  AccessDeniedException,
  AssociateInstanceStorageConfigCommand,
  ConnectClient,
  InternalServiceException,
  ListInstanceStorageConfigsCommand,
  ResourceNotFoundException,
  UpdateInstanceStorageConfigCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { ConnectCtrStorageApi, ConnectStorageError } from '../../../commands/connect/connect-storage';
import { parseConnectInstanceArn } from '../../../lib/config/connect-instance';

const connect = mockClient(ConnectClient);
const INSTANCE = parseConnectInstanceArn(
  'arn:aws:connect:us-east-1:123456789012:instance/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
)!;
const STREAM = 'arn:aws:kinesis:us-east-1:123456789012:stream/ctr-lake-stream';

describe('ConnectCtrStorageApi', () => {
  let api: ConnectCtrStorageApi;

  beforeEach(() => {
    connect.reset();
    api = new ConnectCtrStorageApi(new ConnectClient({ region: 'us-east-1' }), INSTANCE);
  });

  it("lists every page of the instance's CTR storage configs, by instance id", async () => {
    // Arrange
    connect
      .on(ListInstanceStorageConfigsCommand)
      .resolvesOnce({
        StorageConfigs: [
          { AssociationId: 'a-1', StorageType: 'KINESIS_STREAM', KinesisStreamConfig: { StreamArn: STREAM } },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        StorageConfigs: [
          { AssociationId: 'a-2', StorageType: 'KINESIS_FIREHOSE', KinesisFirehoseConfig: { FirehoseArn: 'arn:f' } },
        ],
      });

    // Act
    const configs = await api.list();

    // Assert
    expect(configs).toEqual([
      { associationId: 'a-1', storageType: 'KINESIS_STREAM', target: STREAM },
      { associationId: 'a-2', storageType: 'KINESIS_FIREHOSE', target: 'arn:f' },
    ]);
    expect(connect.commandCalls(ListInstanceStorageConfigsCommand).map((call) => call.args[0].input)).toEqual([
      { InstanceId: INSTANCE.instanceId, ResourceType: 'CONTACT_TRACE_RECORDS' },
      { InstanceId: INSTANCE.instanceId, ResourceType: 'CONTACT_TRACE_RECORDS', NextToken: 'page-2' },
    ]);
  });

  it('associates the stream as CTR storage of type KINESIS_STREAM and returns the association id', async () => {
    // Arrange
    connect.on(AssociateInstanceStorageConfigCommand).resolves({ AssociationId: 'a-new' });

    // Act
    const associationId = await api.associate(STREAM);

    // Assert
    expect(associationId).toBe('a-new');
    expect(connect).toHaveReceivedCommandWith(AssociateInstanceStorageConfigCommand, {
      InstanceId: INSTANCE.instanceId,
      ResourceType: 'CONTACT_TRACE_RECORDS',
      StorageConfig: { StorageType: 'KINESIS_STREAM', KinesisStreamConfig: { StreamArn: STREAM } },
    });
  });

  it('moves an existing association to the stream', async () => {
    // Arrange
    connect.on(UpdateInstanceStorageConfigCommand).resolves({});

    // Act
    await api.update('a-1', STREAM);

    // Assert
    expect(connect).toHaveReceivedCommandWith(UpdateInstanceStorageConfigCommand, {
      InstanceId: INSTANCE.instanceId,
      AssociationId: 'a-1',
      ResourceType: 'CONTACT_TRACE_RECORDS',
      StorageConfig: {
        AssociationId: 'a-1',
        StorageType: 'KINESIS_STREAM',
        KinesisStreamConfig: { StreamArn: STREAM },
      },
    });
  });

  it('says in one line what access is missing when AWS denies it', async () => {
    // Arrange
    connect.on(UpdateInstanceStorageConfigCommand).rejects(
      new AccessDeniedException({
        $metadata: {},
        message: 'User is not authorized to perform connect:UpdateInstanceStorageConfig',
      }),
    );

    // Act
    const error = await api.update('a-1', STREAM).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(ConnectStorageError);
    const message = (error as Error).message;
    expect(message).toMatch(/^access denied updating the CTR storage of Connect instance arn:aws:connect:/);
    expect(message).toContain('connect:UpdateInstanceStorageConfig on the instance, iam:PutRolePolicy');
    expect(message).not.toContain('\n');
  });

  it.each([
    [
      'an unknown instance',
      new ResourceNotFoundException({ $metadata: {}, message: 'Instance not found' }),
      /^no Connect instance 0a1b2c3d-.* in account 123456789012, region us-east-1: check --instance/,
    ],
    [
      'any other failure',
      new InternalServiceException({ $metadata: {}, message: 'try later' }),
      /^listing the CTR storage of Connect instance .* failed: try later$/,
    ],
  ])('explains %s', async (_case, thrown, message) => {
    // Arrange
    connect.on(ListInstanceStorageConfigsCommand).rejects(thrown);

    // Act / Assert
    await expect(api.list()).rejects.toThrow(message);
  });
});
