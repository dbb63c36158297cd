import type { FirehoseTransformationResult, KinesisStreamEvent } from 'aws-lambda';
import fc from 'fast-check';
import { decodeRecord, type DecodedRecord } from '../../lambda/checker/decode-record';
import { encodeEnvelope, FIREHOSE_MAX_RECORD_BYTES } from '../../lambda/checker/firehose-batches';
import type { StreamRecord } from '../../lambda/checker/ports';
import { createTransform } from '../../lambda/transform/transform';
import { aChatCtr, aVoiceCtr, firehoseTransformationEvent, kinesisEvent } from '../support/ctr-factory';
import { silentObservability } from '../support/silent-observability';
import { nestedJson } from '../unit/transform/nested-json';

/**
 * The checker and the transform together: whatever the checker's decode accepts, the transform turns into a row and
 * never throws (a throw fails the whole Firehose batch). CTRs nested deep, with keys in and out of order, go through
 * a Kinesis event, the checker's decodeRecord, the envelope bytes the checker sends, and the transform.
 */

type Shape = 'array' | 'object' | 'mixed';
type Place = 'attribute' | 'unknown field' | 'Queue.Name';

interface DeepCtr {
  readonly depth: number;
  readonly shape: Shape;
  readonly leaf: string;
  readonly place: Place;
  /** Sorted keys take the checker's recursive fast path; ContactId first sends it down the iterative one. */
  readonly sortedKeys: boolean;
}

/** CTR text holding a value nested `depth` levels, built as text: JSON.stringify would overflow on the value. */
function deepCtrText({ depth, shape, leaf, place, sortedKeys }: DeepCtr): string {
  const deep = nestedJson(depth, shape, leaf);
  const fields: Array<readonly [string, string]> = [
    ['Attributes', place === 'attribute' ? `{"deep":${deep},"plain":"x"}` : '{"plain":"x"}'],
    ['Channel', '"VOICE"'],
    // Fixed width, so the envelope grows with the depth alone.
    ['ContactId', `"c-deep-${String(depth).padStart(7, '0')}-${shape}"`],
    ['InitiationTimestamp', '"2026-03-04T08:47:33Z"'],
    ['Queue', place === 'Queue.Name' ? `{"Name":${deep}}` : '{"Name":"Sales"}'],
    ['Zeta', place === 'unknown field' ? deep : 'null'],
  ];
  const ordered = sortedKeys ? fields : [fields[2]!, ...fields.filter((_, i) => i !== 2)];
  return `{${ordered.map(([key, value]) => `"${key}":${value}`).join(',')}}`;
}

/** The checker's StreamRecords for a Lambda Kinesis event, as its handler builds them. */
function streamRecords(event: KinesisStreamEvent): StreamRecord[] {
  return event.Records.map((record) => ({
    eventId: record.eventID,
    sequenceNumber: record.kinesis.sequenceNumber,
    data: record.kinesis.data,
  }));
}

function decodeAll(items: ReadonlyArray<string | object>): DecodedRecord[] {
  return streamRecords(kinesisEvent(items)).map((record) => decodeRecord(record, 'content'));
}

/** What the checker would send to Firehose for its accepted records, through the transform. */
async function transformAccepted(decoded: readonly DecodedRecord[]): Promise<FirehoseTransformationResult> {
  const { logger, metrics } = silentObservability();
  const accepted = decoded.flatMap((record) => (record.kind === 'ctr' ? [encodeEnvelope(record.envelope)] : []));
  return createTransform({ logger, metrics })(firehoseTransformationEvent(accepted));
}

/**
 * The checker's decode of the deepest CTR it accepts, by bisection over depths [0, max] (acceptance is monotonic in
 * depth). Where the limit is the call stack's, it moves a little between calls (frames shrink once the JIT has
 * optimised the recursion), so the accepted record itself is kept rather than decoded again.
 */
function deepestAccepted(max: number, text: (depth: number) => string): { depth: number; accepted: DecodedRecord } {
  let [lo, hi] = [0, max];
  let accepted = decodeAll([text(0)])[0]!;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const decoded = decodeAll([text(mid)])[0]!;
    if (decoded.kind === 'ctr') [lo, accepted] = [mid, decoded];
    else hi = mid - 1;
  }
  return { depth: lo, accepted };
}

const deepCtr = fc.record<DeepCtr>({
  depth: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 1_000, max: 12_000 })),
  shape: fc.constantFrom<Shape>('array', 'object', 'mixed'),
  leaf: fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
  place: fc.constantFrom<Place>('attribute', 'unknown field', 'Queue.Name'),
  sortedKeys: fc.boolean(),
});

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Years weighted to the edges of what four digits and a UTC offset can reach. */
const edgeYear = fc.oneof(fc.constantFrom(0, 1, 1969, 1970, 2017, 9998, 9999), fc.integer({ min: 0, max: 9999 }));

