import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseConfig, type CtrLakeConfig } from './ctr-lake-config';

/** The project's cdk.json, whose `context` holds the `ctrLake:*` settings. */
export const CDK_JSON = resolve(__dirname, '..', '..', 'cdk.json');

/**
 * The app's typed config from cdk.json's context, through the stack's own parser: what every command, local run,
 * bench and test reads the deployment's settings from, so an invalid value is refused with the message `cdk synth`
 * gives.
 */
export function readProjectConfig(cdkJson: string = CDK_JSON): CtrLakeConfig {
  const { context } = JSON.parse(readFileSync(cdkJson, 'utf8')) as { context?: Record<string, unknown> };
  return parseConfig(context ?? {});
}
