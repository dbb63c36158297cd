import { KinesisClient, type KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * The Kinesis client every ctr-lake component uses. Default config, so region, credentials and the standard
 * `AWS_ENDPOINT_URL_KINESIS` / `AWS_ENDPOINT_URL` variables apply as usual. The current Kinesis client speaks
 * HTTP/2 by default, which kinesalite (the local emulator) does not: when the endpoint is overridden (by those
 * variables or an explicit `endpoint`), requests go over HTTP/1.1 instead. Against AWS the default handler is kept.
 */
export function createKinesisClient(
  config: KinesisClientConfig = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): KinesisClient {
  const endpointOverridden =
    Boolean(env.AWS_ENDPOINT_URL_KINESIS ?? env.AWS_ENDPOINT_URL) || config.endpoint !== undefined;
  if (endpointOverridden && config.requestHandler === undefined) {
    return new KinesisClient({ ...config, requestHandler: new NodeHttpHandler() });
  }
  return new KinesisClient(config);
}
