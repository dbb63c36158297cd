import { toLakeRow, partitionOf } from '../../../lambda/transform/to-lake-row';
import { InvalidRecordError } from '../../../lambda/shared/errors';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
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

function rejection(run: () => unknown): InvalidRecordError {
  return thrownBy(run, InvalidRecordError);
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

  it('refuses an envelope whose fingerprint is not its CTR’s', () => {
    // Arrange
    const envelope = { ...anAcceptedEnvelope(aCtr()), fingerprint: contentFingerprint(aCtr()) };

    // Act / Assert
    expect(rejection(() => toLakeRow(envelope)).code).toBe('INVALID_ENVELOPE');
  });
});
