import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DedupKeyStrategy } from '../../lambda/shared/fingerprint';
import { parseConfig, type CtrLakeConfig } from '../../lib/config/ctr-lake-config';
import type { LakeFormat } from '../lake/lake-format';

export const CDK_JSON = resolve(__dirname, '..', '..', 'cdk.json');

/**
 * The app's typed config from cdk.json's context, through the stack's own parser (lib/config): what every local
 * command, bench and test reads the deployment's settings from.
 */
export function readProjectConfig(cdkJson: string = CDK_JSON): CtrLakeConfig {
  const { context } = JSON.parse(readFileSync(cdkJson, 'utf8')) as { context?: Record<string, unknown> };
  return parseConfig(context ?? {});
}

/** The stack settings that shape a local run, so that `npm start` behaves like the configured deployment. */
export interface StackSettings {
  readonly format: LakeFormat;
  readonly dedupTtlHours: number;
  readonly dedupKeyStrategy: DedupKeyStrategy;
  readonly batchSize: number;
  readonly maximumRetryAttempts: number;
  readonly shardCount: number;
}

/**
 * Reads cdk.json's context through the stack's own config parser (lib/config), so an invalid value is refused with
 * the same message `cdk synth` gives. An on-demand stream runs locally with one shard.
 */
export function readStackSettings(cdkJson: string = CDK_JSON): StackSettings {
  const config = readProjectConfig(cdkJson);
  return {
    format: config.lakeFormat,
    dedupTtlHours: config.dedupTtlHours,
    dedupKeyStrategy: config.dedupKeyStrategy,
    batchSize: config.checker.batchSize,
    maximumRetryAttempts: config.checker.retryAttempts,
    shardCount: config.stream.mode === 'provisioned' ? config.stream.shardCount : 1,
  };
}
