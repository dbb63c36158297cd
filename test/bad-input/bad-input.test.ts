import type { KinesisStreamEvent } from 'aws-lambda';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator } from '../../lambda/emulator/emulator';
import type { PublishEntry, PublishOutcome, RecordPublisher } from '../../lambda/emulator/record-publisher';
import { MAX_KINESIS_RECORD_BYTES } from '../../lambda/shared/ctr';
import type { Envelope } from '../../lambda/shared/envelope';
import { InvalidEventError, type QuarantineReason } from '../../lambda/shared/errors';
import { contentFingerprint } from '../../lambda/shared/fingerprint';
import { createTransform } from '../../lambda/transform/transform';
import { DeliveryStream } from '../../local-aws/firehose/delivery-stream';
import { LakeWriter } from '../../local-aws/lake/lake-writer';
import { LakeQueryRunner } from '../../local-aws/query/lake-query-runner';
import { envelopeOf, readErrorPrefix, type ErrorPrefixRecord } from '../../rigs/soak/error-prefix';
import { aCtr, kinesisEvent } from '../support/ctr-factory';
import { silentObservability } from '../support/silent-observability';
import { startCheckerRig, type CheckerRig } from '../rigs/soak/checker-rig';

/**
 * Bad input, all kept with a reason. Every case of the issue goes two ways:
 * - as an emulator event (what the console or a script sends): refused whole with InvalidEventError naming the
 *   record's index and what is wrong, or sent;
 * - as a record on the stream (what a producer other than the emulator may put there): through the real checker
 *   (dynalite behind it), the local Firehose with the real transform, into a lake directory. It must land in the
 *   lake intact or under the error prefix with its reason, the checker must never fail the batch (which would block
 *   the shard), and nothing may vanish.
 */

type EmulatorOutcome =
  | { readonly refused: RegExp; readonly index?: number }
  | { readonly sent: number }
  /** Lambda refuses a payload that is not JSON before any handler runs: the emulator cannot receive it. */
  | 'not-an-event';

/**
 * Where a stream record ends: in the lake; quarantined by the checker (the error prefix holds its quarantine
 * envelope, reason and detail included); or accepted by the checker and refused by the transform (the error prefix
 * holds the accepted envelope as Firehose received it, the transform's log line gives the reason).
 */
type StreamOutcome =
  | { readonly lake: 'intact' }
  | { readonly quarantined: QuarantineReason; readonly detail: RegExp }
  | { readonly refusedByTransform: QuarantineReason; readonly detail: RegExp };

interface BadInputCase {
  readonly name: string;
  /** The emulator event; `undefined` when the input cannot be an event at all. */
  readonly event?: unknown;
  readonly emulator: EmulatorOutcome;
  /** The record's bytes on the stream; `undefined` when the case is about events only. */
  readonly record?: string | Buffer;
  readonly stream?: StreamOutcome;
}

const ctrText = (overrides: Record<string, unknown> = {}): string => JSON.stringify(aCtr(overrides));
const withAttribute = (name: string, value: unknown): Record<string, unknown> => ({
  ...aCtr(),
  Attributes: { [name]: value },
});
/** A valid CTR of exactly `bytes` bytes of compact JSON, padded in an attribute (no characters that need escaping). */
function ctrOfSize(bytes: number): string {
  const base = JSON.stringify(withAttribute('pad', ''));
  return JSON.stringify(withAttribute('pad', 'x'.repeat(bytes - Buffer.byteLength(base))));
}
function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { level: value };
  return value;
}
const UNICODE = 'Grüße 😀 中文 עברית e\u0301 \u200d🏳️‍🌈';
const NEAR_LIMIT_BYTES = 1_000_000;
const BETWEEN_LIMITS_BYTES = 1_040_000;
const OVER_LIMIT_BYTES = MAX_KINESIS_RECORD_BYTES + 10_000;

