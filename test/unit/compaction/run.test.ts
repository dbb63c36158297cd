import { COMPACTION_PREFIX, manifestKey } from '../../../lambda/compaction/compaction-names';
import type { CompactionContext } from '../../../lambda/compaction/context';
import { encodeManifest, type Manifest } from '../../../lambda/compaction/manifest';
import { partitionOfDay } from '../../../lambda/compaction/partition';
import { runCompaction, type CompactionRunOptions } from '../../../lambda/compaction/run';
import { COMPACTION_STEPS, type CompactionStep } from '../../../lambda/compaction/steps';
import { FakeRewriteEngine, toyFile, type ToyRow } from '../../support/fake-rewrite-engine';
import { temporaryDir } from '../../support/lake-fixture';
import { MemoryObjectStore, MUTATIONS } from '../../support/memory-object-store';

const OPTIONS: CompactionRunOptions = { maxPartitionBytes: 1_000_000 };
let work: { dir: string; remove: () => Promise<void> };

beforeEach(async () => {
  work = await temporaryDir('compaction-run');
});
afterEach(async () => {
  await work.remove();
});

function setup(overrides: Partial<CompactionContext> = {}): {
  store: MemoryObjectStore;
  engine: FakeRewriteEngine;
  context: CompactionContext;
} {
  const store = new MemoryObjectStore();
  const engine = new FakeRewriteEngine();
  let ids = 0;
  const context: CompactionContext = {
    store,
    engine,
    format: 'parquet',
    workDir: work.dir,
    targetObjectBytes: 1_000_000,
    transferConcurrency: 4,
    now: () => new Date('2026-03-06T03:00:00Z'),
    randomHex8: () => (ids++).toString(16).padStart(8, '0'),
    ...overrides,
  };
  return { store, engine, context };
}

let flush = 0;
/** Puts a Firehose-named object holding these rows into a day partition; returns its key. */
function firehoseObject(store: MemoryObjectStore, day: string, rows: readonly ToyRow[]): string {
  flush += 1;
  const key = `${partitionOfDay(day).prefix}ctr-lake-1-${day}-10-00-00-${String(flush).padStart(4, '0')}.parquet`;
  store.objects.set(key, toyFile(rows));
  return key;
}

const rows = (...fingerprints: (string | null)[]): ToyRow[] => fingerprints.map((fingerprint) => ({ fingerprint }));

/** Rows per fingerprint over the objects of the table location: what a query would see. */
function visible(store: MemoryObjectStore): Map<string, number> {
  const copies = new Map<string, number>();
  for (const key of store.keys('ctr/')) {
    for (const line of store.objects.get(key)!.toString('utf8').split('\n')) {
      if (line.length === 0) continue;
      const { fingerprint } = JSON.parse(line) as ToyRow;
      copies.set(String(fingerprint), (copies.get(String(fingerprint)) ?? 0) + 1);
    }
  }
  return copies;
}

