import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface DuckDb {
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
  close(): void;
}

export interface DuckDbOptions {
  /**
   * Where DuckDB spills what does not fit in memory. Its default (`.tmp` in the working directory) is read-only in a
   * Lambda function (/var/task), so anything that may spill names a directory under /tmp.
   * @default DuckDB's default
   */
  readonly tempDirectory?: string;
  /** DuckDB's memory limit, e.g. `1200MB`. @default 80% of the machine's memory (DuckDB's default) */
  readonly memoryLimit?: string;
  /** Worker threads. @default the CPUs DuckDB sees */
  readonly threads?: number;
}

/**
 * An in-memory DuckDB that never downloads anything: the JSON and Parquet readers (and ICU) are built into the
 * bundled binary, and extension auto-install/auto-load is switched off so a query can never reach the network.
 * The session time zone is UTC, as Athena's is.
 */
export async function openDuckDb(options: DuckDbOptions = {}): Promise<DuckDb> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    ...(options.tempDirectory !== undefined ? { temp_directory: options.tempDirectory } : {}),
    ...(options.memoryLimit !== undefined ? { memory_limit: options.memoryLimit } : {}),
    ...(options.threads !== undefined ? { threads: String(options.threads) } : {}),
  });
  const connection = await instance.connect();
  // Athena's session zone: a TIMESTAMP WITH TIME ZONE turned into text or a plain TIMESTAMP reads as UTC, not as the
  // zone of the machine the local run happens on. (An ICU setting: DuckDB refuses it before the first connection.)
  await connection.run(`SET TimeZone = 'UTC'`);
  return {
    instance,
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
