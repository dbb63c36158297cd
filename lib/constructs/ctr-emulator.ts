import { Duration } from 'aws-cdk-lib';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';
import { CtrFunction, type FunctionSettings } from './ctr-function';

export interface CtrEmulatorProps {
  readonly stream: kinesis.IStream;
  readonly functionSettings: FunctionSettings;
}

/**
 * Stands in for Amazon Connect: invoked with an array of CTRs, it puts them on the stream. It may write to that
 * stream and nothing else.
 */
export class CtrEmulator extends Construct {
  readonly handler: CtrFunction;

  constructor(scope: Construct, id: string, props: CtrEmulatorProps) {
    super(scope, id);
    this.handler = new CtrFunction(this, 'Emulator', {
      ...props.functionSettings,
      handlerName: 'emulator',
      description: 'Puts an event of up to 500 CTRs on the stream, as Amazon Connect would',
      // 500 CTRs are one PutRecords call, or a few with throttling retries and backoff: a minute is ample.
      timeout: Duration.seconds(60),
      memorySize: 512,
      environment: { STREAM_NAME: props.stream.streamName },
    });
    props.stream.grantWrite(this.handler.function);
  }
}
