import { assertCtr, type Ctr } from '../../../lambda/shared/ctr';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import {
  deliveryStream,
  generateCtrs,
  iterateCtrs,
  measuredDuplicateRate,
  type GeneratorOptions,
} from '../../../rigs/synthetic/ctr-generator';
import { sortKeysDeep, type JsonObject } from '../../../rigs/synthetic/ctr-builder';

const OPTIONS: GeneratorOptions = { seed: 42, contacts: 600, startDate: '2026-03-02', days: 5 };

function asCtrs(records: readonly JsonObject[]): Ctr[] {
  return records.map((record) => {
    assertCtr(record);
    return record;
  });
}

describe('generateCtrs', () => {
  const records = generateCtrs(OPTIONS);
  const ctrs = asCtrs(records);

  it('is deterministic for a seed and differs between seeds', () => {
    // Act
    const again = generateCtrs(OPTIONS);
    const other = generateCtrs({ ...OPTIONS, seed: 43 });

    // Assert
    expect(again).toEqual(records);
    expect(other.map((r) => r.ContactId)).not.toEqual(records.map((r) => r.ContactId));
  });

  it('streams the same records it returns', () => {
    // Act / Assert
    expect(Array.from(iterateCtrs(OPTIONS))).toEqual(records);
  });

  it('produces valid, key-sorted, synthetic CTRs', () => {
    // Assert: assertCtr ran in asCtrs for every record.
    expect(ctrs.length).toBeGreaterThanOrEqual(OPTIONS.contacts);
    for (const record of records) expect(JSON.stringify(record)).toBe(JSON.stringify(sortKeysDeep(record)));
    for (const ctr of ctrs) {
      expect(ctr.AWSAccountId).toBe('111122223333');
      if (ctr.CustomerEndpoint?.Address) expect(ctr.CustomerEndpoint.Address).toMatch(/^\+120655501\d\d$/);
    }
  });

  it('spreads initiations over the configured days, in order', () => {
    // Act
    const days = new Set(ctrs.map((c) => c.InitiationTimestamp.slice(0, 10)));
    const firstLegs = ctrs.filter((c) => c.InitiationMethod !== 'TRANSFER').map((c) => c.InitiationTimestamp);

    // Assert
    expect([...days].sort()).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06']);
    expect(firstLegs).toEqual([...firstLegs].sort());
  });

  it('mixes channels, answered and abandoned contacts, and holds', () => {
    // Act
    const channels = new Set(ctrs.map((c) => c.Channel));
    const abandoned = ctrs.filter((c) => c.Agent === null && c.Queue?.EnqueueTimestamp);
    const withHolds = ctrs.filter((c) => (c.Agent?.NumberOfHolds ?? 0) > 0);

    // Assert
    expect(channels).toEqual(new Set(['VOICE', 'CHAT', 'TASK']));
    expect(abandoned.length).toBeGreaterThan(0.05 * OPTIONS.contacts);
    expect(withHolds.length).toBeGreaterThan(0);
  });

  it('keeps durations consistent with timestamps', () => {
    // Act / Assert
    for (const ctr of ctrs) {
      if (ctr.Queue?.EnqueueTimestamp && ctr.Queue.DequeueTimestamp) {
        const seconds = (Date.parse(ctr.Queue.DequeueTimestamp) - Date.parse(ctr.Queue.EnqueueTimestamp)) / 1000;
        expect(ctr.Queue.Duration).toBe(seconds);
      }
      expect(Date.parse(ctr.LastUpdateTimestamp!)).toBeGreaterThan(Date.parse(ctr.DisconnectTimestamp!));
    }
  });

  it('links the legs of transferred calls', () => {
    // Arrange
    const byId = new Map(ctrs.map((c) => [c.ContactId, c]));

    // Act
    const transferred = ctrs.filter((c) => c.NextContactId);

    // Assert
    expect(transferred.length).toBeGreaterThan(0);
    for (const first of transferred) {
      const second = byId.get(first.NextContactId!);
      expect(second).toMatchObject({
        InitiationMethod: 'TRANSFER',
        PreviousContactId: first.ContactId,
        InitialContactId: first.ContactId,
        InitiationTimestamp: first.DisconnectTimestamp,
      });
    }
  });

  it('delivers some contacts again as later versions with more attributes', () => {
    // Arrange
    const versions = new Map<string, Ctr[]>();
    for (const ctr of ctrs) versions.set(ctr.ContactId, [...(versions.get(ctr.ContactId) ?? []), ctr]);

    // Act
    const updated = [...versions.values()].filter((v) => v.length > 1);

    // Assert
    expect(updated.length).toBeGreaterThan(0);
    for (const [first, ...later] of updated) {
      let previous = first!;
      for (const version of later) {
        expect(Date.parse(version.LastUpdateTimestamp!)).toBeGreaterThan(Date.parse(previous.LastUpdateTimestamp!));
        expect(version.Attributes).toMatchObject(previous.Attributes ?? {});
        expect(Object.keys(version.Attributes ?? {}).length).toBeGreaterThan(
          Object.keys(previous.Attributes ?? {}).length,
        );
        expect(contentFingerprint(version)).not.toBe(contentFingerprint(previous));
        previous = version;
      }
    }
  });

  it('refuses nonsensical options', () => {
    // Act / Assert
    expect(() => generateCtrs({ seed: 1, contacts: -1 })).toThrow(RangeError);
    expect(() => generateCtrs({ seed: 1, contacts: 1, days: 0 })).toThrow(RangeError);
    expect(() => generateCtrs({ seed: 1, contacts: 1, startDate: 'March' })).toThrow(RangeError);
  });
});

