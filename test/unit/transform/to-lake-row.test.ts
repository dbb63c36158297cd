import { toLakeRow, partitionOf } from '../../../lambda/transform/to-lake-row';
import { InvalidRecordError } from '../../../lambda/shared/errors';
import { assertCtr } from '../../../lambda/shared/ctr';
import { contentFingerprint, contentFingerprintAtAnyDepth } from '../../../lambda/shared/fingerprint';
import type { AcceptedEnvelope } from '../../../lambda/shared/envelope';
import { ROW_COLUMNS } from '../../../lambda/shared/row-schema';
import {
  aChatCtr,
  aCtr,
  anAbandonedCtr,
  anAcceptedEnvelope,
  aTransferredCall,
  aVoiceCtr,
} from '../../support/ctr-factory';
import { thrownBy } from '../../support/thrown';
import { nestedJson } from './nested-json';

function rejection(run: () => unknown): InvalidRecordError {
  return thrownBy(run, InvalidRecordError);
}

/**
 * An accepted envelope for CTR text too deep for JSON.stringify, hence for anAcceptedEnvelope: ContactId first
 * (keys out of order, as the checker's iterative canonicaliser then handles it), `deep` in Attributes.
 */
function aDeepEnvelope(deep: string, order: 'sorted' | 'unsorted' = 'unsorted'): AcceptedEnvelope {
  const [contactId, initiation] = ['"ContactId":"c-deep"', '"InitiationTimestamp":"2026-03-02T09:14:07Z"'];
  const attributes = `"Attributes":{"deep":${deep},"plain":"x"}`;
  const raw = `{${(order === 'sorted' ? [attributes, contactId, initiation] : [contactId, attributes, initiation]).join(',')}}`;
  return { kind: 'ctr', fingerprint: contentFingerprintAtAnyDepth(JSON.parse(raw)), sequenceNumber: '1', raw };
}

