import {
  KinesisClient,
  PutRecordsCommand,
  type PutRecordsCommandInput,
  type PutRecordsResultEntry,
} from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { KinesisRecordPublisher } from '../../../../lambda/emulator/adapters/kinesis-publisher';
import { contentFingerprint } from '../../../../lambda/shared/fingerprint';
import { listSources, type CtrSource } from '../../../../local-aws/ctr-sources/read-ctrs';
import { loadCheckpoint, type Checkpoint } from '../../../../commands/backfill/checkpoint';
import { LakeFingerprints, lakeDayOf, type LakeDay } from '../../../../commands/backfill/lake-fingerprints';
import { runBackfill, type BackfillOptions, type BackfillTarget } from '../../../../commands/backfill/run-backfill';
import { loadRealCtrs, writeSource, type RealCtr } from '../../../support/real-ctrs';

const kinesis = mockClient(KinesisClient);
const client = new KinesisClient({ region: 'eu-west-1' });
const instant = { sleep: async () => undefined, random: () => 0.5 };

/** Accepts every entry except those whose ContactId `refuse` names, and keeps what it accepted, in order. */
function stream(refuse: (contactId: string) => boolean = () => false): { accepted: string[]; requests: number[] } {
  const seen = { accepted: [] as string[], requests: [] as number[] };
  let n = 0;
  kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => {
    const records = input.Records ?? [];
    seen.requests.push(records.length);
    const results = records.map((record): PutRecordsResultEntry => {
      if (refuse(record.PartitionKey!)) {
        return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' };
      }
      seen.accepted.push(record.PartitionKey!);
      return { SequenceNumber: String(++n), ShardId: 'shardId-000000000000' };
    });
    return { FailedRecordCount: results.filter((r) => r.ErrorCode).length, Records: results };
  });
  return seen;
}

/** A lake holding `held` CTRs, answering day queries from them, and counting the queries. */
function lakeHolding(held: readonly RealCtr[]): { lake: LakeFingerprints; days: string[] } {
  const days: string[] = [];
  const lake = new LakeFingerprints(async (sql: string, day: LakeDay) => {
    days.push(`${day.year}-${day.month}-${day.day}`);
    const fingerprints = held
      .filter((ctr) => JSON.stringify(lakeDayOf(ctr)) === JSON.stringify(day))
      .map((ctr) => contentFingerprint(ctr));
    expect(sql).toBe(
      `SELECT DISTINCT fingerprint FROM ctr WHERE year = '${day.year}' AND month = '${day.month}' AND day = '${day.day}'`,
    );
    return { fingerprints, bytesScanned: 1000 };
  }, 'ctr');
  return { lake, days };
}

function target(lake: LakeFingerprints, overrides: Partial<BackfillTarget> = {}): BackfillTarget {
  return {
    id: 'stack ctr-lake stream s',
    publisher: new KinesisRecordPublisher(client, 's'),
    lake,
    settleEvery: 0,
    settle: async () => undefined,
    ...overrides,
  };
}

