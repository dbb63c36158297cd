import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDir } from '../lake/lake-writer';

/** The local servers the dedup claims can live in: two DynamoDB stand-ins, or redis-server for the Valkey store. */
export type DedupBackend = 'dynalite' | 'dynamodb-local' | 'valkey';

/** Where each backend keeps the dedup table beside the lake, and what to call it in a message. */
const BACKENDS: Readonly<Record<DedupBackend, { readonly dir: string; readonly name: string; readonly flag: string }>> =
  {
    dynalite: { dir: 'dynamodb', name: 'dynalite', flag: 'without --dynamodb-local' },
    'dynamodb-local': { dir: 'dynamodb-local', name: 'DynamoDB Local', flag: 'with --dynamodb-local' },
    valkey: { dir: 'valkey', name: 'redis-server', flag: 'with --dedup-store valkey' },
  };

/** A lake whose dedup state the run cannot use, with what to do about it. */
export class LakeStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LakeStateError';
  }
}

/**
 * The directory of the lake's dedup state for a backend. The servers keep incompatible files, so a lake's dedup
 * state lives in one of them: a run on another would start from an empty store and deliver every CTR the lake
 * already holds again. Such a run is refused (LakeStateError, one line) before any server starts.
 */
export async function dedupStateDir(lakeDir: string, backend: DedupBackend): Promise<string> {
  for (const other of Object.keys(BACKENDS) as DedupBackend[]) {
    if (other === backend) continue;
    const { dir, name, flag } = BACKENDS[other];
    if (await holdsFiles(join(stateDir(lakeDir), dir))) {
      throw new LakeStateError(
        `the lake ${lakeDir} keeps its dedup state in ${name} (.state/${dir}): run ${flag} as before, or use ` +
          `another --lake (a fresh dedup store in ${BACKENDS[backend].name} would deliver its CTRs again)`,
      );
    }
  }
  return join(stateDir(lakeDir), BACKENDS[backend].dir);
}

async function holdsFiles(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
