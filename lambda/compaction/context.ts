import type { LakeFormat } from '../shared/lake-format';
import type { ObjectStore, RewriteEngine } from './ports';
import type { CompactionStep } from './steps';

/** What the compaction core works with: the store, the engine, and its settings. */
export interface CompactionContext {
  readonly store: ObjectStore;
  readonly engine: RewriteEngine;
  readonly format: LakeFormat;
  /** A local directory for the downloaded originals and the outputs (in Lambda, under /tmp). */
  readonly workDir: string;
  /** Upper bound of one compacted object; a partition larger than this is split into objects of at least half. */
  readonly targetObjectBytes: number;
  /** Downloads, uploads and copies in flight at once. */
  readonly transferConcurrency: number;
  readonly now: () => Date;
  /** 8 random hex digits, for run ids. */
  readonly randomHex8: () => string;
  /** Called after each step of a partition's compaction (steps.ts); a rejection stops the run there. */
  readonly onStep?: (step: CompactionStep, day: string) => void | Promise<void>;
}

/** 256 MiB: see docs/CONTRACTS.md "Compaction" for why. */
export const DEFAULT_TARGET_OBJECT_BYTES = 256 * 1024 * 1024;
export const DEFAULT_TRANSFER_CONCURRENCY = 16;
