import { createSecretKey } from 'node:crypto';
import type { LakeRow } from '../../../../lambda/shared/row-schema';
import type { PiiMode, PiiPolicy } from '../../../../lambda/transform/pii/pii-policy';
import { rowProtector } from '../../../../lambda/transform/pii/protect-row';
import { PSEUDONYM_PATTERN, pseudonymOf } from '../../../../lambda/transform/pii/pseudonym';
import type { PseudonymKey } from '../../../../lambda/transform/pii/pseudonym-key';
import { personalColumnsOf, toLakeRow } from '../../../../lambda/transform/to-lake-row';
import { aCtr, anAcceptedEnvelope } from '../../../support/ctr-factory';
import type { Ctr } from '../../../../lambda/shared/ctr';

const KEY: PseudonymKey = {
  version: 3,
  material: createSecretKey(Buffer.from('unit-test-key-0123456789-abcdefghijklmnop')),
};
const CALLER = '+61473431564';
const DIALLED = '+61730634595';
const TRANSFER = '+61862230527';
const pseudonym = (value: string): string => pseudonymOf(KEY.material, value);

function policy(mode: PiiMode, attributeKeys: readonly string[] = []): PiiPolicy {
  return { mode, attributeKeys };
}

/** The row the transform builds from a CTR, or from raw JSON text (which may repeat keys). */
function rowOf(ctr: Ctr | string): LakeRow {
  const raw = typeof ctr === 'string' ? ctr : JSON.stringify(ctr);
  return toLakeRow(anAcceptedEnvelope(JSON.parse(raw), { raw })).row;
}

function protect(mode: PiiMode, row: LakeRow, attributeKeys: readonly string[] = []): LakeRow {
  return rowProtector(policy(mode, attributeKeys), mode === 'pseudonymise' ? KEY : undefined)(row);
}

const endpoint = (Address: unknown) => ({ Address, Type: 'TELEPHONE_NUMBER' });

function aCallCtr(overrides: Record<string, unknown> = {}): Ctr {
  return aCtr({
    CustomerEndpoint: endpoint(CALLER),
    SystemEndpoint: endpoint(DIALLED),
    TransferredToEndpoint: endpoint(TRANSFER),
    Attributes: { callReason: 'billing', accountPhone: CALLER.slice(1) },
    ...overrides,
  });
}

const rawOf = (row: LakeRow): Record<string, unknown> => JSON.parse(row.raw_ctr!) as Record<string, unknown>;
const addressIn = (row: LakeRow, field: string): unknown =>
  (rawOf(row)[field] as { Address?: unknown } | null | undefined)?.Address;

