import { compactedRunOf } from './compaction-names';
import { locateObject, type Partition } from './partition';
import type { StoredObject } from './ports';

/** The objects of one day partition, from a listing of the table location. */
export interface PartitionListing {
  readonly partition: Partition;
  readonly objects: readonly StoredObject[];
  readonly bytes: number;
}

export interface LakeListing {
  /** By day, oldest first. */
  readonly partitions: readonly PartitionListing[];
  /** Keys under the table location that are not directly in a day partition: the job never touches them. */
  readonly foreign: readonly string[];
}

/** Groups a listing of `ctr/` by day partition. */
export function groupByPartition(objects: readonly StoredObject[]): LakeListing {
  const byDay = new Map<string, { partition: Partition; objects: StoredObject[] }>();
  const foreign: string[] = [];
  for (const object of objects) {
    const located = locateObject(object.key);
    if (!located) {
      foreign.push(object.key);
      continue;
    }
    const entry = byDay.get(located.partition.day) ?? { partition: located.partition, objects: [] };
    entry.objects.push(object);
    byDay.set(located.partition.day, entry);
  }
  const partitions = [...byDay.values()]
    .sort((a, b) => a.partition.day.localeCompare(b.partition.day))
    .map(({ partition, objects: partitionObjects }) => ({
      partition,
      objects: [...partitionObjects].sort((a, b) => a.key.localeCompare(b.key)),
      bytes: partitionObjects.reduce((sum, object) => sum + object.size, 0),
    }));
  return { partitions, foreign };
}

/**
 * A partition needs compaction when anything in it was not written by its last compaction: an object Firehose
 * delivered since (a late arrival, or a day never compacted), or compacted objects of more than one run (a run
 * interrupted after publishing, or two runs at once). A partition holding exactly the objects of one run is done;
 * so the listing itself is the marker of what changed since the last compaction, and nothing else has to be kept.
 */
export function needsCompaction(listing: PartitionListing): boolean {
  const runs = new Set<string | undefined>(listing.objects.map((object) => compactedRunOf(nameOf(object.key))));
  return runs.size > 1 || runs.has(undefined);
}

function nameOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}
