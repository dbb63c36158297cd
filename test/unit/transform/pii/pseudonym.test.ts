import { createHash, createSecretKey } from 'node:crypto';
import {
  hmacSha256Hex,
  phoneCanonical,
  PSEUDONYM_PATTERN,
  pseudonymOf,
} from '../../../../lambda/transform/pii/pseudonym';

const hex = (text: string): Buffer => Buffer.from(text, 'hex');
const repeated = (byte: number, length: number): Buffer => Buffer.alloc(length, byte);

/** RFC 4231 section 4: the HMAC-SHA-256 results of test cases 1-7 (case 5 is truncated to 128 bits). */
const RFC_4231_CASES = [
  {
    name: '1: 20-byte key, "Hi There"',
    key: repeated(0x0b, 20),
    data: Buffer.from('Hi There'),
    hmac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
  },
  {
    name: '2: key shorter than the output ("Jefe")',
    key: Buffer.from('Jefe'),
    data: Buffer.from('what do ya want for nothing?'),
    hmac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  },
  {
    name: '3: combined length of key and data over 64 bytes',
    key: repeated(0xaa, 20),
    data: repeated(0xdd, 50),
    hmac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
  },
  {
    name: '4: 25-byte key 0x01..0x19',
    key: hex('0102030405060708090a0b0c0d0e0f10111213141516171819'),
    data: repeated(0xcd, 50),
    hmac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
  },
  {
    name: '5: truncation to 128 bits',
    key: repeated(0x0c, 20),
    data: Buffer.from('Test With Truncation'),
    hmac: 'a3b6167473100ee06e0c796c2955552b',
  },
  {
    name: '6: key larger than the block size (131 bytes)',
    key: repeated(0xaa, 131),
    data: Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'),
    hmac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
  },
  {
    name: '7: key and data larger than the block size',
    key: repeated(0xaa, 131),
    data: Buffer.from(
      'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be ' +
        'hashed before being used by the HMAC algorithm.',
    ),
    hmac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
];

describe('hmacSha256Hex', () => {
  it.each(RFC_4231_CASES.map((c) => [c.name, c] as const))('matches RFC 4231 test case %s', (_name, c) => {
    // Act
    const result = hmacSha256Hex(createSecretKey(c.key), c.data);

    // Assert
    expect(result.slice(0, c.hmac.length)).toBe(c.hmac);
  });
});

describe('pseudonymOf', () => {
  const key = createSecretKey(Buffer.from('a-test-key-of-forty-characters-0123456789'));

  it('is hmac: and the HMAC-SHA-256 hex of the value: RFC 4231 case 2 through the pseudonym', () => {
    // Act
    const pseudonym = pseudonymOf(createSecretKey(Buffer.from('Jefe')), 'what do ya want for nothing?');

    // Assert
    expect(pseudonym).toBe('hmac:5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('has one fixed length whatever the value, a megabyte included', () => {
    // Act
    const pseudonyms = ['x', '+15551234567', 'é'.repeat(1_000_000)].map((value) => pseudonymOf(key, value));

    // Assert
    for (const pseudonym of pseudonyms) {
      expect(pseudonym).toMatch(PSEUDONYM_PATTERN);
      expect(pseudonym).toHaveLength(69);
    }
    expect(new Set(pseudonyms).size).toBe(3);
  });

  it('gives one number one pseudonym however it is written, made from its canonical +digits form', () => {
    // Act
    const forms = ['+19182690528', ' 19182690528', '19182690528', '+1 918-269-0528', '+1 (918) 269.0528'].map((value) =>
      pseudonymOf(key, value),
    );

    // Assert
    expect(new Set(forms)).toEqual(new Set([`hmac:${hmacSha256Hex(key, '+19182690528')}`]));
  });

  it('depends on the key: another key gives another pseudonym', () => {
    // Arrange
    const other = createSecretKey(Buffer.from('another-test-key-of-forty-characters-012'));

    // Act / Assert
    expect(pseudonymOf(other, '+15551234567')).not.toBe(pseudonymOf(key, '+15551234567'));
  });

  it('cannot be confirmed without the key: the plain SHA-256 of the number is not the pseudonym', () => {
    // Arrange
    const guessed = createHash('sha256').update('+15551234567').digest('hex');

    // Act / Assert
    expect(pseudonymOf(key, '+15551234567')).not.toContain(guessed);
  });
});

describe('phoneCanonical', () => {
  it.each([
    ['+15551234567', '+15551234567'],
    [' 19182690528', '+19182690528'],
    ['61473431564', '+61473431564'],
    ['+1 (555) 123-4567', '+15551234567'],
    ['555.123.4567', '+5551234567'],
    ['+190011112222', '+190011112222'],
  ])('reads %j as the number %s', (value, canonical) => {
    expect(phoneCanonical(value)).toBe(canonical);
  });

  it.each([
    ['a name', 'Kinder Haven'],
    ['an e-mail address', 'caller@example.com'],
    ['a short code', '12345'],
    ['more digits than E.164 allows', '+1234567890123456'],
    ['digits inside text', 'call +15551234567 back'],
    ['a plus sign elsewhere', '555+1234567'],
    ['an empty string', ''],
  ])('refuses %s', (_what, value) => {
    expect(phoneCanonical(value)).toBeUndefined();
  });
});
