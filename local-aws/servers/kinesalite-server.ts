import kinesalite from 'kinesalite';
import { listenOnLoopback, type LocalServer } from './local-server';

export interface KinesaliteServerOptions {
  /** Directory for kinesalite's LevelDB files. @default in memory */
  readonly path?: string;
}

/** Starts kinesalite (a Kinesis Data Streams emulator) in this process on a free loopback port. */
export function startKinesalite(options: KinesaliteServerOptions = {}): Promise<LocalServer> {
  const server = kinesalite({
    ...(options.path ? { path: options.path } : {}),
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 0,
    shardLimit: 100,
  });
  return listenOnLoopback('kinesalite', server);
}
