import type { CompactionCostInputs } from '../../lib/cost/cost-model';

/** Compaction cost inputs of round figures: a 90 s run at 2 GB over a day of 1,500 Firehose objects. */
export const COMPACTION_COST_INPUTS: CompactionCostInputs = {
  msPerDay: 90_000,
  memoryMb: 2048,
  runsPerDay: 4,
  idleRunMs: 2000,
  noncurrentVersionDays: 30,
  objectsPerDay: 1500,
  listedObjects: 1095,
};
