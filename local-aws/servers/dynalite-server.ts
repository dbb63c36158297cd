import dynalite from 'dynalite';
import { listenOnLoopback, type LocalServer } from './local-server';

export interface DynaliteServerOptions {
  /** Directory for dynalite's LevelDB files, so dedup state survives a restart. @default in memory */
  readonly path?: string;
}

/** Starts dynalite (a DynamoDB emulator) in this process on a free loopback port. */
export function startDynalite(options: DynaliteServerOptions = {}): Promise<LocalServer> {
  const server = dynalite({
    ...(options.path ? { path: options.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  return listenOnLoopback('dynalite', server);
}
