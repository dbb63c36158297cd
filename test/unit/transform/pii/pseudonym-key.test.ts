import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  loadOnce,
  parsePseudonymKey,
  PseudonymKeyError,
  type PseudonymKey,
} from '../../../../lambda/transform/pii/pseudonym-key';
import { hmacSha256Hex } from '../../../../lambda/transform/pii/pseudonym';
import { thrownBy } from '../../../support/thrown';

const MATERIAL = 'Zq8wLk3vR7tYb2nM5cX1pJ9hG4dF6sA0eU8iO3yT7rW2qE5';

describe('parsePseudonymKey', () => {
  it('reads the stored form {"version", "key"}: the HMAC key is the UTF-8 bytes of "key"', () => {
    // Act
    const key = parsePseudonymKey(JSON.stringify({ version: 2, key: MATERIAL }), 'a test');

    // Assert
    expect(key.version).toBe(2);
    expect(hmacSha256Hex(key.material, 'x')).toBe(createHmac('sha256', MATERIAL).update('x').digest('hex'));
  });

  it('accepts the version as a string of digits too', () => {
    expect(parsePseudonymKey(JSON.stringify({ version: '7', key: MATERIAL }), 'a test').version).toBe(7);
  });

  it.each([
    ['text that is not JSON', `not json ${MATERIAL}`, /in a test is not JSON$/],
    ['no key', JSON.stringify({ version: 1 }), /has no "key" of at least 32 characters/],
    ['a short key', JSON.stringify({ version: 1, key: 'short' }), /has no "key" of at least 32 characters/],
    ['no version', JSON.stringify({ key: MATERIAL }), /has no whole "version" from 1/],
    ['version 0', JSON.stringify({ version: 0, key: MATERIAL }), /has no whole "version" from 1/],
    ['a fractional version', JSON.stringify({ version: 1.5, key: MATERIAL }), /has no whole "version" from 1/],
  ])('refuses %s, naming the source and never quoting the key', (_what, text, message) => {
    // Act
    const thrown = thrownBy(() => parsePseudonymKey(text, 'a test'), PseudonymKeyError);

    // Assert
    expect(thrown.message).toMatch(message);
    expect(inspect(thrown, { depth: 10 })).not.toContain(MATERIAL.slice(0, 12));
  });

  it('never shows the key material when printed, serialised or logged', () => {
    // Arrange
    const key = parsePseudonymKey(JSON.stringify({ version: 1, key: MATERIAL }), 'a test');
    const lines: string[] = [];
    const logger = new Logger({ serviceName: 'test', logLevel: 'DEBUG' });
    jest.spyOn(process.stdout, 'write').mockImplementation((line) => {
      lines.push(String(line));
      return true;
    });

    // Act
    logger.info('loaded', { key });
    const printed = [inspect(key, { depth: 10 }), JSON.stringify(key), String(key.material), ...lines].join('\n');
    jest.restoreAllMocks();

    // Assert
    expect(lines.length).toBeGreaterThan(0);
    expect(printed).not.toContain(MATERIAL.slice(0, 12));
    expect(printed).not.toContain(Buffer.from(MATERIAL).toString('base64').slice(0, 12));
    expect(printed).not.toContain(Buffer.from(MATERIAL).toString('hex').slice(0, 12));
  });
});

describe('loadOnce', () => {
  const aKey = (): PseudonymKey => parsePseudonymKey(JSON.stringify({ version: 1, key: MATERIAL }), 'a test');

  it('loads the key once and hands the same key to every later call, concurrent ones included', async () => {
    // Arrange
    const load = jest.fn(async () => aKey());
    const provider = loadOnce({ load });

    // Act
    const keys = await Promise.all([provider.load(), provider.load()]);
    const later = await provider.load();

    // Assert
    expect(load).toHaveBeenCalledTimes(1);
    expect(keys[0]).toBe(keys[1]);
    expect(later).toBe(keys[0]);
  });

  it('does not keep a failure: the next call tries again', async () => {
    // Arrange
    const load = jest
      .fn<Promise<PseudonymKey>, []>()
      .mockRejectedValueOnce(new PseudonymKeyError('throttled'))
      .mockResolvedValueOnce(aKey());
    const provider = loadOnce({ load });

    // Act
    const first = await provider.load().catch((error: unknown) => error);
    const second = await provider.load();

    // Assert
    expect(first).toBeInstanceOf(PseudonymKeyError);
    expect(second.version).toBe(1);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
