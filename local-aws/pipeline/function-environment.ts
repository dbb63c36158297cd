import { LOCAL_CLIENT_CONFIG } from '../servers';

/** Endpoints of the local services, as the handlers' SDK clients are pointed at them. */
export interface LocalEndpoints {
  readonly kinesis: string;
  /** Absent when the checker's dedup store is Valkey (it then gets VALKEY_ENDPOINT among its own variables). */
  readonly dynamodb?: string;
  readonly firehose: string;
}

/**
 * A local function's whole environment: the calling process's variables minus every AWS_* and POWERTOOLS_* one (so a
 * developer's real credentials, profile or endpoints can never reach a local handler), plus fake credentials, the
 * local endpoints, Powertools settings and the function's own variables.
 */
export function functionEnvironment(
  endpoints: LocalEndpoints,
  settings: { readonly serviceName: string; readonly logLevel: string },
  own: Readonly<Record<string, string>>,
  base: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string> {
  const inherited = Object.entries(base).filter(
    (entry): entry is [string, string] =>
      entry[1] !== undefined && !entry[0].startsWith('AWS_') && !entry[0].startsWith('POWERTOOLS_'),
  );
  return {
    ...Object.fromEntries(inherited),
    AWS_REGION: LOCAL_CLIENT_CONFIG.region,
    AWS_DEFAULT_REGION: LOCAL_CLIENT_CONFIG.region,
    AWS_ACCESS_KEY_ID: LOCAL_CLIENT_CONFIG.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CLIENT_CONFIG.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_KINESIS: endpoints.kinesis,
    ...(endpoints.dynamodb === undefined ? {} : { AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb }),
    AWS_ENDPOINT_URL_FIREHOSE: endpoints.firehose,
    // The SDK's notice about future Node.js versions concerns deployments, not a local run: keep the console clean.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: settings.serviceName,
    POWERTOOLS_LOG_LEVEL: settings.logLevel,
    ...own,
  };
}
