import { toKinesisEvent } from '../../../local-aws/event-source/kinesis-event';

const IDENTITY = {
  streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
  region: 'us-east-1',
  invokeIdentityArn: 'arn:aws:iam::000000000000:role/checker-role',
};

describe('toKinesisEvent', () => {
  it("builds the Lambda event source mapping's Kinesis event", () => {
    // Arrange
    const arrival = new Date('2026-03-04T08:47:33.250Z');

    // Act
    const event = toKinesisEvent(
      'shardId-000000000001',
      [
        {
          SequenceNumber: '4959',
          PartitionKey: 'c-1',
          Data: Buffer.from('{"a":1}'),
          ApproximateArrivalTimestamp: arrival,
        },
      ],
      IDENTITY,
    );

    // Assert
    expect(event).toEqual({
      Records: [
        {
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: 'c-1',
            sequenceNumber: '4959',
            data: Buffer.from('{"a":1}').toString('base64'),
            approximateArrivalTimestamp: arrival.getTime() / 1000,
          },
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventID: 'shardId-000000000001:4959',
          eventName: 'aws:kinesis:record',
          invokeIdentityArn: IDENTITY.invokeIdentityArn,
          awsRegion: 'us-east-1',
          eventSourceARN: IDENTITY.streamArn,
        },
      ],
    });
  });

  it('refuses a record without a sequence number', () => {
    // Act / Assert
    expect(() => toKinesisEvent('shardId-0', [{ PartitionKey: 'k', Data: Buffer.from('x') }], IDENTITY)).toThrow(
      /without SequenceNumber/,
    );
  });
});