describe('runCompaction', () => {
  it('rewrites each partition into one object with one row per fingerprint and leaves nothing in progress', async () => {
    // Arrange
    const { store, context } = setup();
    const originals = [
      firehoseObject(store, '2026-03-04', rows('a', 'b')),
      firehoseObject(store, '2026-03-04', rows('a', 'c')),
      firehoseObject(store, '2026-03-05', rows('d', 'd')),
    ];

    // Act
    const summary = await runCompaction(context, OPTIONS);

    // Assert
    expect(summary.failed).toEqual([]);
    expect(summary.compacted.map((o) => [o.day, o.objectsBefore, o.objectsAfter, o.rowsBefore, o.rows])).toEqual([
      ['2026-03-04', 2, 1, 4, 3],
      ['2026-03-05', 1, 1, 2, 1],
    ]);
    expect(summary.totals).toMatchObject({ partitions: 2, objectsBefore: 3, objectsAfter: 2, duplicatesRemoved: 2 });
    expect(store.keys('ctr/')).toEqual([
      'ctr/year=2026/month=03/day=04/compacted-20260306T030000Z-00000000-0.parquet',
      'ctr/year=2026/month=03/day=05/compacted-20260306T030000Z-00000001-0.parquet',
    ]);
    expect(originals.some((key) => store.objects.has(key))).toBe(false);
    expect(store.keys(COMPACTION_PREFIX)).toEqual([]);
    expect(visible(store)).toEqual(
      new Map([
        ['a', 1],
        ['b', 1],
        ['c', 1],
        ['d', 1],
      ]),
    );
  });

  it('leaves a compacted partition alone and compacts it again once a late arrival lands in it', async () => {
    // Arrange
    const { store, engine, context } = setup();
    firehoseObject(store, '2026-03-04', rows('a', 'b'));
    await runCompaction(context, OPTIONS);

    // Act
    const quiet = await runCompaction(context, OPTIONS);
    firehoseObject(store, '2026-03-04', rows('b', 'c'));
    const late = await runCompaction(context, OPTIONS);

    // Assert
    expect(quiet.compacted).toEqual([]);
    expect(quiet.alreadyCompacted).toBe(1);
    expect(engine.rewrites).toBe(2);
    expect(late.compacted).toEqual([expect.objectContaining({ objectsBefore: 2, objectsAfter: 1, rows: 3 })]);
    expect(store.keys('ctr/')).toEqual(['ctr/year=2026/month=03/day=04/compacted-20260306T030000Z-00000001-0.parquet']);
    expect(visible(store)).toEqual(
      new Map([
        ['a', 1],
        ['b', 1],
        ['c', 1],
      ]),
    );
  });

  it('compacts only the days in range and before the `before` day', async () => {
    // Arrange
    const { store, context } = setup();
    for (const day of ['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06']) firehoseObject(store, day, rows(day));

    // Act
    const summary = await runCompaction(context, { ...OPTIONS, from: '2026-03-04', before: '2026-03-06' });

    // Assert
    expect(summary.compacted.map((o) => o.day)).toEqual(['2026-03-04', '2026-03-05']);
    expect(store.keys('ctr/year=2026/month=03/day=03/')[0]).toMatch(/ctr-lake-1-/);
    expect(store.keys('ctr/year=2026/month=03/day=06/')[0]).toMatch(/ctr-lake-1-/);
  });

  it('splits a partition larger than the target into objects that share no fingerprint', async () => {
    // Arrange
    const { store, context } = setup({ targetObjectBytes: 40 });
    firehoseObject(store, '2026-03-04', rows('a', 'b', 'c', 'a'));
    firehoseObject(store, '2026-03-04', rows('d', 'e', 'b'));

    // Act
    const summary = await runCompaction(context, OPTIONS);

    // Assert
    const outputs = store.keys('ctr/');
    expect(summary.compacted[0]).toMatchObject({ objectsBefore: 2, rows: 5, duplicatesRemoved: 2 });
    expect(outputs.length).toBeGreaterThan(1);
    expect(outputs.every((key) => /compacted-20260306T030000Z-00000000-\d\.parquet$/.test(key))).toBe(true);
    expect(visible(store)).toEqual(new Map(['a', 'b', 'c', 'd', 'e'].map((f) => [f, 1])));
  });

  it.each(['drop-row', 'duplicate-row', 'invent-row'] as const)(
    'publishes nothing when the rewrite is wrong (%s) and still compacts the other partitions',
    async (sabotage) => {
      // Arrange
      const { store, engine, context } = setup();
      const bad = firehoseObject(store, '2026-03-04', rows('a', 'b', 'a'));
      engine.sabotage = sabotage;
      let first = true;
      const original = engine.rewrite.bind(engine);
      engine.rewrite = async (...args) => {
        await original(...args);
        if (first) engine.sabotage = 'none';
        first = false;
      };
      firehoseObject(store, '2026-03-05', rows('c', 'c'));

      // Act
      const summary = await runCompaction(context, OPTIONS);

      // Assert
      expect(summary.failed).toEqual([expect.objectContaining({ day: '2026-03-04', code: 'VERIFICATION_FAILED' })]);
      expect(summary.compacted.map((o) => o.day)).toEqual(['2026-03-05']);
      expect(store.keys('ctr/year=2026/month=03/day=04/')).toEqual([bad]);
      expect(store.keys(COMPACTION_PREFIX)).toEqual([]);
    },
  );

  it('leaves a partition with rows without fingerprint as it is', async () => {
    // Arrange
    const { store, context } = setup();
    const key = firehoseObject(store, '2026-03-04', rows('a', null, null));

    // Act
    const summary = await runCompaction(context, OPTIONS);

    // Assert
    expect(summary.failed).toEqual([expect.objectContaining({ code: 'MISSING_FINGERPRINT' })]);
    expect(store.keys('ctr/')).toEqual([key]);
  });

  it('skips a partition with archived objects and refuses one larger than the job can rewrite, reading neither', async () => {
    // Arrange
    const { store, context } = setup();
    store.archivedKeys.add(firehoseObject(store, '2026-03-04', rows('a')));
    firehoseObject(store, '2026-03-05', rows('b'.repeat(200)));

    // Act
    const summary = await runCompaction(context, { maxPartitionBytes: 100 });

    // Assert
    expect(summary.archived).toEqual(['2026-03-04']);
    expect(summary.failed).toEqual([expect.objectContaining({ day: '2026-03-05', code: 'PARTITION_TOO_LARGE' })]);
    expect(store.calls.filter((call) => call.operation === 'download')).toEqual([]);
  });

  it('defers the partition the time budget does not allow, and every later one, to the next run', async () => {
    // Arrange
    const { store, context } = setup();
    for (const day of ['2026-03-03', '2026-03-04', '2026-03-05']) firehoseObject(store, day, rows(day));
    let starts = 0;

    // Act
    const summary = await runCompaction(context, { ...OPTIONS, mayStart: () => starts++ < 1 });

    // Assert
    expect(summary.compacted.map((o) => o.day)).toEqual(['2026-03-03']);
    expect(summary.deferred).toEqual(['2026-03-04', '2026-03-05']);
  });

  it('never touches keys outside a day partition', async () => {
    // Arrange
    const { store, context } = setup();
    store.objects.set('ctr/notes.txt', Buffer.from('x'));
    store.objects.set('ctr/year=2026/month=03/day=04/sub/x.parquet', toyFile(rows('a')));

    // Act
    const summary = await runCompaction(context, OPTIONS);

    // Assert
    expect(summary.foreign).toEqual(['ctr/notes.txt', 'ctr/year=2026/month=03/day=04/sub/x.parquet']);
    expect(store.keys('ctr/')).toHaveLength(2);
  });
});

