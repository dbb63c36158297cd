import { createKinesisClient } from '../shared/adapters/kinesis-client';
import { ConfigurationError } from '../shared/errors';
import { createObservability } from '../shared/observability';
import { KinesisRecordPublisher } from './adapters/kinesis-publisher';
import { createEmulator } from './emulator';

/**
 * Emulator Lambda: puts the CTRs of a test event on the Kinesis stream, as Amazon Connect would.
 * Environment (read once per cold start): STREAM_NAME.
 */
const streamName = process.env.STREAM_NAME?.trim();
if (!streamName) throw new ConfigurationError('STREAM_NAME is required');

const { logger, metrics } = createObservability('ctr-lake-emulator');

export const handler = createEmulator({
  publisher: new KinesisRecordPublisher(createKinesisClient(), streamName),
  logger,
  metrics,
});

export { createEmulator, type EmulatorDependencies, type EmulatorResult } from './emulator';
export { parseEmulatorEvent, type PreparedRecord } from './parse-event';
export { sendCtrs, chunkRecords, type SendReport, type SendOptions } from './send-ctrs';
export { KinesisRecordPublisher } from './adapters/kinesis-publisher';
