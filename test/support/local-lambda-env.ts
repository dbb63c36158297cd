import { LOCAL_CLIENT_CONFIG } from '../../local-aws/servers';

/**
 * What Lambda (or the local runner) gives a handler that builds its own SDK clients against local servers: the
 * region and the local servers' credentials, and Powertools quiet (no log lines, no EMF output in test results).
 */
export const LOCAL_LAMBDA_ENV = {
  AWS_REGION: LOCAL_CLIENT_CONFIG.region,
  AWS_ACCESS_KEY_ID: LOCAL_CLIENT_CONFIG.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CLIENT_CONFIG.credentials.secretAccessKey,
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
} as const;
