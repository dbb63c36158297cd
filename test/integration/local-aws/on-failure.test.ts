import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ON_FAILURE_DIR, writeOnFailureRecord } from '../../../local-aws/pipeline/on-failure';

describe('writeOnFailureRecord', () => {
  it("writes the batch's place on the stream as Lambda's on-failure destination gets it", async () => {
    // Arrange
    const lake = await mkdtemp(join(tmpdir(), 'on-failure-'));
    const first = new Date('2026-03-04T09:00:00Z');

    // Act
    const path = await writeOnFailureRecord(lake, 'arn:aws:lambda:us-east-1:000000000000:function:checker', {
      shardId: 'shardId-000000000000',
      streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
      attempts: 11,
      reason: 'function error: boom',
      records: [
        { SequenceNumber: '1', ApproximateArrivalTimestamp: first, Data: Buffer.from('secret CTR'), PartitionKey: 'k' },
        { SequenceNumber: '2', ApproximateArrivalTimestamp: first, Data: Buffer.from('secret CTR'), PartitionKey: 'k' },
      ],
    });

    // Assert
    expect(await readdir(join(lake, ON_FAILURE_DIR, 'kinesis'))).toHaveLength(1);
    const text = await readFile(path, 'utf8');
    expect(JSON.parse(text)).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 11 },
      KinesisBatchInfo: {
        shardId: 'shardId-000000000000',
        startSequenceNumber: '1',
        endSequenceNumber: '2',
        batchSize: 2,
        streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
      },
    });
    expect(text).not.toContain('secret CTR'); // coordinates only, never the data
    await rm(lake, { recursive: true, force: true });
  });
});