describe('rowProtector', () => {
  describe('pseudonymise', () => {
    it('replaces every endpoint address in the columns and raw_ctr with its pseudonym, and records the key version', () => {
      // Arrange
      const row = rowOf(aCallCtr());

      // Act
      const result = protect('pseudonymise', row);

      // Assert
      expect(result).toMatchObject({ customer_endpoint: pseudonym(CALLER), system_endpoint: pseudonym(DIALLED) });
      expect(addressIn(result, 'CustomerEndpoint')).toBe(pseudonym(CALLER));
      expect(addressIn(result, 'SystemEndpoint')).toBe(pseudonym(DIALLED));
      expect(addressIn(result, 'TransferredToEndpoint')).toBe(pseudonym(TRANSFER));
      expect(result.pii_key_version).toBe(3);
      for (const number of [CALLER, DIALLED, TRANSFER]) expect(result.raw_ctr).not.toContain(number.slice(1));
    });

    it('keeps every other column, the fingerprint included, and every other byte of raw_ctr', () => {
      // Arrange
      const row = rowOf(aCallCtr({ Attributes: { callReason: 'billing' } }));

      // Act
      const result = protect('pseudonymise', row);

      // Assert
      const { customer_endpoint, system_endpoint, attributes, raw_ctr, pii_key_version, ...rest } = result;
      const {
        customer_endpoint: a,
        system_endpoint: b,
        attributes: c,
        raw_ctr: d,
        pii_key_version: e,
        ...before
      } = row;
      expect(rest).toEqual(before);
      expect([customer_endpoint, system_endpoint, attributes, pii_key_version]).not.toEqual([a, b, c, e]);
      const clear = raw_ctr!
        .replace(JSON.stringify(pseudonym(CALLER)), JSON.stringify(CALLER))
        .replace(JSON.stringify(pseudonym(DIALLED)), JSON.stringify(DIALLED))
        .replace(JSON.stringify(pseudonym(TRANSFER)), JSON.stringify(TRANSFER));
      expect(clear).toBe(d);
    });

    it('pseudonymises the named attributes in the attributes column and in raw_ctr', () => {
      // Arrange
      const row = rowOf(aCallCtr({ Attributes: { callerName: 'Ada Lovelace', callReason: 'billing' } }));

      // Act
      const result = protect('pseudonymise', row, ['callerName']);

      // Assert
      expect(result.attributes).toEqual({ callerName: pseudonym('Ada Lovelace'), callReason: 'billing' });
      expect(rawOf(result).Attributes).toEqual(result.attributes);
    });

    it('finds copies of a number anywhere else in the CTR, in any written form, and gives them the same pseudonym', () => {
      // Arrange: a contact flow copied the caller's number into attributes and a custom field.
      const row = rowOf(
        aCallCtr({
          Attributes: { brandServiceNumber: DIALLED, callback: ` ${CALLER.slice(1)}`, asNumber: '61 473 431 564' },
          Custom: { notes: [{ phone: CALLER }], count: 61473431564 },
        }),
      );

      // Act
      const result = protect('pseudonymise', row);

      // Assert
      expect(result.attributes).toEqual({
        brandServiceNumber: pseudonym(DIALLED),
        callback: pseudonym(CALLER),
        asNumber: pseudonym(CALLER),
      });
      expect(rawOf(result).Custom).toEqual({ notes: [{ phone: pseudonym(CALLER) }], count: pseudonym(CALLER) });
      expect(result.raw_ctr).not.toMatch(/61473431564|61730634595|473 431 564/);
    });

    it('leaves other values alone, even ones that look like numbers', () => {
      // Arrange
      const row = rowOf(aCallCtr({ Attributes: { orderNumber: '+15550000000', zip: '98101' } }));

      // Act
      const result = protect('pseudonymise', row);

      // Assert
      expect(result.attributes).toEqual({ orderNumber: '+15550000000', zip: '98101' });
    });

    it('replaces every copy under a duplicated key, which JSON.parse would hide behind the last one', () => {
      // Arrange
      const ctr = aCallCtr();
      const raw = JSON.stringify(ctr).replace(
        /^\{/,
        `{"CustomerEndpoint":{"Address":"+15550001111","Type":"TELEPHONE_NUMBER"},`,
      );

      // Act
      const result = protect('pseudonymise', rowOf(raw));

      // Assert
      expect(result.raw_ctr).not.toContain('15550001111');
      expect(result.raw_ctr).toContain(pseudonym('+15550001111'));
      expect(result.customer_endpoint).toBe(pseudonym(CALLER));
    });

    it('leaves an absent endpoint, an endpoint without Address and a null Address as they are', () => {
      // Arrange
      const row = rowOf(
        aCallCtr({
          CustomerEndpoint: undefined,
          SystemEndpoint: { Type: 'TELEPHONE_NUMBER' },
          TransferredToEndpoint: null,
        }),
      );

      // Act
      const result = protect('pseudonymise', row);
      const nullAddress = protect('pseudonymise', rowOf(aCallCtr({ CustomerEndpoint: endpoint(null) })));

      // Assert
      expect(result.raw_ctr).toBe(row.raw_ctr);
      expect([result.customer_endpoint, result.system_endpoint]).toEqual([null, null]);
      expect(addressIn(nullAddress, 'CustomerEndpoint')).toBeNull();
      expect(nullAddress.customer_endpoint).toBeNull();
    });

    it('keeps an empty address empty: it names no one', () => {
      // Act
      const result = protect('pseudonymise', rowOf(aCallCtr({ CustomerEndpoint: endpoint('') })));

      // Assert
      expect(result.customer_endpoint).toBe('');
      expect(addressIn(result, 'CustomerEndpoint')).toBe('');
    });

    it('pseudonymises a non-string value by its JSON text, so a number written as a number matches the string', () => {
      // Arrange
      const row = rowOf(
        aCallCtr({
          CustomerEndpoint: endpoint(61473431564),
          SystemEndpoint: endpoint({ e164: DIALLED }),
          Attributes: { flag: true, list: ['a', 1] },
        }),
      );

      // Act
      const result = protect('pseudonymise', row, ['flag', 'list']);

      // Assert
      expect(addressIn(result, 'CustomerEndpoint')).toBe(pseudonym(CALLER));
      expect(addressIn(result, 'SystemEndpoint')).toBe(pseudonym(JSON.stringify({ e164: DIALLED })));
      expect(result.customer_endpoint).toBe(pseudonym(CALLER));
      expect(result.attributes).toEqual({ flag: pseudonym('true'), list: pseudonym('["a",1]') });
      expect(result.raw_ctr).not.toContain('61730634595');
    });

    it('turns a very long attribute value (1 MiB) into a pseudonym of fixed length', () => {
      // Arrange
      const long = `${'free text '.repeat(104_858)}`.slice(0, 1024 * 1024);
      const row = rowOf(aCallCtr({ Attributes: { transcript: long } }));

      // Act
      const result = protect('pseudonymise', row, ['transcript']);

      // Assert
      expect(result.attributes.transcript).toMatch(PSEUDONYM_PATTERN);
      expect(result.attributes.transcript).toBe(pseudonym(long));
      expect(result.raw_ctr!.length).toBeLessThan(10_000);
    });

    it('keeps the columns and raw_ctr in agreement: the columns are projected again from the protected raw CTR', () => {
      // Act
      const result = protect('pseudonymise', rowOf(aCallCtr()), ['callReason']);

      // Assert
      expect(personalColumnsOf(rawOf(result) as unknown as Ctr)).toEqual({
        customer_endpoint: result.customer_endpoint,
        system_endpoint: result.system_endpoint,
        attributes: result.attributes,
      });
    });

    it('needs a key', () => {
      expect(() => rowProtector(policy('pseudonymise'))).toThrow('pseudonymising needs a key');
    });
  });

  describe('drop', () => {
    it('replaces every personal value and every copy of a number with null, and records no key version', () => {
      // Arrange
      const row = rowOf(
        aCallCtr({ Attributes: { callerName: 'Ada', brandServiceNumber: DIALLED, callReason: 'billing' } }),
      );

      // Act
      const result = protect('drop', row, ['callerName']);

      // Assert
      expect(result).toMatchObject({ customer_endpoint: null, system_endpoint: null, pii_key_version: null });
      expect(['CustomerEndpoint', 'SystemEndpoint', 'TransferredToEndpoint'].map((f) => addressIn(result, f))).toEqual([
        null,
        null,
        null,
      ]);
      expect(rawOf(result).Attributes).toEqual({ callerName: null, brandServiceNumber: null, callReason: 'billing' });
      expect(result.attributes).toEqual({ callerName: 'null', brandServiceNumber: 'null', callReason: 'billing' });
      expect(result.raw_ctr).not.toMatch(/61473431564|61730634595|61862230527|Ada/);
    });

    it('drops an empty or non-string value too, and leaves null and absent ones', () => {
      // Arrange
      const row = rowOf(aCallCtr({ CustomerEndpoint: endpoint(''), SystemEndpoint: endpoint(5), Attributes: {} }));

      // Act
      const result = protect('drop', row, ['absent']);

      // Assert
      expect([addressIn(result, 'CustomerEndpoint'), addressIn(result, 'SystemEndpoint')]).toEqual([null, null]);
      expect(result.customer_endpoint).toBeNull();
      expect(result.attributes).toEqual({});
    });
  });

  describe('keep', () => {
    it('returns the row as the CTR has it', () => {
      // Arrange
      const row = rowOf(aCallCtr());

      // Act / Assert
      expect(protect('keep', row, ['callReason'])).toBe(row);
    });
  });
});
