import type { Envelope } from '../../lambda/shared/envelope';
import { createObservability } from '../../lambda/shared/observability';
import { createTransform } from '../../lambda/transform/transform';
import { injectTransformFaults, type TransformFaultKind } from '../faults/transform-faults';
import { DeliveryStream } from '../../local-aws/firehose/delivery-stream';
import { startLocalFirehose } from '../../local-aws/firehose/firehose-server';
import type { LakeFormat } from '../../local-aws/lake/lake-format';
import { LakeWriter } from '../../local-aws/lake/lake-writer';
import { localFunctionArn } from '../../local-aws/lambda-runtime/lambda-context';
import { LOCAL_REGION } from '../../local-aws/lambda-runtime/local-identity';
import { LOCAL_NAMES, localArn } from '../../local-aws/pipeline/local-names';
import { isParked, readErrorPrefix } from './error-prefix';

export interface SoakFirehoseOptions {
  readonly lakeDir: string;
  readonly format: LakeFormat;
  /** Probability that a transform invocation throws or times out. */
  readonly faultRate: number;
  readonly seed: number;
  /** Firehose's retries of a failed transform invocation (the processor's NumberOfRetries). */
  readonly transformRetries: number;
}

/** The soak's Firehose: the local endpoint and delivery stream, the real transform with faults, the lake writer. */
export interface SoakFirehose {
  readonly endpoint: string;
  readonly stream: DeliveryStream;
  readonly transformFaults: Readonly<Record<TransformFaultKind, number>>;
  /** CTR envelopes the endpoint accepted. */
  delivered(): number;
  /**
   * The runbook's re-drive of what Firehose parked under the error prefix after the transform failed every retry:
   * put back once, transform faults off (the cause is fixed). Returns how many records it re-drove.
   */
  redriveParked(): Promise<number>;
  stop(): Promise<void>;
}

export async function startSoakFirehose(options: SoakFirehoseOptions): Promise<SoakFirehose> {
  const writer = new LakeWriter({
    lakeDir: options.lakeDir,
    format: options.format,
    streamName: LOCAL_NAMES.deliveryStream,
  });
  const transform = injectTransformFaults(createTransform(createObservability('ctr-lake-transform')), {
    faultRate: options.faultRate,
    seed: options.seed,
  });
  const stream = new DeliveryStream({
    name: LOCAL_NAMES.deliveryStream,
    arn: localArn.deliveryStream(LOCAL_NAMES.deliveryStream),
    region: LOCAL_REGION,
    transformArn: `${localFunctionArn(LOCAL_NAMES.transform)}:$LATEST`,
    writer,
    transform: (event) => transform.invoke(event),
    transformRetries: options.transformRetries,
  });
  let delivered = 0;
  const server = await startLocalFirehose({
    streams: new Map([[LOCAL_NAMES.deliveryStream, stream]]),
    onAccepted: (_name, records) => {
      for (const record of records)
        if ((JSON.parse(record.toString('utf8')) as Envelope).kind === 'ctr') delivered += 1;
    },
  });
  return {
    endpoint: server.endpoint,
    stream,
    transformFaults: transform.injected,
    delivered: () => delivered,
    redriveParked: async () => {
      const parked = (await readErrorPrefix(options.lakeDir)).filter(isParked);
      if (parked.length === 0) return 0;
      transform.setEnabled(false);
      stream.put(parked.map((record) => Buffer.from(record.rawData, 'base64')));
      await stream.flush();
      return parked.length;
    },
    stop: async () => {
      await server.stop();
      await writer.close();
    },
  };
}