describe('runCompaction after an interrupted run', () => {
  const partition = partitionOfDay('2026-03-04');

  function manifest(state: Manifest['state'], original: string, staged: string, body: Buffer): Manifest {
    return {
      version: 1,
      runId: '20260305T030000Z-0000000a',
      day: partition.day,
      state,
      originals: [{ key: original, size: 10 }],
      outputs: [
        {
          stagingKey: staged,
          key: `${partition.prefix}compacted-20260305T030000Z-0000000a-0.parquet`,
          size: body.length,
          rows: 2,
        },
      ],
      rowsBefore: 3,
      duplicatesRemoved: 1,
    };
  }

  it.each([
    ['intent', 'discarded', 1],
    ['staged', 'finished', 0],
    ['published', 'finished', 0],
  ] as const)('a manifest in state %s is %s first', async (state, action, recompactions) => {
    // Arrange
    const { store, engine, context } = setup();
    const original = firehoseObject(store, partition.day, rows('a', 'b', 'a'));
    const body = toyFile(rows('a', 'b'));
    const staged = `${COMPACTION_PREFIX}staging/year=2026/month=03/day=04/20260305T030000Z-0000000a-0.parquet`;
    store.objects.set(staged, body);
    const recorded = manifest(state, original, staged, body);
    if (state === 'published') store.objects.set(recorded.outputs[0]!.key, body);
    store.objects.set(manifestKey(partition), encodeManifest(recorded));

    // Act
    const summary = await runCompaction(context, OPTIONS);

    // Assert
    expect(summary.recovered).toEqual([expect.objectContaining({ day: partition.day, state, action })]);
    expect(engine.rewrites).toBe(recompactions);
    expect(store.keys(COMPACTION_PREFIX)).toEqual([]);
    expect(store.keys('ctr/')).toHaveLength(1);
    expect(visible(store)).toEqual(
      new Map([
        ['a', 1],
        ['b', 1],
      ]),
    );
  });

  it('discards a staged compaction whose staged copy went missing, and compacts the partition afresh', async () => {
    // Arrange
    const { store, context } = setup();
    const original = firehoseObject(store, partition.day, rows('a', 'b', 'a'));
    const recorded = manifest('staged', original, `${COMPACTION_PREFIX}staging/gone.parquet`, toyFile(rows('a')));
    store.objects.set(manifestKey(partition), encodeManifest(recorded));

    // Act
    const summary = await runCompaction(context, OPTIONS);

    // Assert
    expect(summary.recovered).toEqual([expect.objectContaining({ action: 'discarded', reason: expect.any(String) })]);
    expect(summary.compacted).toHaveLength(1);
    expect(visible(store)).toEqual(
      new Map([
        ['a', 1],
        ['b', 1],
      ]),
    );
  });

  it('leaves the partition of an unreadable manifest untouched and reports it', async () => {
    // Arrange
    const { store, context } = setup();
    const original = firehoseObject(store, partition.day, rows('a', 'a'));
    store.objects.set(manifestKey(partition), Buffer.from('{ not json'));

    // Act
    const summary = await runCompaction(context, OPTIONS);

    // Assert
    expect(summary.failed).toEqual([expect.objectContaining({ day: partition.day, code: 'MANIFEST_INVALID' })]);
    expect(store.keys('ctr/')).toEqual([original]);
  });
});

