import { ConfigurationError } from '../shared/errors';
import { DEDUP_KEY_STRATEGIES, type DedupKeyStrategy } from '../shared/fingerprint';
import {
  CLAIM_LIFETIME_REASON,
  claimOutlivesRecordAge,
  DEFAULT_MAX_RECORD_AGE_HOURS,
  MAX_RECORD_AGE_HOURS_LIMIT,
} from './claim-lifetime';
import { DEFAULT_DELIVERED_KEYS_CAPACITY } from './delivered-keys';

/** The checker's settings, read once per cold start from its environment (names in docs/CONTRACTS.md). */
export interface CheckerConfig {
  /** Where the claims live (DEDUP_STORE): the DynamoDB table, or a Valkey/Redis server. */
  readonly dedupStore: DedupStoreConfig;
  readonly deliveryStreamName: string;
  /** How long a claim holds. Should cover the stream's retention, or a late redelivery is no longer caught. */
  readonly ttlHours: number;
  /** The event source's maximum record age (MAX_RECORD_AGE_HOURS): the claim must outlive it (claim-lifetime.ts). */
  readonly maxRecordAgeHours: number;
  readonly keyStrategy: DedupKeyStrategy;
  /** Keys the warm container's cache of delivered keys holds (delivered-keys.ts); 0 turns the cache off. */
  readonly cacheSize: number;
  /** Claims (and bookkeeping writes) in flight at once; unset = the core's default (DynamoDB requests). */
  readonly claimConcurrency?: number;
}

export type DedupStoreConfig =
  | { readonly kind: 'dynamodb'; readonly tableName: string }
  | { readonly kind: 'valkey'; readonly endpoint: ValkeyEndpoint };

/**
 * `aws`: ElastiCache Serverless (VALKEY_ENDPOINT a bare host name, as the stack sets it): cluster mode, TLS, and an
 * IAM token for VALKEY_USER signed for VALKEY_CACHE_NAME. `local`: a `redis://host:port` URL (npm start's
 * redis-server): one plain connection, no AUTH. `rediss://host:port` is TLS with the IAM token, not in cluster mode.
 */
export type ValkeyEndpoint =
  | { readonly mode: 'local'; readonly host: string; readonly port: number }
  | {
      readonly mode: 'aws' | 'tls';
      readonly host: string;
      readonly port: number;
      readonly cacheName: string;
      readonly userId: string;
    };

/** Where the checker keeps its claims: a DynamoDB table, or a Valkey (ElastiCache Serverless) cache. */
export const DEDUP_STORES = ['dynamodb', 'valkey'] as const;
export type DedupStoreName = (typeof DEDUP_STORES)[number];
/** ElastiCache Serverless' endpoint port (TLS only). */
export const VALKEY_DEFAULT_PORT = 6379;
/**
 * With Valkey every claim of a batch goes out at once: the adapter pipelines what is issued together, so a batch's
 * claims cost one round trip (DynamoDB takes one request each, hence the core's lower default there). The checker's
 * Kinesis batch size is at most this.
 */
export const VALKEY_CLAIM_CONCURRENCY = 1_000;

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

  const storeText = env.DEDUP_STORE?.trim() || 'dynamodb';
  let dedupStore: DedupStoreConfig | undefined;
  if (storeText === 'dynamodb') dedupStore = { kind: 'dynamodb', tableName: required('DEDUP_TABLE_NAME') };
  else if (storeText === 'valkey') {
    const endpoint = readValkeyEndpoint(required('VALKEY_ENDPOINT'), env, problems);
    if (endpoint) dedupStore = { kind: 'valkey', endpoint };
  } else problems.push(`DEDUP_STORE must be one of ${DEDUP_STORES.join(', ')}, received "${storeText}"`);
  const deliveryStreamName = required('DELIVERY_STREAM_NAME');

  const ttlText = env.DEDUP_TTL_HOURS?.trim();
  const ttlHours = ttlText ? Number(ttlText) : DEFAULT_TTL_HOURS;
  if (!Number.isFinite(ttlHours) || ttlHours <= 0 || ttlHours > MAX_TTL_HOURS) {
    problems.push(`DEDUP_TTL_HOURS must be a number of hours in (0, ${MAX_TTL_HOURS}], received "${ttlText}"`);
  }

  const ageText = env.MAX_RECORD_AGE_HOURS?.trim();
  const maxRecordAgeHours = ageText ? Number(ageText) : DEFAULT_MAX_RECORD_AGE_HOURS;
  if (!Number.isFinite(maxRecordAgeHours) || maxRecordAgeHours <= 0 || maxRecordAgeHours > MAX_RECORD_AGE_HOURS_LIMIT) {
    problems.push(
      `MAX_RECORD_AGE_HOURS must be a number of hours in (0, ${MAX_RECORD_AGE_HOURS_LIMIT}], received "${ageText}"`,
    );
  } else if (Number.isFinite(ttlHours) && ttlHours > 0 && !claimOutlivesRecordAge(ttlHours, maxRecordAgeHours)) {
    problems.push(
      `DEDUP_TTL_HOURS must be at least MAX_RECORD_AGE_HOURS (${maxRecordAgeHours}${ageText ? '' : ', the default'}): ` +
        `${CLAIM_LIFETIME_REASON}; received "${ttlText}"`,
    );
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

  if (problems.length > 0 || !keyStrategy || !dedupStore) {
    throw new ConfigurationError(`invalid checker configuration: ${problems.join('; ')}`);
  }
  return {
    dedupStore,
    deliveryStreamName,
    ttlHours,
    maxRecordAgeHours,
    keyStrategy,
    cacheSize,
    ...(dedupStore.kind === 'valkey' ? { claimConcurrency: VALKEY_CLAIM_CONCURRENCY } : {}),
  };
}

/** VALKEY_ENDPOINT: `redis://host:port` (local, plain), `rediss://host:port` or a bare host[:port] (AWS, TLS + IAM). */
function readValkeyEndpoint(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): ValkeyEndpoint | undefined {
  if (!text) return undefined;
  const scheme = /^([a-z]+):\/\//.exec(text)?.[1];
  if (scheme !== undefined && scheme !== 'redis' && scheme !== 'rediss') {
    problems.push(`VALKEY_ENDPOINT must be redis://host:port, rediss://host:port or a host name, received "${text}"`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(scheme === undefined ? `rediss://${text}` : text);
  } catch {
    problems.push(`VALKEY_ENDPOINT must be redis://host:port, rediss://host:port or a host name, received "${text}"`);
    return undefined;
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : VALKEY_DEFAULT_PORT;
  if (scheme === 'redis') return { mode: 'local', host, port };
  const cacheName = env.VALKEY_CACHE_NAME?.trim() ?? '';
  const userId = env.VALKEY_USER?.trim() ?? '';
  if (!cacheName) problems.push('VALKEY_CACHE_NAME is required with a TLS Valkey endpoint (the IAM token names it)');
  if (!userId) problems.push('VALKEY_USER is required with a TLS Valkey endpoint (the IAM-authenticated user)');
  if (!cacheName || !userId) return undefined;
  return { mode: scheme === undefined ? 'aws' : 'tls', host, port, cacheName, userId };
}