const CASES: readonly BadInputCase[] = [
  {
    name: 'invalid JSON',
    emulator: 'not-an-event',
    record: ctrText().slice(0, 120),
    stream: { quarantined: 'INVALID_JSON', detail: /not valid JSON/ },
  },
  {
    name: 'JSON that is not an object (a number)',
    event: 42,
    emulator: { refused: /expected a CTR object, an array of CTRs or \{ "records": \[\.\.\.\] \}, received number 42/ },
    record: '42',
    stream: { quarantined: 'NOT_AN_OBJECT', detail: /received a number/ },
  },
  {
    name: 'JSON that is not an object (an array of strings)',
    event: ['not a CTR'],
    emulator: { refused: /record 0: expected a CTR object, received string/, index: 0 },
    record: '["not a CTR"]',
    stream: { quarantined: 'NOT_AN_OBJECT', detail: /received an array/ },
  },
  {
    name: 'JSON null',
    event: [aCtr(), null],
    emulator: { refused: /record 1: expected a CTR object, received null/, index: 1 },
    record: 'null',
    stream: { quarantined: 'NOT_AN_OBJECT', detail: /received null/ },
  },
  {
    name: 'an object without ContactId',
    event: [aCtr({ ContactId: undefined })],
    emulator: { refused: /record 0: expected a string ContactId, received no ContactId/, index: 0 },
    record: ctrText({ ContactId: undefined }),
    stream: { quarantined: 'MISSING_CONTACT_ID', detail: /received no ContactId/ },
  },
  {
    name: 'ContactId a number',
    event: { records: [aCtr(), aCtr(), aCtr({ ContactId: 12345 })] },
    emulator: { refused: /record 2: expected a string ContactId, received ContactId number 12345/, index: 2 },
    record: ctrText({ ContactId: 12345 }),
    stream: { quarantined: 'MISSING_CONTACT_ID', detail: /received ContactId number 12345/ },
  },
  {
    name: 'InitiationTimestamp not ISO-8601',
    event: [aCtr({ InitiationTimestamp: '03/04/2026 09:00' })],
    emulator: { sent: 1 },
    record: ctrText({ InitiationTimestamp: '03/04/2026 09:00' }),
    stream: {
      quarantined: 'INVALID_FIELD',
      detail: /InitiationTimestamp to be an ISO-8601 timestamp, received string/,
    },
  },
  {
    name: 'DisconnectTimestamp an epoch number',
    event: [aCtr({ DisconnectTimestamp: 1_772_614_800 })],
    emulator: { sent: 1 },
    record: ctrText({ DisconnectTimestamp: 1_772_614_800 }),
    stream: { quarantined: 'INVALID_FIELD', detail: /DisconnectTimestamp to be an ISO-8601 timestamp or null/ },
  },
  {
    name: 'missing InitiationTimestamp',
    event: [aCtr({ InitiationTimestamp: undefined })],
    emulator: { sent: 1 },
    record: ctrText({ InitiationTimestamp: undefined }),
    stream: {
      quarantined: 'INVALID_FIELD',
      detail: /InitiationTimestamp to be an ISO-8601 timestamp, received nothing/,
    },
  },
  {
    name: `a CTR near 1 MiB (${NEAR_LIMIT_BYTES} bytes)`,
    event: [JSON.parse(ctrOfSize(NEAR_LIMIT_BYTES))],
    emulator: { sent: 1 },
    record: ctrOfSize(NEAR_LIMIT_BYTES),
    stream: { lake: 'intact' },
  },
  {
    name: `a CTR under Kinesis's 1 MiB but over Firehose's 1,000 KiB once enveloped (${BETWEEN_LIMITS_BYTES} bytes)`,
    event: [JSON.parse(ctrOfSize(BETWEEN_LIMITS_BYTES))],
    emulator: { sent: 1 },
    record: ctrOfSize(BETWEEN_LIMITS_BYTES),
    stream: {
      quarantined: 'RECORD_TOO_LARGE',
      detail: /over Firehose's 1024000-byte record limit; rawBase64 holds its first/,
    },
  },
  {
    name: `a CTR over 1 MiB (${OVER_LIMIT_BYTES} bytes)`,
    event: [aCtr(), JSON.parse(ctrOfSize(OVER_LIMIT_BYTES))],
    emulator: {
      refused: /record 1 \(ContactId .+\): \d+ bytes is over the Kinesis record limit of 1048576 bytes/,
      index: 1,
    },
    record: ctrOfSize(OVER_LIMIT_BYTES),
    stream: { quarantined: 'RECORD_TOO_LARGE', detail: /over the 1048576-byte limit/ },
  },
  {
    name: 'deep nesting that JSON tools still handle (100 levels in an attribute)',
    event: [withAttribute('tree', nested(100))],
    emulator: { sent: 1 },
    record: JSON.stringify(withAttribute('tree', nested(100))),
    stream: { lake: 'intact' },
  },
  {
    name: 'deep nesting past what JSON tools handle (20,000 levels in an attribute)',
    event: [withAttribute('tree', nested(20_000))],
    emulator: { refused: /record 0 \(ContactId .+\): cannot be serialized as JSON/, index: 0 },
    // Written as text: JSON.stringify itself cannot go that deep.
    record: JSON.stringify(withAttribute('tree', 'X')).replace(
      '"X"',
      `${'{"level":'.repeat(20_000)}"bottom"${'}'.repeat(20_000)}`,
    ),
    stream: { quarantined: 'INVALID_FIELD', detail: /no RFC 8785 canonical form: Maximum call stack size exceeded/ },
  },
  {
    name: 'non-UTF-8 bytes',
    emulator: 'not-an-event',
    record: Buffer.concat([Buffer.from(ctrText().slice(0, 80)), Buffer.from([0xc3, 0x28, 0xff])]),
    stream: { quarantined: 'NOT_UTF8', detail: /is not valid UTF-8/ },
  },
  {
    name: 'unicode in attributes (accents, emoji, CJK, right-to-left, combining marks, ZWJ sequences)',
    event: [withAttribute('note', UNICODE)],
    emulator: { sent: 1 },
    record: JSON.stringify(withAttribute('note', UNICODE)),
    stream: { lake: 'intact' },
  },
  {
    name: 'a lone surrogate in an attribute (not well-formed Unicode)',
    event: [withAttribute('note', 'broken \ud800 pair')],
    emulator: { sent: 1 },
    record: JSON.stringify(withAttribute('note', 'broken \ud800 pair')),
    stream: { quarantined: 'INVALID_FIELD', detail: /no RFC 8785 canonical form: Lone surrogate/ },
  },
  {
    name: 'a number beyond double precision (kept digit for digit in raw_ctr)',
    emulator: 'not-an-event',
    record: ctrText().replace(/}$/, ',"BillingUnits":123456789012345678901234567890}'),
    stream: { lake: 'intact' },
  },
  {
    name: 'a number beyond double range (1e400)',
    emulator: 'not-an-event',
    record: ctrText().replace(/}$/, ',"BillingUnits":1e400}'),
    stream: { quarantined: 'INVALID_FIELD', detail: /no RFC 8785 canonical form: Infinity is not allowed/ },
  },
  {
    name: "a contact from before the table's partition projection (2016, the projection starts in 2017)",
    event: [aCtr({ InitiationTimestamp: '2016-12-31T23:59:59Z' })],
    emulator: { sent: 1 },
    record: ctrText({ InitiationTimestamp: '2016-12-31T23:59:59Z' }),
    stream: {
      refusedByTransform: 'OUTSIDE_PARTITION_PROJECTION',
      detail: /year 2016 \(UTC\), outside the years 2017-\d{4}/,
    },
  },
  {
    name: 'a contact dated after the current year (a clock far ahead)',
    event: [aCtr({ InitiationTimestamp: '9999-01-01T00:00:00Z' })],
    emulator: { sent: 1 },
    record: ctrText({ InitiationTimestamp: '9999-01-01T00:00:00Z' }),
    stream: { refusedByTransform: 'OUTSIDE_PARTITION_PROJECTION', detail: /year 9999 \(UTC\)/ },
  },
  {
    name: 'a number beyond double range in a CTR whose keys are in order (the fingerprint fast path)',
    emulator: 'not-an-event',
    record: '{"ContactId":"c-sorted-1e400","InitiationTimestamp":"2026-03-04T09:00:00Z","Zeta":1e400}',
    stream: { quarantined: 'INVALID_FIELD', detail: /no RFC 8785 canonical form: Infinity is not allowed/ },
  },
  {
    name: 'an empty event (empty list)',
    event: [],
    emulator: { refused: /the event holds no records/ },
  },
  {
    name: 'an empty event ({ records: [] })',
    event: { records: [] },
    emulator: { refused: /the event holds no records/ },
  },
  {
    name: 'a records wrapper that is not an array',
    event: { records: { ContactId: 'c-1' } },
    emulator: { refused: /expected "records" to be an array, received an object/ },
  },
];