describe('toLakeRow', () => {
  it('has exactly the ROW_COLUMNS keys, in order', () => {
    // Act
    const { row } = toLakeRow(anAcceptedEnvelope(aVoiceCtr()));

    // Assert
    expect(Object.keys(row)).toEqual(ROW_COLUMNS.map((c) => c.name));
  });

  it('maps an answered inbound call to its scalar columns', () => {
    // Arrange
    const ctr = aVoiceCtr({
      initiationTimestamp: '2026-03-02T09:14:07Z',
      holds: [45, 20],
      talkSeconds: 312,
      acwSeconds: 48,
    });
    const envelope = anAcceptedEnvelope(ctr, { sequenceNumber: '4965' });

    // Act
    const { row } = toLakeRow(envelope);

    // Assert
    expect(row).toMatchObject({
      contact_id: ctr.ContactId,
      fingerprint: contentFingerprint(ctr),
      channel: 'VOICE',
      initiation_method: 'INBOUND',
      initiation_timestamp: '2026-03-02 09:14:07.000',
      connected_to_system_timestamp: '2026-03-02 09:14:07.000',
      disconnect_reason: 'CUSTOMER_DISCONNECT',
      queue_name: ctr.Queue?.Name,
      queue_arn: ctr.Queue?.ARN,
      queue_duration: ctr.Queue?.Duration,
      agent_username: ctr.Agent?.Username,
      agent_arn: ctr.Agent?.ARN,
      agent_interaction_duration: 312,
      agent_customer_hold_duration: 65,
      agent_after_contact_work_duration: 48,
      agent_number_of_holds: 2,
      customer_endpoint: ctr.CustomerEndpoint?.Address,
      system_endpoint: ctr.SystemEndpoint?.Address,
      previous_contact_id: null,
      next_contact_id: null,
      initial_contact_id: null,
      instance_arn: ctr.InstanceARN,
      aws_account_id: '111122223333',
    });
    expect(row.disconnect_timestamp).toBe(ctr.DisconnectTimestamp?.replace('T', ' ').replace('Z', '.000'));
    expect(row.last_update_timestamp).toBe(ctr.LastUpdateTimestamp?.replace('T', ' ').replace('Z', '.000'));
    expect(row.queue_enqueue_timestamp).toBe(ctr.Queue?.EnqueueTimestamp?.replace('T', ' ').replace('Z', '.000'));
    expect(row.agent_connected_timestamp).toBe(
      ctr.Agent?.ConnectedToAgentTimestamp?.replace('T', ' ').replace('Z', '.000'),
    );
  });

  it('keeps the raw CTR text unchanged, whitespace and number digits included', () => {
    // Arrange: pretty-printed, with a number JSON.parse would round.
    const ctr = aCtr();
    const raw = JSON.stringify({ ...ctr, Custom: 0 }, null, 2).replace(
      '"Custom": 0',
      '"Custom": 0.10000000000000000001',
    );
    const envelope = anAcceptedEnvelope(JSON.parse(raw), { raw });

    // Act
    const { row } = toLakeRow(envelope);

    // Assert
    expect(row.raw_ctr).toBe(raw);
  });

  it('leaves agent columns null for a contact abandoned in queue', () => {
    // Arrange
    const ctr = anAbandonedCtr();

    // Act
    const { row } = toLakeRow(anAcceptedEnvelope(ctr));

    // Assert
    expect(row.queue_name).toBe(ctr.Queue?.Name);
    expect(row.queue_enqueue_timestamp).not.toBeNull();
    expect([row.agent_username, row.agent_arn, row.agent_connected_timestamp, row.agent_interaction_duration]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it('maps a chat with no endpoints', () => {
    // Act
    const { row } = toLakeRow(anAcceptedEnvelope(aChatCtr()));

    // Assert
    expect(row).toMatchObject({ channel: 'CHAT', customer_endpoint: null, system_endpoint: null });
  });

  it('links the legs of a transferred call', () => {
    // Arrange
    const [first, second] = aTransferredCall();

    // Act
    const rows = [first, second].map((ctr) => toLakeRow(anAcceptedEnvelope(ctr)).row);

    // Assert
    expect(rows[0]).toMatchObject({ next_contact_id: second.ContactId, initial_contact_id: null });
    expect(rows[1]).toMatchObject({
      initiation_method: 'TRANSFER',
      previous_contact_id: first.ContactId,
      initial_contact_id: first.ContactId,
    });
  });

  it('makes attributes a string map, JSON-encoding values that are not strings', () => {
    // Arrange
    const ctr = aCtr({ Attributes: { plain: 'x', count: 3, flag: true, nested: { a: 1 }, none: null } });

    // Act
    const { row } = toLakeRow(anAcceptedEnvelope(ctr));

    // Assert
    expect(row.attributes).toEqual({ plain: 'x', count: '3', flag: 'true', nested: '{"a":1}', none: 'null' });
  });

  it.each(['array', 'object', 'mixed'] as const)(
    'maps an attribute value nested 10,000 levels (%s) to its JSON text, where JSON.stringify overflows',
    (shape) => {
      // Arrange: a leaf as raw text may write it, and as JSON.stringify writes it.
      const leaf = '{"n":-0.5e3,"s":"\\u00e9"}';
      const deep = nestedJson(10_000, shape, leaf);
      const envelope = aDeepEnvelope(deep);

      // Act
      const { row, partitionKeys } = toLakeRow(envelope);

      // Assert
      expect(() => JSON.stringify(JSON.parse(deep))).toThrow(RangeError);
      expect(row.attributes).toEqual({
        deep: nestedJson(10_000, shape, JSON.stringify(JSON.parse(leaf))),
        plain: 'x',
      });
      expect(row.raw_ctr).toBe(envelope.raw);
      expect(partitionKeys).toEqual({ year: '2026', month: '03', day: '02' });
    },
  );

  it('checks the fingerprint of a CTR too deep for the recursive fast path, with keys in order', () => {
    // Arrange: sorted keys send contentFingerprint down its recursive fast path, which overflows here.
    const envelope = aDeepEnvelope(nestedJson(10_000, 'object'), 'sorted');

    // Act
    const { row } = toLakeRow(envelope);

    // Assert
    expect(() => contentFingerprint(JSON.parse(envelope.raw))).toThrow(RangeError);
    expect(row.fingerprint).toBe(envelope.fingerprint);
  });

  it('still refuses a deep CTR whose fingerprint is not the envelope’s', () => {
    // Arrange
    const envelope = {
      ...aDeepEnvelope(nestedJson(10_000, 'array'), 'sorted'),
      fingerprint: contentFingerprint(aCtr()),
    };

    // Act / Assert
    expect(rejection(() => toLakeRow(envelope)).code).toBe('INVALID_ENVELOPE');
  });

  it('keeps an attribute named __proto__ as a map entry', () => {
    // Arrange: JSON.parse makes "__proto__" an own key; plain assignment would set the prototype instead.
    const raw =
      '{"Attributes":{"__proto__":{"a":1},"z":"2"},"ContactId":"c-proto","InitiationTimestamp":"2026-01-01T00:00:00Z"}';
    const envelope = anAcceptedEnvelope(JSON.parse(raw), { raw });

    // Act
    const { row } = toLakeRow(envelope);
    const written = JSON.parse(JSON.stringify(row)) as { attributes: Record<string, string> };

    // Assert
    expect(Object.entries(written.attributes)).toEqual([
      ['__proto__', '{"a":1}'],
      ['z', '2'],
    ]);
  });

  it('nulls a timestamp column whose UTC instant falls outside years 0000-9999', () => {
    // Arrange: valid ISO-8601, but the offset carries it into year 10000 in UTC.
    const ctr = aCtr({ DisconnectTimestamp: '9999-12-31T23:30:00-01:00' });

    // Act
    const { row } = toLakeRow(anAcceptedEnvelope(ctr));

    // Assert
    expect(row.disconnect_timestamp).toBeNull();
    expect(row.initiation_timestamp).not.toBeNull();
  });

  it.each(['0000-01-01T00:30:00+01:00', '9999-12-31T23:30:00-01:00'])(
    'refuses InitiationTimestamp %s, valid but with no UTC day to partition by, as INVALID_FIELD, as the checker does',
    (initiation) => {
      // Arrange
      const ctr = aCtr({ InitiationTimestamp: initiation });

      // Act
      const error = rejection(() => toLakeRow(anAcceptedEnvelope(ctr)));
      const checkerError = rejection(() => assertCtr(ctr));

      // Assert: one decision, the same reason on both sides
      expect(error.code).toBe('INVALID_FIELD');
      expect(error.message).toMatch(/InitiationTimestamp.*0000-9999/);
      expect(checkerError.message).toBe(error.message);
    },
  );

  it('nulls columns whose nested fields are missing or of the wrong type instead of failing', () => {
    // Arrange: minimal CTR, and a Queue whose fields have the wrong types.
    const ctr = {
      ContactId: 'c-minimal',
      InitiationTimestamp: '2026-01-01T00:00:00Z',
      Queue: { Name: 7, Duration: '346', EnqueueTimestamp: 'yesterday' },
      Agent: { NumberOfHolds: 1.5, AgentInteractionDuration: 2 ** 40 },
      Attributes: null,
    };

    // Act
    const { row } = toLakeRow(anAcceptedEnvelope(ctr));

    // Assert
    expect(row).toMatchObject({
      contact_id: 'c-minimal',
      channel: null,
      last_update_timestamp: null,
      queue_name: null,
      queue_duration: null,
      queue_enqueue_timestamp: null,
      agent_number_of_holds: null,
      agent_interaction_duration: null,
      customer_endpoint: null,
      attributes: {},
    });
  });

  it.each([
    ['2026-03-02T09:14:07Z', { year: '2026', month: '03', day: '02' }],
    ['2026-12-31T23:59:59Z', { year: '2026', month: '12', day: '31' }],
    // An offset that crosses midnight: the partition is the UTC day.
    ['2026-03-02T22:30:00-05:00', { year: '2026', month: '03', day: '03' }],
    ['2026-01-01T00:30:00.5+01:00', { year: '2025', month: '12', day: '31' }],
  ])('partitions %s by its UTC day', (initiation, expected) => {
    // Act
    const { partitionKeys } = toLakeRow(anAcceptedEnvelope(aCtr({ InitiationTimestamp: initiation })));

    // Assert
    expect(partitionKeys).toEqual(expected);
    expect(partitionOf(initiation)).toEqual(expected);
  });

  describe('the partition projection of the ctr table (ctrLake:projectionStartYear to the current year)', () => {
    const projected = { first: 2019, last: 2026 };

    it.each([
      ['the first projected year, at its first instant', '2019-01-01T00:00:00.000Z', '2019'],
      ['the current year, at its last instant', '2026-12-31T23:59:59.999Z', '2026'],
    ])('partitions a CTR of %s', (_edge, initiation, year) => {
      // Act
      const { partitionKeys } = toLakeRow(anAcceptedEnvelope(aCtr({ InitiationTimestamp: initiation })), projected);

      // Assert
      expect(partitionKeys.year).toBe(year);
    });

    it.each([
      ['the year before the first, at its last instant', '2018-12-31T23:59:59.999Z', 2018],
      ['the year after the current one, at its first instant', '2027-01-01T00:00:00.000Z', 2027],
      ['the first year in local time but the year before in UTC', '2019-01-01T00:30:00+01:00', 2018],
    ])('quarantines a CTR of %s, saying which year and which range', (_edge, initiation, year) => {
      // Act
      const error = rejection(() =>
        toLakeRow(anAcceptedEnvelope(aCtr({ InitiationTimestamp: initiation })), projected),
      );

      // Assert
      expect(error.code).toBe('OUTSIDE_PARTITION_PROJECTION');
      expect(error.message).toContain(`year ${year} (UTC)`);
      expect(error.message).toContain('2019-2026');
      expect(() => partitionOf(initiation, projected)).toThrow(InvalidRecordError);
    });
  });

  it('refuses a partition of a string that is no timestamp with InvalidRecordError, not RangeError', () => {
    // Act / Assert
    expect(rejection(() => partitionOf('not a time')).code).toBe('INVALID_FIELD');
  });

  it('refuses raw text that is not JSON, without quoting it', () => {
    // Arrange
    const envelope = { ...anAcceptedEnvelope(aCtr()), raw: '{"ContactId":"c-1","phone":"+15550142"' };

    // Act
    const error = rejection(() => toLakeRow(envelope));

    // Assert
    expect(error.code).toBe('INVALID_JSON');
    expect(error.message).not.toContain('+15550142');
  });

  it.each([
    ['no ContactId', aCtr({ ContactId: undefined }), 'MISSING_CONTACT_ID'],
    ['a bad InitiationTimestamp', aCtr({ InitiationTimestamp: '02/03/2026' }), 'INVALID_FIELD'],
    ['an array', [aCtr()], 'NOT_AN_OBJECT'],
  ])('refuses a CTR with %s', (_label, ctr, code) => {
    // Act / Assert
    expect(rejection(() => toLakeRow(anAcceptedEnvelope(ctr))).code).toBe(code);
  });

  it.each([
    ['keys in order (the fast path)', '{"ContactId":"c-1","InitiationTimestamp":"2026-03-04T09:00:00Z","Zeta":1e400}'],
    ['keys out of order', '{"Zeta":1e400,"ContactId":"c-1","InitiationTimestamp":"2026-03-04T09:00:00Z"}'],
  ])('refuses a CTR holding a number past the double range, with %s', (_label, raw) => {
    // Arrange: the fingerprint its twin holding null has, which a fast path writing Infinity as null would give
    const envelope = {
      kind: 'ctr' as const,
      fingerprint: contentFingerprint(JSON.parse(raw.replace('1e400', 'null'))),
      sequenceNumber: '1',
      raw,
    };

    // Act
    const error = rejection(() => toLakeRow(envelope));

    // Assert
    expect(error.code).toBe('INVALID_FIELD');
    expect(error.message).toContain('Infinity is not allowed');
  });

  it('refuses an envelope whose fingerprint is not its CTR’s', () => {
    // Arrange
    const envelope = { ...anAcceptedEnvelope(aCtr()), fingerprint: contentFingerprint(aCtr()) };

    // Act / Assert
    expect(rejection(() => toLakeRow(envelope)).code).toBe('INVALID_ENVELOPE');
  });
});
