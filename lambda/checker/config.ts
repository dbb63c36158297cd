import { ConfigurationError } from '../shared/errors';
import { DEDUP_KEY_STRATEGIES, type DedupKeyStrategy } from '../shared/fingerprint';
import { DEFAULT_DELIVERED_KEYS_CAPACITY } from './delivered-keys';

/** The checker's settings, read once per cold start from its environment (names in docs/CONTRACTS.md). */
export interface CheckerConfig {
  readonly tableName: string;
  readonly deliveryStreamName: string;
  /** How long a claim holds. Should cover the stream's retention, or a late redelivery is no longer caught. */
  readonly ttlHours: number;
  readonly keyStrategy: DedupKeyStrategy;
  /** Keys the warm container's cache of delivered keys holds (delivered-keys.ts); 0 turns the cache off. */
  readonly cacheSize: number;
}

export const DEFAULT_TTL_HOURS = 24;
/**
 * The checker function's timeout (lib/constructs/duplicate-checker.ts), and the time the core assumes it has when no
 * Lambda context tells it (a direct call). Two minutes: a batch of 100 takes well under a second when the services
 * answer; the rest is room for their retries, which the core stops in time (time-budget.ts).
 */
export const CHECKER_TIMEOUT_SECONDS = 120;
/** A year: a TTL beyond that is almost certainly a unit mistake (seconds given as hours). */
const MAX_TTL_HOURS = 24 * 366;
/** About 150 bytes a key: 10 million keys already take well over a gigabyte of the function's memory. */
const MAX_CACHE_SIZE = 10_000_000;

/**
 * Validates the environment and reports every problem at once, so one failed deployment shows all of them.
 * Throws ConfigurationError: the only error the checker lets escape, since no record can be processed without it.
 */
export function readCheckerConfig(env: Readonly<Record<string, string | undefined>>): CheckerConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required`);
    return value ?? '';
  };

  const tableName = required('DEDUP_TABLE_NAME');
  const deliveryStreamName = required('DELIVERY_STREAM_NAME');

  const ttlText = env.DEDUP_TTL_HOURS?.trim();
  const ttlHours = ttlText ? Number(ttlText) : DEFAULT_TTL_HOURS;
  if (!Number.isFinite(ttlHours) || ttlHours <= 0 || ttlHours > MAX_TTL_HOURS) {
    problems.push(`DEDUP_TTL_HOURS must be a number of hours in (0, ${MAX_TTL_HOURS}], received "${ttlText}"`);
  }

  const strategyText = env.DEDUP_KEY_STRATEGY?.trim() || 'content';
  const keyStrategy = DEDUP_KEY_STRATEGIES.find((s) => s === strategyText);
  if (!keyStrategy) {
    problems.push(`DEDUP_KEY_STRATEGY must be one of ${DEDUP_KEY_STRATEGIES.join(', ')}, received "${strategyText}"`);
  }

  const cacheText = env.DEDUP_CACHE_SIZE?.trim();
  const cacheSize = cacheText ? Number(cacheText) : DEFAULT_DELIVERED_KEYS_CAPACITY;
  if (!Number.isInteger(cacheSize) || cacheSize < 0 || cacheSize > MAX_CACHE_SIZE) {
    problems.push(`DEDUP_CACHE_SIZE must be a whole number of keys in [0, ${MAX_CACHE_SIZE}], received "${cacheText}"`);
  }

  if (problems.length > 0 || !keyStrategy) {
    throw new ConfigurationError(`invalid checker configuration: ${problems.join('; ')}`);
  }
  return { tableName, deliveryStreamName, ttlHours, keyStrategy, cacheSize };
}