describe('crashes between the steps of a compaction', () => {
  class Crash extends Error {}

  /** Two partitions with duplicates across and within objects, and what the table shows before compaction. */
  function seed(store: MemoryObjectStore): Map<string, number> {
    firehoseObject(store, '2026-03-04', rows('a', 'b', 'a'));
    firehoseObject(store, '2026-03-04', rows('b', 'c'));
    firehoseObject(store, '2026-03-05', rows('d'));
    firehoseObject(store, '2026-03-05', rows('d', 'e'));
    return visible(store);
  }

  function expectNothingLost(before: Map<string, number>, after: Map<string, number>): void {
    for (const fingerprint of before.keys()) expect(after.get(fingerprint) ?? 0).toBeGreaterThanOrEqual(1);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  }

  it.each(COMPACTION_STEPS.map((step) => [step]))(
    'after "%s" the table loses nothing, and the next run leaves every fingerprint exactly once',
    async (crashAfter: CompactionStep) => {
      // Arrange: the process dies right after the step: it does nothing more, in any partition.
      const { store, context } = setup();
      const before = seed(store);
      let dead = false;
      const crashing: CompactionContext = {
        ...context,
        onStep: (step) => {
          if (step === crashAfter) dead = true;
          if (dead) throw new Crash(`crashed after ${step}`);
        },
      };
      store.failWhen = () => (dead ? new Crash('dead process') : undefined);

      // Act
      await runCompaction(crashing, OPTIONS);
      const afterCrash = visible(store);
      store.failWhen = () => undefined;
      const next = await runCompaction(context, OPTIONS);

      // Assert
      expectNothingLost(before, afterCrash);
      expect(next.failed).toEqual([]);
      expect(visible(store)).toEqual(new Map([...before.keys()].map((f) => [f, 1])));
      expect(store.keys(COMPACTION_PREFIX)).toEqual([]);
      expect(store.keys('ctr/')).toHaveLength(2);
    },
  );

  it('at every single write to the store, the same holds', async () => {
    // Arrange: count the writes of an undisturbed run.
    const probe = setup();
    seed(probe.store);
    await runCompaction(probe.context, OPTIONS);
    const writes = probe.store.calls.filter((call) => MUTATIONS.includes(call.operation)).length;

    for (let crashAt = 1; crashAt <= writes; crashAt++) {
      const { store, context } = setup();
      const before = seed(store);
      let seen = 0;
      store.failWhen = (operation) => {
        if (MUTATIONS.includes(operation)) seen += 1;
        return seen >= crashAt ? new Crash(`write ${crashAt}`) : undefined;
      };

      // Act
      await runCompaction(context, OPTIONS);
      const afterCrash = visible(store);
      store.failWhen = () => undefined;
      const next = await runCompaction(context, OPTIONS);

      // Assert
      expectNothingLost(before, afterCrash);
      expect({ crashAt, failed: next.failed }).toEqual({ crashAt, failed: [] });
      expect(visible(store)).toEqual(new Map([...before.keys()].map((f) => [f, 1])));
      expect(store.keys(COMPACTION_PREFIX)).toEqual([]);
    }
    expect(writes).toBeGreaterThan(10);
  });
});
