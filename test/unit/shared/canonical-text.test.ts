import { isCanonicalJsonText } from '../../../lambda/shared/canonical-text';
import { canonicalJson, contentFingerprint, contentFingerprintOfJson } from '../../../lambda/shared/fingerprint';
import { aCtr } from '../../support/ctr-factory';
import { loadRealCtrs } from '../../support/real-ctrs';

const check = (text: string): boolean => isCanonicalJsonText(text, JSON.parse(text));

describe('isCanonicalJsonText', () => {
  it.each([
    ['compact, keys sorted', '{"a":1,"b":[true,false,null],"c":{"d":"x y","e":-12}}'],
    ['an empty object and array', '{"a":{},"b":[]}'],
    ['an empty key', '{"":1,"a":2}'],
    ['non-ASCII literally', '{"a":"é😀\u2028"}'],
  ])('says yes to a canonical text: %s', (_, text) => {
    expect(check(text)).toBe(true);
  });

  it.each([
    ['whitespace', '{"a": 1}'],
    ['keys out of order', '{"b":1,"a":2}'],
    ['a duplicate key', '{"a":0,"a":1}'],
    ['a key JavaScript enumerates first', '{"b":1,"1":2}'],
    ['a sorted integer-like key (not worth the doubt)', '{"1":2,"b":1}'],
    ['__proto__', '{"__proto__":1}'],
    ['an escape, even a canonical one', '{"a":"x\\ny"}'],
    ['a needless escape', '{"a":"\\u0041"}'],
    ['a decimal', '{"a":1.5}'],
    ['an exponent', '{"a":1e21}'],
    ['-0', '{"a":-0}'],
    ['a 16-digit integer', '{"a":1234567890123456}'],
  ])('says no to %s', (_, text) => {
    expect(check(text)).toBe(false);
  });

  it('says yes to a CTR written as Connect writes it: compact, keys sorted', () => {
    expect(check(canonicalJson(aCtr()))).toBe(true);
  });
});

describe('contentFingerprintOfJson', () => {
  it('hashes the raw bytes of a canonical text: the same fingerprint as the serialiser', () => {
    const text = '{"ContactId":"c-1","InitiationTimestamp":"2026-03-17T10:00:00Z"}';
    const bytes = Buffer.from(text, 'utf8');

    expect(contentFingerprintOfJson(bytes, text, JSON.parse(text))).toBe(contentFingerprint(JSON.parse(text)));
  });

  it('takes the slow path when the bytes start with a byte order mark, which the decoder drops from the text', () => {
    const text = '{"a":1}';
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);

    expect(contentFingerprintOfJson(bytes, text, JSON.parse(text))).toBe(contentFingerprint({ a: 1 }));
  });

  it('gives every real CTR the serialiser’s fingerprint, written as it came and written canonically', () => {
    const ctrs = loadRealCtrs();
    expect(ctrs.length).toBeGreaterThan(0);
    for (const ctr of ctrs) {
      for (const text of [JSON.stringify(ctr), JSON.stringify(ctr, null, 2), canonicalJson(ctr)]) {
        const parsed: unknown = JSON.parse(text);

        expect(contentFingerprintOfJson(Buffer.from(text, 'utf8'), text, parsed)).toBe(contentFingerprint(ctr));
      }
    }
  });
});
