import { functionEnvironment } from '../../../local-aws/pipeline/function-environment';

const ENDPOINTS = { kinesis: 'http://127.0.0.1:1', dynamodb: 'http://127.0.0.1:2', firehose: 'http://127.0.0.1:3' };

describe('functionEnvironment', () => {
  it('points the SDK at the local servers with fake credentials', () => {
    // Act
    const env = functionEnvironment(
      ENDPOINTS,
      { serviceName: 'checker', logLevel: 'SILENT' },
      { DEDUP_TABLE_NAME: 't' },
      {},
    );

    // Assert
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL_KINESIS: ENDPOINTS.kinesis,
      AWS_ENDPOINT_URL_DYNAMODB: ENDPOINTS.dynamodb,
      AWS_ENDPOINT_URL_FIREHOSE: ENDPOINTS.firehose,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      POWERTOOLS_SERVICE_NAME: 'checker',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      DEDUP_TABLE_NAME: 't',
    });
  });

  it("never passes the developer's AWS or Powertools settings on", () => {
    // Act
    const env = functionEnvironment(
      ENDPOINTS,
      { serviceName: 's', logLevel: 'INFO' },
      {},
      {
        PATH: '/usr/bin',
        AWS_PROFILE: 'prod',
        AWS_SESSION_TOKEN: 'secret',
        POWERTOOLS_DEV: 'true',
      },
    );

    // Assert
    expect(env.PATH).toBe('/usr/bin');
    expect(env).not.toHaveProperty('AWS_PROFILE');
    expect(env).not.toHaveProperty('AWS_SESSION_TOKEN');
    expect(env).not.toHaveProperty('POWERTOOLS_DEV');
  });
});