/** `InitiationTimestamp` texts as the ISO-8601 shape allows: any offset, fractions, days past a month's end. */
const initiationTimestamp = fc
  .record({
    year: edgeYear,
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.oneof(fc.integer({ min: 1, max: 28 }), fc.constantFrom(1, 29, 30, 31)),
    hour: fc.oneof(fc.constantFrom(0, 23), fc.integer({ min: 0, max: 23 })),
    minute: fc.constantFrom(0, 30, 59),
    second: fc.constantFrom(0, 59),
    fraction: fc.constantFrom('', '.5', '.123456789'),
    offset: fc.oneof(
      fc.constant('Z'),
      fc
        .record({
          sign: fc.constantFrom('+', '-'),
          hours: fc.integer({ min: 0, max: 23 }),
          minutes: fc.constantFrom(0, 30, 45),
        })
        .map(({ sign, hours, minutes }) => `${sign}${pad(hours)}:${pad(minutes)}`),
    ),
  })
  .map(
    (t) =>
      `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${t.fraction}${t.offset}`,
  );

describe('the transform after the checker', () => {
  it('partitions every InitiationTimestamp the checker accepts, and the checker refuses the rest as INVALID_FIELD', async () => {
    await fc.assert(
      fc.asyncProperty(initiationTimestamp, async (timestamp) => {
        // Arrange
        const [decoded] = decodeAll([{ ...aVoiceCtr(), InitiationTimestamp: timestamp }]);

        // Act
        const result = await transformAccepted([decoded!]);

        // Assert
        if (decoded!.kind === 'ctr') {
          expect(result.records.map((r) => r.result)).toEqual(['Ok']);
          const { year } = result.records[0]!.metadata!.partitionKeys as { year: string };
          expect(year).toMatch(/^\d{4}$/);
        } else {
          expect(decoded!.reason).toBe('INVALID_FIELD');
          expect(result.records).toEqual([]);
        }
      }),
      { numRuns: 500, examples: [['0000-01-01T00:30:00+01:00'], ['9999-12-31T23:30:00-01:00']] },
    );
  });

  it('turns every CTR the checker accepts into a row, whatever its nesting depth and value types', async () => {
    await fc.assert(
      fc.asyncProperty(deepCtr, async (spec) => {
        // Arrange
        const decoded = decodeAll([aVoiceCtr(), deepCtrText(spec), aChatCtr()]);

        // Act
        const result = await transformAccepted(decoded);

        // Assert
        const acceptedCount = decoded.filter((record) => record.kind === 'ctr').length;
        expect(result.records.map((r) => r.result)).toEqual(Array(acceptedCount).fill('Ok'));
      }),
      { numRuns: 40 },
    );
  });

  it('turns into a row the deepest CTR the checker accepts with keys in order (bounded by its call stack)', async () => {
    // Arrange
    const text = (depth: number): string =>
      deepCtrText({ depth, shape: 'array', leaf: '1', place: 'attribute', sortedKeys: true });
    const { depth, accepted } = deepestAccepted(100_000, text);
    const [voice, chat] = decodeAll([aVoiceCtr(), aChatCtr()]);

    // Act
    const result = await transformAccepted([voice!, accepted, chat!]);

    // Assert: the limit is the stack's, far below the size limit, and the record at it becomes a row.
    expect(accepted.kind).toBe('ctr');
    expect(depth).toBeGreaterThan(1_000);
    expect(depth).toBeLessThan(100_000);
    expect(result.records.map((r) => r.result)).toEqual(['Ok', 'Ok', 'Ok']);
  });

  it('turns into a row the deepest CTR the checker accepts with keys out of order (bounded by record size)', async () => {
    // Arrange: `[` and `]` need no escaping, so each level adds 2 bytes to the envelope; fill it to the byte.
    const text = (depth: number): string =>
      deepCtrText({ depth, shape: 'array', leaf: '1', place: 'attribute', sortedKeys: false });
    const [shallow] = decodeAll([text(0)]);
    const baseBytes = shallow!.kind === 'ctr' ? encodeEnvelope(shallow!.envelope).length : Number.NaN;
    const depth = Math.floor((FIREHOSE_MAX_RECORD_BYTES - baseBytes) / 2);
    const decoded = decodeAll([aVoiceCtr(), text(depth), aChatCtr()]);

    // Act
    const result = await transformAccepted(decoded);

    // Assert
    expect(decoded.map((record) => record.kind)).toEqual(['ctr', 'ctr', 'ctr']);
    expect(decodeAll([text(depth + 1)])[0]).toMatchObject({ kind: 'quarantine', reason: 'RECORD_TOO_LARGE' });
    expect(result.records.map((r) => r.result)).toEqual(['Ok', 'Ok', 'Ok']);
  });
});
