import {
  FirehoseClient,
  PutRecordBatchCommand,
  PutRecordCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-firehose';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { DeliveryStream, type ObjectWriter } from '../../../local-aws/firehose/delivery-stream';
import { startLocalFirehose } from '../../../local-aws/firehose/firehose-server';
import { LOCAL_CLIENT_CONFIG, type LocalServer } from '../../../local-aws/servers';

describe('local Firehose server', () => {
  const written: string[] = [];
  const writer: ObjectWriter = {
    writeRows: async (_partition, lines) => {
      written.push(...lines.map((l) => l.toString().trim()));
      return { key: 'k', refused: [] };
    },
    writeErrors: async () => 'e',
  };
  const echo = async (event: FirehoseTransformationEvent) => ({
    records: event.records.map(({ recordId, data }) => ({
      recordId,
      result: 'Ok',
      data,
      metadata: { partitionKeys: { year: '2026', month: '03', day: '04' } },
    })),
  });
  const accepted: Buffer[] = [];
  let server: LocalServer;
  let delivery: DeliveryStream;
  let client: FirehoseClient;

  beforeAll(async () => {
    delivery = new DeliveryStream({
      name: 'lake',
      arn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/lake',
      region: 'us-east-1',
      transformArn: 'fn',
      writer,
      transform: echo,
      bufferIntervalMs: 60_000,
    });
    server = await startLocalFirehose({
      streams: new Map([['lake', delivery]]),
      onAccepted: (_s, r) => accepted.push(...r),
    });
    client = new FirehoseClient({ ...LOCAL_CLIENT_CONFIG, endpoint: server.endpoint });
  });

  afterAll(async () => {
    client.destroy();
    delivery.dispose();
    await server.stop();
  });

  it('accepts PutRecordBatch from the real Firehose client and delivers the records', async () => {
    // Act
    const answer = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: 'lake',
        Records: [{ Data: Buffer.from('a') }, { Data: Buffer.from('b') }],
      }),
    );
    await delivery.flush();

    // Assert
    expect(answer.FailedPutCount).toBe(0);
    expect(answer.RequestResponses).toHaveLength(2);
    expect(answer.RequestResponses!.every((r) => typeof r.RecordId === 'string' && !r.ErrorCode)).toBe(true);
    expect(written).toEqual(['a', 'b']);
    expect(accepted.map(String)).toEqual(['a', 'b']);
  });

  it('accepts PutRecord', async () => {
    // Act
    const answer = await client.send(
      new PutRecordCommand({ DeliveryStreamName: 'lake', Record: { Data: Buffer.from('c') } }),
    );

    // Assert
    expect(answer.RecordId).toEqual(expect.any(String));
  });

  it('answers an unknown stream with the real ResourceNotFoundException', async () => {
    // Act
    const put = client.send(
      new PutRecordBatchCommand({ DeliveryStreamName: 'other', Records: [{ Data: Buffer.from('x') }] }),
    );

    // Assert
    await expect(put).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
