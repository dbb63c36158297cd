import { KinesisClient, type KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { createHttp2Handler, createHttpHandler, KINESIS_TIMEOUTS, type RequestTimeouts } from './http-handler';

/**
 * The Kinesis client every ctr-lake component uses. Default config otherwise, so region, credentials and the standard
 * `AWS_ENDPOINT_URL_KINESIS` / `AWS_ENDPOINT_URL` variables apply as usual. Its request handler always has request
 * timeouts (KINESIS_TIMEOUTS, http-handler.ts), so a hung PutRecords fails and is retried instead of running the
 * function out of time. The Kinesis client speaks HTTP/2 by default, which kinesalite (the local emulator) does not:
 * when the endpoint is overridden (by those variables or an explicit `endpoint`), requests go over HTTP/1.1 instead.
 * Against AWS the default protocol (HTTP/2) is kept. A caller's own `requestHandler` is used unchanged.
 *
 * @param timeouts overrides of KINESIS_TIMEOUTS, e.g. much shorter limits in tests
 */
export function createKinesisClient(
  config: KinesisClientConfig = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
  timeouts: Partial<RequestTimeouts> = {},
): KinesisClient {
  if (config.requestHandler !== undefined) return new KinesisClient(config);
  const endpointOverridden =
    Boolean(env.AWS_ENDPOINT_URL_KINESIS ?? env.AWS_ENDPOINT_URL) || config.endpoint !== undefined;
  const requestHandler = endpointOverridden
    ? createHttpHandler(KINESIS_TIMEOUTS, timeouts)
    : createHttp2Handler(KINESIS_TIMEOUTS, timeouts);
  return new KinesisClient({ ...config, requestHandler });
}