describe('bad input, all kept with a reason', () => {
  let rig: CheckerRig;
  let lakeDir: string;
  let writer: LakeWriter;
  let delivery: DeliveryStream;
  let runner: LakeQueryRunner;
  let transformWarnings: jest.SpyInstance;
  let nextSequence = 0;

  beforeAll(async () => {
    rig = await startCheckerRig();
    lakeDir = await mkdtemp(join(tmpdir(), 'ctr-lake-bad-input-'));
    const transformObservability = silentObservability();
    transformWarnings = jest.spyOn(transformObservability.logger, 'warn');
    writer = new LakeWriter({ lakeDir, format: 'json', streamName: 'ctr-lake-bad-input' });
    delivery = new DeliveryStream({
      name: 'ctr-lake-bad-input',
      arn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/ctr-lake-bad-input',
      region: 'us-east-1',
      transformArn: 'arn:aws:lambda:us-east-1:000000000000:function:ctr-lake-transform:$LATEST',
      writer,
      transform: createTransform(transformObservability),
      // Local retries need no waiting; Firehose's retry semantics (then the error prefix) are unchanged.
      bufferIntervalMs: 60_000,
    });
    runner = await LakeQueryRunner.open({ lakeDir });
  });

  afterAll(async () => {
    runner.close();
    await writer.close();
    await rig.stop();
    await rm(lakeDir, { recursive: true, force: true });
  });

  /** What became of stream records: each one's envelope, error-prefix record and lake row, by sequence number. */
  async function throughThePipeline(records: ReadonlyArray<string | Buffer>): Promise<{
    readonly event: KinesisStreamEvent;
    readonly failures: readonly unknown[];
    readonly envelopes: Map<string, Envelope>;
    readonly errors: Map<string, ErrorPrefixRecord>;
    readonly rows: Map<string, { raw_ctr: string; attributes: unknown }>;
  }> {
    const event = kinesisEvent([...records], { firstIndex: nextSequence });
    nextSequence += records.length;
    const before = rig.firehose.envelopes.length;
    const answer = await rig.invoke(event);
    const sent = rig.firehose.envelopes.slice(before);
    delivery.put(sent.map((envelope) => Buffer.from(JSON.stringify(envelope), 'utf8')));
    await delivery.flush();
    const envelopes = new Map(sent.map((envelope) => [envelope.sequenceNumber, envelope]));
    const errors = new Map<string, ErrorPrefixRecord>();
    for (const record of await readErrorPrefix(lakeDir)) {
      const envelope = envelopeOf(record);
      if (envelope && envelopes.has(envelope.sequenceNumber)) errors.set(envelope.sequenceNumber, record);
    }
    await runner.refresh();
    const rows = new Map<string, { raw_ctr: string; attributes: unknown }>();
    for (const envelope of sent) {
      if (envelope.kind !== 'ctr') continue;
      const found = await runner.query(
        `SELECT raw_ctr, attributes FROM ctr WHERE fingerprint = '${envelope.fingerprint}'`,
      );
      const row = found.rows[0];
      if (row) rows.set(envelope.sequenceNumber, { raw_ctr: String(row.raw_ctr), attributes: row.attributes });
    }
    return { event, failures: answer.batchItemFailures, envelopes, errors, rows };
  }

  describe('as an emulator event', () => {
    const eventCases = CASES.filter((c) => c.emulator !== 'not-an-event');

    it.each(eventCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      // Arrange
      const published: PublishEntry[] = [];
      const publisher: RecordPublisher = {
        publish: async (entries) => {
          published.push(...entries);
          return entries.map((_, i): PublishOutcome => ({ accepted: true, sequenceNumber: String(i), shardId: 's-0' }));
        },
      };
      const emulator = createEmulator({ publisher, ...silentObservability() });
      const expected = c.emulator as Exclude<EmulatorOutcome, 'not-an-event'>;

      // Act
      const outcome = await emulator(c.event).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );

      // Assert
      if ('refused' in expected) {
        expect(outcome).toHaveProperty('error');
        const error = (outcome as { error: unknown }).error;
        expect(error).toBeInstanceOf(InvalidEventError);
        expect((error as InvalidEventError).message).toMatch(expected.refused);
        expect((error as InvalidEventError).index).toBe(expected.index);
        expect(published).toHaveLength(0); // refused whole: never half-sent
      } else {
        expect(outcome).toEqual({ result: { sent: expected.sent, failed: 0, failures: [] } });
        expect(published).toHaveLength(expected.sent);
      }
    });

    it('sends a 10,000-record event whole, in PutRecords requests of at most 500 records', async () => {
      // Arrange
      const requests: number[] = [];
      const publisher: RecordPublisher = {
        publish: async (entries) => {
          requests.push(entries.length);
          return entries.map((_, i): PublishOutcome => ({ accepted: true, sequenceNumber: String(i), shardId: 's-0' }));
        },
      };
      const emulator = createEmulator({ publisher, ...silentObservability() });
      const records = Array.from({ length: 10_000 }, () => aCtr());

      // Act
      const result = await emulator({ records });

      // Assert
      expect(result).toEqual({ sent: 10_000, failed: 0, failures: [] });
      expect(requests.reduce((a, b) => a + b, 0)).toBe(10_000);
      expect(Math.max(...requests)).toBeLessThanOrEqual(500);
    });
  });

  describe('as a record on the stream', () => {
    const streamCases = CASES.filter((c) => c.record !== undefined);

    it.each(streamCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      // Act
      const { event, failures, envelopes, errors, rows } = await throughThePipeline([c.record!]);
      const sequenceNumber = event.Records[0]!.kinesis.sequenceNumber;

      // Assert: the shard is never blocked, and the record is in exactly one place.
      expect(failures).toEqual([]);
      const inLake = rows.has(sequenceNumber);
      const inErrors = errors.has(sequenceNumber);
      expect([inLake, inErrors]).toEqual([c.stream && 'lake' in c.stream, !(c.stream && 'lake' in c.stream)]);
      const expected = c.stream!;
      if ('lake' in expected) {
        const bytes = Buffer.isBuffer(c.record) ? c.record.toString('utf8') : c.record!;
        expect(rows.get(sequenceNumber)!.raw_ctr).toBe(bytes);
        expect(envelopes.get(sequenceNumber)).toMatchObject({
          kind: 'ctr',
          fingerprint: contentFingerprint(JSON.parse(bytes)),
        });
      } else if ('quarantined' in expected) {
        // Under the error prefix, the record's data is the checker's quarantine envelope: reason, detail, bytes.
        const error = errors.get(sequenceNumber)!;
        const envelope = envelopeOf(error);
        expect(error.errorCode).toBe('Lambda.ProcessingFailed');
        expect(envelope).toMatchObject({ kind: 'quarantine', reason: expected.quarantined });
        expect(envelope?.kind === 'quarantine' && envelope.detail).toMatch(expected.detail);
      } else {
        // Under the error prefix as the checker sent it; the transform logged why, with the record's identifiers.
        const error = errors.get(sequenceNumber)!;
        expect(error.errorCode).toBe('Lambda.ProcessingFailed');
        expect(envelopeOf(error)).toMatchObject({ kind: 'ctr', sequenceNumber });
        expect(transformWarnings).toHaveBeenCalledWith(
          'record sent to the error prefix',
          expect.objectContaining({
            reason: expected.refusedByTransform,
            sequenceNumber,
            detail: expect.stringMatching(expected.detail),
          }),
        );
      }
    });

    it('keeps unicode attributes exactly, in the attributes column too', async () => {
      // Act
      const { event, rows } = await throughThePipeline([JSON.stringify(withAttribute('note', UNICODE))]);

      // Assert
      const row = rows.get(event.Records[0]!.kinesis.sequenceNumber)!;
      expect(row.attributes).toEqual({ note: UNICODE });
    });

    it('accounts for every record of a batch mixing all the bad input with valid CTRs, without failing the batch', async () => {
      // Arrange: the quarantined cases again (they hold no claim) between fresh valid CTRs.
      const bad = streamCases.filter((c) => 'quarantined' in c.stream!).map((c) => c.record!);
      const valid = Array.from({ length: bad.length }, () => ctrText());
      const mixed = bad.flatMap((record, i) => [valid[i]!, record]);

      // Act
      const { event, failures, errors, rows } = await throughThePipeline(mixed);

      // Assert
      expect(failures).toEqual([]);
      for (const record of event.Records) {
        const sequenceNumber = record.kinesis.sequenceNumber;
        expect(Number(rows.has(sequenceNumber)) + Number(errors.has(sequenceNumber))).toBe(1);
      }
      expect(valid.every((_, i) => rows.has(event.Records[2 * i]!.kinesis.sequenceNumber))).toBe(true);
    });
  });
});
