/**
 * The steps of one partition's compaction, in order. The core reports each one as it completes (CompactionContext
 * onStep): the crash tests stop the job after each of them and check that the next run finishes the work with
 * nothing lost and nothing visible twice.
 */
export const COMPACTION_STEPS = [
  /** Originals downloaded, rewritten one row per fingerprint, and the outputs counted: nothing written yet. */
  'rewritten',
  /** Manifest written in state `intent`. */
  'intent-recorded',
  /** Outputs uploaded under compaction/staging/ (outside the table location). */
  'staged',
  /** Staged sizes checked, manifest in state `staged`. */
  'staged-recorded',
  /** Outputs copied into the partition: visible, next to the originals. */
  'published',
  /** Manifest in state `published`. */
  'published-recorded',
  /** Originals deleted. */
  'originals-deleted',
  /** Staged copies deleted. */
  'staging-deleted',
  /** Manifest deleted: the partition holds the outputs alone. */
  'done',
] as const;

export type CompactionStep = (typeof COMPACTION_STEPS)[number];
