import { FirehoseClient, PutRecordBatchCommand, type PutRecordBatchCommandInput } from '@aws-sdk/client-firehose';
import { KinesisClient, PutRecordsCommand, type PutRecordsCommandInput } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { LakeFingerprints, lakeDayOf } from '../../../../commands/backfill/lake-fingerprints';
import { redriveQuarantine, type NumberedRecord, type RedriveTargets } from '../../../../commands/quarantine/redrive';
import { FirehoseRecordSink } from '../../../../lambda/checker/adapters/firehose-record-sink';
import { KinesisRecordPublisher } from '../../../../lambda/emulator/adapters/kinesis-publisher';
import { contentFingerprint } from '../../../../lambda/shared/fingerprint';
import { decodeErrorRecord } from '../../../../local-aws/quarantine/quarantined-record';
import { anAcceptedEnvelope, aQuarantinedEnvelope } from '../../../support/ctr-factory';
import { anErrorRecord } from '../../../support/error-records';
import { loadRealCtrs, type RealCtr } from '../../../support/real-ctrs';

const kinesis = mockClient(KinesisClient);
const firehose = mockClient(FirehoseClient);
const ctrs = loadRealCtrs();
const instant = { sleep: async () => undefined, random: () => 0.5 };

function targets(held: readonly RealCtr[] = []): RedriveTargets {
  return {
    stream: new KinesisRecordPublisher(new KinesisClient({ region: 'eu-west-1' }), 'stream'),
    firehose: new FirehoseRecordSink('delivery', new FirehoseClient({ region: 'eu-west-1' }), instant),
    lake: new LakeFingerprints(
      async (_sql, day) => ({
        fingerprints: held
          .filter((c) => JSON.stringify(lakeDayOf(c)) === JSON.stringify(day))
          .map((c) => contentFingerprint(c)),
        bytesScanned: 0,
      }),
      'ctr',
    ),
    strategy: 'content',
    sendOptions: instant,
  };
}

async function* numbered(lines: readonly object[]): AsyncIterable<NumberedRecord> {
  let number = 0;
  for (const line of lines) {
    number += 1;
    yield {
      number,
      record: decodeErrorRecord(line as Record<string, unknown>, {
        object: 'errors/processing-failed/x',
        position: { byte: 0, line: number },
      }),
    };
  }
}

/** Accepts every PutRecords / PutRecordBatch entry, keeping the data sent. */
function acceptAll(): { stream: string[]; firehose: string[] } {
  const sent = { stream: [] as string[], firehose: [] as string[] };
  kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => {
    sent.stream.push(...(input.Records ?? []).map((r) => Buffer.from(r.Data!).toString()));
    return {
      FailedRecordCount: 0,
      Records: (input.Records ?? []).map((_, i) => ({ SequenceNumber: `${i}`, ShardId: 's' })),
    };
  });
  firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => {
    sent.firehose.push(...(input.Records ?? []).map((r) => Buffer.from(r.Data!).toString()));
    return { FailedPutCount: 0, RequestResponses: (input.Records ?? []).map((_, i) => ({ RecordId: `r${i}` })) };
  });
  return sent;
}

beforeEach(() => {
  kinesis.reset();
  firehose.reset();
});

describe('redriveQuarantine', () => {
  const fixedSince = anErrorRecord(aQuarantinedEnvelope('INVALID_FIELD', Buffer.from(JSON.stringify(ctrs[0]))));
  const transient = anErrorRecord(anAcceptedEnvelope(ctrs[1]), { errorCode: 'Lambda.FunctionError' });
  const stillBad = anErrorRecord(
    aQuarantinedEnvelope('INVALID_FIELD', Buffer.from(JSON.stringify({ ...ctrs[2], InitiationTimestamp: 'x' }))),
  );
  const inLake = anErrorRecord(anAcceptedEnvelope(ctrs[3]), { errorCode: 'Lambda.FunctionError' });

  it('sends each record by the way that can still deliver it, and leaves the rest with why', async () => {
    // Arrange
    const sent = acceptAll();

    // Act
    const report = await redriveQuarantine(numbered([fixedSince, transient, stillBad, inLake]), targets([ctrs[3]!]));

    // Assert: the quarantined one goes back on the stream with its original bytes; the accepted one's envelope goes
    // back to Firehose as the checker wrote it.
    expect(sent.stream).toEqual([JSON.stringify(ctrs[0])]);
    expect(sent.firehose).toEqual([JSON.stringify(anAcceptedEnvelope(ctrs[1]))]);
    expect(kinesis).toHaveReceivedCommandWith(PutRecordsCommand, {
      StreamName: 'stream',
      Records: [expect.objectContaining({ PartitionKey: ctrs[0]!.ContactId })],
    });
    expect(report.toStream.map((e) => e.number)).toEqual([1]);
    expect(report.toFirehose).toEqual([
      {
        number: 2,
        object: 'errors/processing-failed/x',
        reason: 'Lambda.FunctionError',
        contactId: ctrs[1]!.ContactId,
        why: 'transient: Lambda.FunctionError',
      },
    ]);
    expect(report.left).toEqual([
      expect.objectContaining({
        number: 3,
        why: expect.stringMatching(/^the checker still quarantines it: INVALID_FIELD/),
      }),
    ]);
    expect(report.alreadyInLake.map((e) => e.number)).toEqual([4]);
    expect(report.failed).toEqual([]);
  });

  it('reports what the stream and the delivery stream refused after every retry', async () => {
    // Arrange
    kinesis.on(PutRecordsCommand).resolves({
      FailedRecordCount: 1,
      Records: [{ ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' }],
    });
    firehose.on(PutRecordBatchCommand).resolves({
      FailedPutCount: 1,
      RequestResponses: [{ ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down' }],
    });

    // Act
    const report = await redriveQuarantine(numbered([fixedSince, transient]), targets());

    // Assert
    expect(report.toStream).toEqual([]);
    expect(report.toFirehose).toEqual([]);
    expect(report.failed.map((e) => [e.number, e.why])).toEqual([
      [1, 'the stream refused it: ProvisionedThroughputExceededException'],
      [2, expect.stringMatching(/^the delivery stream refused it: /)],
    ]);
  });
});
