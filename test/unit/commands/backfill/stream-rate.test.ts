import { DescribeStreamSummaryCommand, KinesisClient, ResourceNotFoundException } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { defaultRate, describeStreamCapacity } from '../../../../commands/backfill/stream-rate';
import { streamSummary } from '../deployment-fixtures';

const kinesis = mockClient(KinesisClient);
const client = new KinesisClient({ region: 'eu-west-1' });

beforeEach(() => kinesis.reset());

describe('the default backfill rate', () => {
  it.each([
    ['a provisioned stream of 2 shards', 'PROVISIONED', 2, 1000, 1024 * 1024],
    ['a new on-demand stream (4 shards)', 'ON_DEMAND', 4, 2000, 2 * 1024 * 1024],
    ['an on-demand stream grown to 10 shards', 'ON_DEMAND', 10, 5000, 5 * 1024 * 1024],
  ] as const)('is half the write capacity of %s', async (_name, mode, shards, records, bytes) => {
    // Arrange
    kinesis.on(DescribeStreamSummaryCommand, { StreamName: 's' }).resolves(streamSummary('s', mode, shards));

    // Act
    const capacity = await describeStreamCapacity(client, 's');

    // Assert
    expect(capacity).toEqual({ mode, openShards: shards });
    expect(defaultRate(capacity)).toEqual({ recordsPerSecond: records, bytesPerSecond: bytes });
  });

  it('fails with the service error when the stream is gone', async () => {
    // Arrange
    kinesis
      .on(DescribeStreamSummaryCommand)
      .rejects(new ResourceNotFoundException({ message: 'Stream s not found', $metadata: {} }));

    // Act
    const capacity = describeStreamCapacity(client, 's');

    // Assert
    await expect(capacity).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
