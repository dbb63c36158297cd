import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT, runCli } from '../../commands/start/run-start';
import type { PipelineSummary } from '../../local-aws/pipeline/pipeline-options';
import { findRedisServer, REDIS_INSTALL_HINT } from '../../local-aws/servers/redis-server';
import { describeIfInstalled } from '../support/debian-package';
import { temporaryLakes } from '../support/lake-fixture';

/** The public seed: three versions of one contact, each twice. Read from ../shared, never copied. */
const SEED = resolve(__dirname, '..', '..', '..', 'shared', 'seed', 'duplicated_samples.json');
const SEED_FINGERPRINT_PREFIXES = ['886176cd', 'eaa1aa06', 'ef7d9f7e'];

type Summary = PipelineSummary & { lakeRemoved: boolean };

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** Each lake has its own pseudonym key, so pseudonyms differ between two lakes; everything else must not. */
function withoutPseudonyms(queries: PipelineSummary['queries']): unknown {
  return JSON.parse(JSON.stringify(queries), (_key, value: unknown) =>
    typeof value === 'string' ? value.replace(/hmac:[0-9a-f]{64}/g, 'hmac:…') : value,
  );
}

describe('npm start -- --dedup-store valkey', () => {
  const { fresh: freshLake, removeAll } = temporaryLakes('ctr-lake-valkey');

  afterAll(removeAll);

  describeIfInstalled('redis-server', findRedisServer() !== undefined)('on a local redis-server', () => {
    it('lands the same lake as the default store from the reference samples, and adds nothing when run again', async () => {
      // Arrange
      const [valkeyLake, defaultLake] = [await freshLake(), await freshLake()];

      // Act
      const runOnValkey = () =>
        run('--json', '--no-report', '--samples', SEED, '--lake', valkeyLake, '--dedup-store', 'valkey');
      const valkey = await runOnValkey();
      const dynamodb = await run('--json', '--no-report', '--samples', SEED, '--lake', defaultLake);
      const again = await runOnValkey();

      // Assert
      expect([valkey.code, dynamodb.code, again.code]).toEqual([EXIT.ok, EXIT.ok, EXIT.ok]);
      const [first, reference, second] = [valkey, dynamodb, again].map(({ stdout }) => JSON.parse(stdout) as Summary);
      expect(first).toMatchObject({ in: 6, inBatchDuplicates: 3, storedDuplicates: 0, delivered: 3, rows: 3 });
      // Three versions of one contact: ctr_latest keeps the latest, one of the seed's published fingerprints.
      const latest = first!.queries.ctr_latest!.map((row) => String(row.fingerprint).slice(0, 8));
      expect(latest).toHaveLength(1);
      expect(SEED_FINGERPRINT_PREFIXES).toContain(latest[0]);
      expect(withoutPseudonyms(first!.queries)).toEqual(withoutPseudonyms(reference!.queries));
      expect(first!.details.dedupTtlEnabled).toBe(true);
      // The claims live in the lake's .state/valkey (redis-server's append-only file), so a rerun delivers nothing.
      expect(existsSync(join(valkeyLake, '.state', 'valkey'))).toBe(true);
      expect(second).toMatchObject({ in: 6, storedDuplicates: 3, delivered: 0, rows: 3 });
    });

    it('refuses a lake whose dedup state is in dynalite, in one line', async () => {
      // Arrange
      const lake = await freshLake();
      expect((await run('--no-report', '--lake', lake)).code).toBe(EXIT.ok);

      // Act
      const { code, stdout, stderr } = await run('--no-report', '--lake', lake, '--dedup-store', 'valkey');

      // Assert
      expect(code).toBe(EXIT.failed);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^error: the lake .* keeps its dedup state in dynalite \(\.state\/dynamodb\)/m);
      expect(existsSync(join(lake, '.state', 'valkey'))).toBe(false);
    });
  });

  it('says in one line how to install redis-server when it is not on the PATH', async () => {
    // Arrange: a PATH with no server program on it
    const path = process.env.PATH;
    process.env.PATH = await freshLake();

    // Act
    let result;
    try {
      result = await run('--no-report', '--dedup-store', 'valkey');
    } finally {
      process.env.PATH = path;
    }

    // Assert
    expect(result.code).toBe(EXIT.failed);
    expect(result.stdout).toBe('');
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('error:'));
    expect(errors).toEqual([`error: ${REDIS_INSTALL_HINT}`]);
  });
});
