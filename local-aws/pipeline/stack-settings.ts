import type { DedupKeyStrategy } from '../../lambda/shared/fingerprint';
import { CDK_JSON, readProjectConfig } from '../../lib/config/project-config';
import type { LakeFormat } from '../lake/lake-format';
import type { LocalPiiOptions } from './pipeline-options';

/** The stack settings that shape a local run, so that `npm start` behaves like the configured deployment. */
export interface StackSettings {
  readonly format: LakeFormat;
  readonly dedupTtlHours: number;
  readonly maxRecordAgeHours: number;
  readonly dedupKeyStrategy: DedupKeyStrategy;
  readonly batchSize: number;
  readonly parallelizationFactor: number;
  readonly maximumRetryAttempts: number;
  readonly shardCount: number;
  /** ctrLake:reportingTimeZone: the local days and hours the named queries count in. */
  readonly reportingTimeZone: string;
  readonly projectionStartYear: number;
  readonly pii: Required<LocalPiiOptions>;
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
    maxRecordAgeHours: config.checker.maxRecordAgeHours,
    dedupKeyStrategy: config.dedupKeyStrategy,
    batchSize: config.checker.batchSize,
    parallelizationFactor: config.checker.parallelization,
    maximumRetryAttempts: config.checker.retryAttempts,
    shardCount: config.stream.mode === 'provisioned' ? config.stream.shardCount : 1,
    reportingTimeZone: config.reportingTimeZone,
    projectionStartYear: config.projectionStartYear,
    pii: { mode: config.pii.mode, attributeKeys: config.pii.attributeKeys, keyVersion: config.pii.keyVersion },
  };
}