describe('deliveryStream', () => {
  const records = generateCtrs({ seed: 7, contacts: 700 });

  it.each([0, 0.1, 0.3, 0.5])('honours a duplicate rate of %p to within one record', (rate) => {
    // Act
    const stream = deliveryStream(records, { seed: 1, duplicateRate: rate });

    // Assert
    expect(Math.abs(measuredDuplicateRate(stream) - rate)).toBeLessThanOrEqual(1 / stream.length);
  });

  it('delivers every record once as an original, and duplicates only after their original', () => {
    // Act
    const stream = deliveryStream(records, { seed: 2, duplicateRate: 0.3 });

    // Assert
    const originals = stream.filter((d) => d.kind === 'original');
    expect(originals.map((d) => d.text)).toEqual(records.map((r) => JSON.stringify(r)));
    const seenAt = new Map<number, number>();
    stream.forEach((d, position) => {
      if (d.kind === 'original') seenAt.set(d.sourceIndex, position);
      else expect(seenAt.get(d.sourceIndex)).toBeLessThan(position);
    });
  });

  it('makes redeliveries byte-identical and reordered copies different bytes with the same fingerprint', () => {
    // Act
    const stream = deliveryStream(records, { seed: 3, duplicateRate: 0.3, reorderedShare: 0.5 });

    // Assert
    const redeliveries = stream.filter((d) => d.kind === 'redelivery');
    const reordered = stream.filter((d) => d.kind === 'reordered');
    expect(redeliveries.length).toBeGreaterThan(0);
    expect(reordered.length).toBeGreaterThan(0);
    for (const d of redeliveries) expect(d.text).toBe(JSON.stringify(records[d.sourceIndex]));
    for (const d of reordered) {
      const source = records[d.sourceIndex]!;
      expect(d.text).not.toBe(JSON.stringify(source));
      expect(contentFingerprint(JSON.parse(d.text))).toBe(contentFingerprint(source));
      expect(d.contactId).toBe(source.ContactId);
    }
  });

  it('is deterministic for a seed', () => {
    // Act / Assert
    expect(deliveryStream(records, { seed: 9, duplicateRate: 0.3 })).toEqual(
      deliveryStream(records, { seed: 9, duplicateRate: 0.3 }),
    );
  });

  it('refuses a duplicate rate outside [0, 1)', () => {
    // Act / Assert
    expect(() => deliveryStream(records, { seed: 1, duplicateRate: 1 })).toThrow(RangeError);
    expect(() => deliveryStream(records, { seed: 1, duplicateRate: -0.1 })).toThrow(RangeError);
  });
});