describe('runBackfill', () => {
  const ctrs = loadRealCtrs();
  let dir: string;
  let sources: CtrSource[];
  beforeEach(async () => {
    kinesis.reset();
    dir = await mkdtemp(join(tmpdir(), 'backfill-'));
    // Two sources in two layouts: JSON Lines gzipped, and objects back to back.
    await writeSource(
      dir,
      'a.jsonl.gz',
      gzipSync(
        ctrs
          .slice(0, 5)
          .map((c) => `${JSON.stringify(c)}\n`)
          .join(''),
      ),
    );
    await writeSource(
      dir,
      'b',
      Buffer.from(
        ctrs
          .slice(5)
          .map((c) => JSON.stringify(c))
          .join(''),
      ),
    );
    sources = await listSources([dir]);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const options = (overrides: Partial<BackfillOptions> = {}): BackfillOptions => ({
    sources,
    target: target(lakeHolding([]).lake),
    sendOptions: instant,
    ...overrides,
  });

  it('sends every CTR of every source once, in order, through PutRecords', async () => {
    // Arrange
    const seen = stream();

    // Act
    const summary = await runBackfill(options());

    // Assert
    expect(seen.accepted).toEqual(ctrs.map((c) => c.ContactId));
    expect(summary).toMatchObject({ read: ctrs.length, sent: ctrs.length, skippedInLake: 0, failed: 0, malformed: [] });
    expect(summary.bytes).toBe(sources.reduce((sum, s) => sum + s.size!, 0));
  });

  it('skips the CTRs the lake holds, with one query per UTC day of the sources', async () => {
    // Arrange
    const seen = stream();
    const { lake, days } = lakeHolding(ctrs.slice(0, 3));

    // Act
    const summary = await runBackfill(options({ target: target(lake) }));

    // Assert
    expect(seen.accepted).toEqual(ctrs.slice(3).map((c) => c.ContactId));
    expect(summary).toMatchObject({ read: ctrs.length, sent: ctrs.length - 3, skippedInLake: 3 });
    const expectedDays = new Set(ctrs.map((c) => c.InitiationTimestamp.slice(0, 10)));
    expect(days.sort()).toEqual([...expectedDays].sort());
    expect(summary.lakeCheck).toEqual({
      queries: expectedDays.size,
      bytesScanned: 1000 * expectedDays.size,
      fingerprints: 3,
    });
  });

  it('sends a CTR with no lake day unchecked, for the checker to quarantine', async () => {
    // Arrange
    const seen = stream();
    const bad = { ...ctrs[0]!, ContactId: 'no-day', InitiationTimestamp: 'yesterday' };
    sources = await listSources([await writeSource(dir, 'bad.json', Buffer.from(JSON.stringify([bad])))]);
    const { lake, days } = lakeHolding([]);

    // Act
    const summary = await runBackfill(options({ target: target(lake) }));

    // Assert
    expect(seen.accepted).toEqual(['no-day']);
    expect(days).toEqual([]);
    expect(summary.sent).toBe(1);
  });

  it('reports records Kinesis could not take, and malformed pieces, with their source and position', async () => {
    // Arrange
    const seen = stream();
    const text = `${JSON.stringify(ctrs[0])}\n{"no": "ContactId"}\n{"ContactId": "cut", "x":\n${JSON.stringify(ctrs[1])}\n`;
    const file = await writeSource(dir, 'mixed.jsonl', Buffer.from(text));
    sources = await listSources([file]);

    // Act
    const summary = await runBackfill(options());

    // Assert
    expect(seen.accepted).toEqual([ctrs[0]!.ContactId, ctrs[1]!.ContactId]);
    expect(summary.malformed).toEqual([
      {
        source: file,
        position: { byte: JSON.stringify(ctrs[0]).length + 1, line: 2 },
        reason: 'expected a string ContactId, received no ContactId',
      },
      expect.objectContaining({ source: file, position: expect.objectContaining({ line: 3 }) }),
    ]);
  });

  it('reports entries the stream refused after every retry, and keeps them in the checkpoint for a rerun', async () => {
    // Arrange
    const refused = ctrs[6]!.ContactId;
    stream((id) => id === refused);
    const checkpointPath = join(dir, 'state', 'checkpoint.json');

    // Act
    const first = await runBackfill(options({ checkpointPath }));
    const saved = await loadCheckpoint(checkpointPath, 'stack ctr-lake stream s');
    kinesis.reset();
    const seen = stream();
    const second = await runBackfill(options({ checkpointPath, checkpoint: saved! }));

    // Assert
    expect(first).toMatchObject({ sent: ctrs.length - 1, failed: 1, checkpoint: checkpointPath });
    expect(first.failures).toEqual([
      {
        source: join(dir, 'b'),
        position: { byte: JSON.stringify(ctrs[5]).length, line: 1 },
        contactId: refused,
        errorCode: 'ProvisionedThroughputExceededException',
        errorMessage: 'Rate exceeded',
      },
    ]);
    expect(saved!.sources[join(dir, 'b')]).toEqual({ next: ctrs.length - 5, retry: [1] });
    expect(seen.accepted).toEqual([refused]);
    expect(second).toMatchObject({ read: 1, sent: 1, resumed: ctrs.length - 1, checkpoint: null });
    await expect(readFile(checkpointPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stops after the request in flight when interrupted, and a rerun sends only what was not acknowledged', async () => {
    // Arrange: interrupted once 4 records were read; the checkpoint is written after every request.
    const seen = stream();
    const checkpointPath = join(dir, 'checkpoint.json');
    const controller = new AbortController();

    // Act
    const first = await runBackfill(
      options({
        checkpointPath,
        signal: controller.signal,
        onProgress: (p) => p.read === 4 && controller.abort(),
      }),
    );
    const checkpoint = (await loadCheckpoint(checkpointPath, 'stack ctr-lake stream s')) as Checkpoint;
    const second = await runBackfill(options({ checkpointPath, checkpoint }));

    // Assert
    expect(first).toMatchObject({ read: 4, sent: 4, interrupted: true, checkpoint: checkpointPath });
    expect(second).toMatchObject({ read: ctrs.length - 4, sent: ctrs.length - 4, resumed: 4, interrupted: false });
    expect(seen.accepted).toEqual(ctrs.map((c) => c.ContactId)); // each once, in order, across both runs
  });

  it('after a crash, resends what the stream acknowledged after the last checkpoint, and nothing before it', async () => {
    // Arrange: the process dies while settling the second request, after Kinesis acknowledged its records. Requests
    // end with each source here (a.jsonl.gz: 5 records, b: the rest), and a checkpoint follows each request.
    const seen = stream();
    const checkpointPath = join(dir, 'checkpoint.json');
    let settles = 0;
    const crashing = target(lakeHolding([]).lake, {
      settle: async () => {
        settles += 1;
        if (settles === 2) throw new Error('killed');
      },
    });

    // Act
    const crashed = await runBackfill(options({ checkpointPath, target: crashing })).catch((error: Error) => error);
    const checkpoint = await loadCheckpoint(checkpointPath, 'stack ctr-lake stream s');
    const again = await runBackfill(options({ checkpointPath, checkpoint: checkpoint! }));

    // Assert: b's records were acknowledged but not checkpointed, so they go out again (the checker drops the copies
    // as stored duplicates); a's were checkpointed and are not sent again.
    expect(crashed).toEqual(new Error('killed'));
    const [a, b] = [ctrs.slice(0, 5), ctrs.slice(5)].map((part) => part.map((c) => c.ContactId));
    expect(seen.accepted).toEqual([...a!, ...b!, ...b!]);
    expect(again).toMatchObject({ resumed: 5, read: b!.length, sent: b!.length, checkpoint: null });
  });

  it('paces requests to the rate', async () => {
    // Arrange: 9 records in two requests (one per source) at 2 records/s.
    stream();
    let now = 0;
    const slept: number[] = [];
    const sleep = async (ms: number): Promise<void> => {
      slept.push(ms);
      now += ms;
    };

    // Act
    await runBackfill(options({ rate: { recordsPerSecond: 2 }, clock: () => now, sendOptions: { ...instant, sleep } }));

    // Assert: the second request waits for the first one's 5 records at 2/s.
    expect(slept).toEqual([2500]);
  });
});

describe('runBackfill request sizes', () => {
  let dir: string;
  beforeEach(async () => {
    kinesis.reset();
    dir = await mkdtemp(join(tmpdir(), 'backfill-sizes-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('puts at most 500 records and 5 MiB in a request', async () => {
    // Arrange: 1,201 small records, then 12 records of about 1 MiB of data each.
    const seen = stream();
    const base = loadRealCtrs()[0]!;
    const small = Array.from({ length: 1201 }, (_, i) => ({ ...base, ContactId: `small-${i}` }));
    const large = Array.from({ length: 12 }, (_, i) => ({
      ...base,
      ContactId: `large-${i}`,
      Pad: 'x'.repeat(1_000_000),
    }));
    await writeSource(dir, '1-small.jsonl', Buffer.from(small.map((c) => `${JSON.stringify(c)}\n`).join('')));
    await writeSource(dir, '2-large.jsonl', Buffer.from(large.map((c) => `${JSON.stringify(c)}\n`).join('')));

    // Act
    const summary = await runBackfill({
      sources: await listSources([dir]),
      target: target(lakeHolding([]).lake),
      sendOptions: instant,
    });

    // Assert
    expect(summary.sent).toBe(1213);
    expect(seen.requests).toEqual([500, 500, 201, 5, 5, 2]);
  });
});
