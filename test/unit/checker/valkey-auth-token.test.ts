import { createHash, createHmac } from 'node:crypto';
import { createValkeyAuthToken } from '../../../lambda/checker/adapters/valkey-auth-token';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SIGNING_DATE = new Date('2026-03-04T09:00:00Z');

/** SigV4 query-string signing written out from the AWS General Reference, to check the token independently. */
function expectedSignature(query: URLSearchParams, host: string): string {
  const sorted = [...query.entries()]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [encodeURIComponent(name), encodeURIComponent(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalRequest = [
    'GET',
    '/',
    sorted,
    `host:${host}\n`,
    'host',
    createHash('sha256').update('').digest('hex'),
  ].join('\n');
  const scope = '20260304/us-east-1/elasticache/aws4_request';
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    '20260304T090000Z',
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${CREDENTIALS.secretAccessKey}`, '20260304'), 'us-east-1'), 'elasticache'),
    'aws4_request',
  );
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}

describe('createValkeyAuthToken', () => {
  it('presigns a connect request for the cache and user, valid 15 minutes, without a scheme', async () => {
    // Act
    const token = await createValkeyAuthToken({
      cacheName: 'ctr-lake-dedup',
      userId: 'ctr-lake-checker',
      region: 'us-east-1',
      credentials: CREDENTIALS,
      signingDate: SIGNING_DATE,
    });

    // Assert
    expect(token.startsWith('ctr-lake-dedup/?')).toBe(true);
    const query = new URLSearchParams(token.slice('ctr-lake-dedup/?'.length));
    expect(Object.fromEntries(query)).toMatchObject({
      Action: 'connect',
      User: 'ctr-lake-checker',
      ResourceType: 'ServerlessCache',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20260304/us-east-1/elasticache/aws4_request',
      'X-Amz-Date': '20260304T090000Z',
      'X-Amz-Expires': '900',
      'X-Amz-SignedHeaders': 'host',
    });
    expect(query.get('X-Amz-Signature')).toBe(expectedSignature(query, 'ctr-lake-dedup'));
  });

  it('carries the session token of temporary credentials, as a Lambda role has', async () => {
    // Act
    const token = await createValkeyAuthToken({
      cacheName: 'c',
      userId: 'u',
      region: 'eu-west-1',
      credentials: { ...CREDENTIALS, sessionToken: 'session/token+x' },
      signingDate: SIGNING_DATE,
    });

    // Assert
    expect(new URLSearchParams(token.slice('c/?'.length)).get('X-Amz-Security-Token')).toBe('session/token+x');
  });
});
