import { COMPACTION_PREFIX } from '../../../lambda/compaction/compaction-names';
import { COMPACTION_STEPS, type CompactionStep } from '../../../lambda/compaction/steps';
import type { Ctr } from '../../../lambda/shared/ctr';
import type { LakeFormat } from '../../../lambda/shared/lake-format';
import { compactLocalLake } from '../../../local-aws/lake/compact-local-lake';
import { DirectoryObjectStore } from '../../../local-aws/lake/directory-object-store';
import { LakeQueryRunner } from '../../../local-aws/query/lake-query-runner';
import { aCtrOn, temporaryDir, visibleCopies, writeObjects } from '../../support/lake-fixture';
import { nextVersion } from '../../../rigs/synthetic/ctr-builder';

/**
 * The compaction job on a real local lake: objects written like Firehose writes them, the same DuckDB engine the
 * Lambda runs, and the lake read back through the project's own `ctr` table and `ctr_latest` view (DuckDB as Athena).
 */
let work: { dir: string; remove: () => Promise<void> };

beforeEach(async () => {
  work = await temporaryDir('lake-compaction');
});
afterEach(async () => {
  await work.remove();
});

/** Two days; duplicates within an object, across objects, and two versions of one contact. */
async function seedLake(format: LakeFormat): Promise<Ctr[]> {
  const a = aCtrOn('2026-03-04');
  const b = aCtrOn('2026-03-04');
  const b2 = nextVersion(b as never, { secondsLater: 600, attributes: { note: 'later' } }) as unknown as Ctr;
  const c = aCtrOn('2026-03-05');
  await writeObjects(work.dir, format, [
    { day: '2026-03-04', ctrs: [a, b, a] },
    { day: '2026-03-04', ctrs: [b2, b] },
    { day: '2026-03-05', ctrs: [c] },
    { day: '2026-03-05', ctrs: [c] },
  ]);
  return [a, b, b2, c];
}

async function latest(): Promise<Record<string, unknown>[]> {
  const runner = await LakeQueryRunner.open({ lakeDir: work.dir });
  try {
    const { rows } = await runner.query('SELECT contact_id, fingerprint FROM ctr_latest ORDER BY contact_id');
    return [...rows];
  } finally {
    runner.close();
  }
}

describe('compaction of a local lake', () => {
  it.each(['parquet', 'json'] as const)(
    'leaves each partition one object with each fingerprint once, and ctr_latest unchanged (%s)',
    async (format) => {
      // Arrange
      await seedLake(format);
      const before = await visibleCopies(work.dir);
      const latestBefore = await latest();

      // Act
      const summary = await compactLocalLake({ lakeDir: work.dir, format });

      // Assert
      expect(summary.totals).toMatchObject({ partitions: 2, objectsBefore: 4, objectsAfter: 2, rows: 4 });
      expect(summary.totals.duplicatesRemoved).toBe(3);
      expect(await visibleCopies(work.dir)).toEqual(new Map([...before.keys()].map((f) => [f, 1])));
      expect(await latest()).toEqual(latestBefore);
      expect(await new DirectoryObjectStore(work.dir).list(COMPACTION_PREFIX)).toEqual([]);
    },
  );

  it.each(COMPACTION_STEPS.map((step) => [step]))(
    'a crash after "%s" loses nothing the table showed, and the next run leaves each fingerprint once',
    async (crashAfter: CompactionStep) => {
      // Arrange
      await seedLake('parquet');
      const before = await visibleCopies(work.dir);
      let dead = false;
      const onStep = (step: CompactionStep): void => {
        if (step === crashAfter) dead = true;
        if (dead) throw new Error(`crash after ${step}`);
      };

      // Act
      await compactLocalLake({ lakeDir: work.dir, format: 'parquet', onStep });
      const afterCrash = await visibleCopies(work.dir);
      const next = await compactLocalLake({ lakeDir: work.dir, format: 'parquet' });

      // Assert: nothing lost at the crash; exact after the next run; nothing in progress left.
      expect([...afterCrash.keys()].sort()).toEqual([...before.keys()].sort());
      expect(next.failed).toEqual([]);
      expect(await visibleCopies(work.dir)).toEqual(new Map([...before.keys()].map((f) => [f, 1])));
      expect(await new DirectoryObjectStore(work.dir).list(COMPACTION_PREFIX)).toEqual([]);
    },
  );
});
