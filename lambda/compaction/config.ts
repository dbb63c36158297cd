import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { ConfigurationError } from '../shared/errors';
import { isLakeFormat, LAKE_FORMATS, type LakeFormat } from '../shared/lake-format';
import { DEFAULT_TARGET_OBJECT_BYTES } from './context';

/** The compaction function's settings, read once per cold start from its environment (docs/CONTRACTS.md). */
export interface CompactionConfig {
  readonly bucketName: string;
  readonly format: LakeFormat;
  /** Downloads, outputs and DuckDB's spill files: under /tmp, the only writable place in Lambda. */
  readonly workDir: string;
  /** A partition larger than this is refused (PARTITION_TOO_LARGE): what the function's /tmp can rewrite. */
  readonly maxPartitionBytes: number;
  readonly targetObjectBytes: number;
  /** DuckDB's memory limit: about half the function's memory (the rest is Node, the SDK, and DuckDB's own overhead). */
  readonly duckDbMemoryMb: number;
}

const MB = 1024 * 1024;

/**
 * Validates the environment and reports every problem at once. Throws ConfigurationError: the function cannot do
 * anything without its bucket and format.
 */
export function readCompactionConfig(env: Readonly<Record<string, string | undefined>>): CompactionConfig {
  const problems: string[] = [];
  const bucketName = env.LAKE_BUCKET_NAME?.trim() ?? '';
  if (!bucketName) problems.push('LAKE_BUCKET_NAME is required');
  const format = env.LAKE_FORMAT?.trim() ?? '';
  if (!isLakeFormat(format))
    problems.push(`LAKE_FORMAT must be one of ${LAKE_FORMATS.join(', ')}, received "${format}"`);

  const positive = (name: string, fallback: number | undefined): number => {
    const text = env[name]?.trim();
    if (!text) {
      if (fallback === undefined) problems.push(`${name} is required`);
      return fallback ?? 0;
    }
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value <= 0)
      problems.push(`${name} must be a positive integer, received "${text}"`);
    return value;
  };
  const maxPartitionBytes = positive('MAX_PARTITION_BYTES', undefined);
  const targetObjectBytes = positive('TARGET_OBJECT_BYTES', DEFAULT_TARGET_OBJECT_BYTES);
  const functionMemoryMb = positive('AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 3008);
  const duckDbMemoryMb = positive('DUCKDB_MEMORY_MB', Math.floor(functionMemoryMb / 2));

  // The handler empties this directory at each invocation: it must be the job's own.
  const workDir = resolve(env.COMPACTION_WORK_DIR?.trim() || '/tmp/compaction');
  if (dirname(workDir) === workDir || ['/tmp', tmpdir()].includes(workDir)) {
    problems.push(`COMPACTION_WORK_DIR must be a directory of its own, not ${workDir}`);
  }

  if (problems.length > 0 || !isLakeFormat(format)) {
    throw new ConfigurationError(`invalid compaction configuration: ${problems.join('; ')}`);
  }
  return {
    bucketName,
    format,
    workDir,
    maxPartitionBytes,
    targetObjectBytes: Math.min(targetObjectBytes, 4096 * MB),
    duckDbMemoryMb,
  };
}
