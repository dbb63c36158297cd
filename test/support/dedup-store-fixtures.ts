import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import Redis from 'ioredis';
import { DynamoDbDedupStore } from '../../lambda/checker/adapters/dynamodb-dedup-store';
import { expiryMs, ValkeyDedupStore, VALKEY_KEY_PREFIX } from '../../lambda/checker/adapters/valkey-dedup-store';
import type { DedupStore } from '../../lambda/checker/ports';
import { dedupTableDefinition } from '../../local-aws/pipeline/dedup-table';
import { LOCAL_CLIENT_CONFIG, startDynalite, startDynamoDbLocal, type LocalServer } from '../../local-aws/servers';
import { findRedisServer, startRedisServer, type RedisServer } from '../../local-aws/servers/redis-server';
import { describeIfInstalled } from './debian-package';

/** A claim as a store holds it, field for field (DynamoDB item attributes, or the Valkey hash's fields). */
export interface StoredClaimFields {
  readonly claimedBy: string;
  readonly claimedAt: string;
  readonly expiresAt: number;
  readonly leaseUntil?: number;
  readonly deliveredAt?: string;
}

/**
 * One dedup store on a real local server, for the shared contract suite: every test of the DedupStore contract runs
 * against each of these, so the DynamoDB and the Valkey adapter are held to the same behaviour.
 */
export interface DedupStoreFixture {
  readonly name: string;
  /** `describe`, or `describe.skip` with one printed line naming the Debian package that is missing. */
  readonly describe: jest.Describe;
  /** Starts the server (beforeAll). */
  start(): Promise<void>;
  /** A store on fresh, empty state (beforeEach). */
  fresh(): Promise<DedupStore>;
  /** Another store on the same state, as another container's. */
  another(): DedupStore;
  /** Writes a claim directly, as an earlier protocol or another writer left it. */
  putClaim(key: string, claim: StoredClaimFields): Promise<void>;
  /** The claim the store holds for a key, read directly (expired = absent where the store expires natively). */
  getClaim(key: string): Promise<StoredClaimFields | undefined>;
  stop(): Promise<void>;
}

/** The DynamoDB adapter on dynalite or DynamoDB Local: a new table per `fresh()`. */
export function dynamoDbFixture(name: string, startServer: () => Promise<LocalServer>): DedupStoreFixture {
  let server: LocalServer | undefined;
  let client: DynamoDBClient | undefined;
  let table = '';
  let tables = 0;
  const ddb = (): DynamoDBClient => {
    if (!client) throw new Error(`${name} is not started`);
    return client;
  };
  return {
    name,
    describe,
    start: async () => {
      server = await startServer();
      client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: server.endpoint });
    },
    fresh: async () => {
      table = `ctr-dedup-contract-${++tables}`;
      await ddb().send(new CreateTableCommand(dedupTableDefinition(table)));
      return new DynamoDbDedupStore(table, ddb());
    },
    another: () => new DynamoDbDedupStore(table, ddb()),
    putClaim: async (key, claim) => {
      const item: Record<string, AttributeValue> = {
        fingerprint: { S: key },
        claimedBy: { S: claim.claimedBy },
        claimedAt: { S: claim.claimedAt },
        expiresAt: { N: String(claim.expiresAt) },
      };
      if (claim.leaseUntil !== undefined) item.leaseUntil = { N: String(claim.leaseUntil) };
      if (claim.deliveredAt !== undefined) item.deliveredAt = { S: claim.deliveredAt };
      await ddb().send(new PutItemCommand({ TableName: table, Item: item }));
    },
    getClaim: async (key) => {
      const { Item } = await ddb().send(
        new GetItemCommand({ TableName: table, Key: { fingerprint: { S: key } }, ConsistentRead: true }),
      );
      if (Item?.claimedBy?.S === undefined) return undefined;
      const expiresAt = Number(Item.expiresAt?.N ?? 0);
      // DynamoDB's TTL deletes lazily: an expired item is still there, but counts as absent.
      if (expiresAt < Math.floor(Date.now() / 1000)) return undefined;
      return claimFields({
        claimedBy: Item.claimedBy.S,
        claimedAt: Item.claimedAt?.S,
        expiresAt: Item.expiresAt?.N,
        leaseUntil: Item.leaseUntil?.N,
        deliveredAt: Item.deliveredAt?.S,
      });
    },
    stop: async () => {
      client?.destroy();
      await server?.stop();
    },
  };
}

/** The Valkey adapter on Debian's redis-server (or valkey-server), auto-pipelining ioredis client: FLUSHALL per `fresh()`. */
export function valkeyFixture(): DedupStoreFixture {
  let server: RedisServer | undefined;
  let client: Redis | undefined;
  const redis = (): Redis => {
    if (!client) throw new Error('redis-server is not started');
    return client;
  };
  return {
    name: 'redis-server',
    describe: describeIfInstalled('redis-server', findRedisServer() !== undefined),
    start: async () => {
      server = await startRedisServer();
      client = new Redis(server.port, '127.0.0.1', { enableAutoPipelining: true, lazyConnect: true });
      await client.connect();
    },
    fresh: async () => {
      await redis().flushall();
      return new ValkeyDedupStore(redis());
    },
    another: () => new ValkeyDedupStore(redis()),
    putClaim: async (key, claim) => {
      const fields: Record<string, string> = {
        claimedBy: claim.claimedBy,
        claimedAt: claim.claimedAt,
        expiresAt: String(claim.expiresAt),
      };
      if (claim.leaseUntil !== undefined) fields.leaseUntil = String(claim.leaseUntil);
      if (claim.deliveredAt !== undefined) fields.deliveredAt = claim.deliveredAt;
      await redis()
        .multi()
        .del(VALKEY_KEY_PREFIX + key)
        .hset(VALKEY_KEY_PREFIX + key, fields)
        .pexpireat(VALKEY_KEY_PREFIX + key, expiryMs(claim.expiresAt))
        .exec();
    },
    getClaim: async (key) => {
      const hash = await redis().hgetall(VALKEY_KEY_PREFIX + key);
      return hash.claimedBy === undefined ? undefined : claimFields(hash);
    },
    stop: async () => {
      client?.disconnect();
      await server?.stop();
    },
  };
}

/** Every store the contract suite runs on. */
export function dedupStoreFixtures(): DedupStoreFixture[] {
  return [
    dynamoDbFixture('dynalite', () => startDynalite()),
    dynamoDbFixture('DynamoDB Local', () => startDynamoDbLocal()),
    valkeyFixture(),
  ];
}

function claimFields(raw: Record<string, string | undefined>): StoredClaimFields {
  return {
    claimedBy: raw.claimedBy ?? '',
    claimedAt: raw.claimedAt ?? '',
    expiresAt: Number(raw.expiresAt ?? 0),
    ...(raw.leaseUntil === undefined ? {} : { leaseUntil: Number(raw.leaseUntil) }),
    ...(raw.deliveredAt === undefined ? {} : { deliveredAt: raw.deliveredAt }),
  };
}
