import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface DuckDb {
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
  close(): void;
}

/**
 * An in-memory DuckDB that never downloads anything: the JSON and Parquet readers (and ICU) are built into the
 * bundled binary, and extension auto-install/auto-load is switched off so a query can never reach the network.
 * The session time zone is UTC, as Athena's is.
 */
export async function openDuckDb(): Promise<DuckDb> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
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
