import type { Partition } from './partition';
import { LAKE_DATA_PREFIX } from '../shared/row-schema';

/**
 * Names the compaction job gives to what it writes. Compacted objects live in their day partition under a name that
 * says which run wrote them; everything in progress (manifests, staged objects) lives under `compaction/`, outside
 * the Glue table's location (`ctr/`), where Athena never looks.
 */
export const COMPACTION_PREFIX = 'compaction/';
export const MANIFEST_PREFIX = `${COMPACTION_PREFIX}manifests/`;
export const STAGING_PREFIX = `${COMPACTION_PREFIX}staging/`;
const MANIFEST_NAME = 'manifest.json';

/** A run: the UTC second it started and 8 random hex digits, e.g. `20260306T030000Z-1a2b3c4d`. */
const RUN_ID = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;
const COMPACTED = /^compacted-(\d{8}T\d{6}Z-[0-9a-f]{8})-(\d+)(\.[a-z.]+)$/;

export function newRunId(now: Date, randomHex8: string): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  const id = `${stamp}-${randomHex8}`;
  if (!RUN_ID.test(id)) throw new RangeError(`not a run id: ${id} (random part must be 8 hex digits)`);
  return id;
}

/** `compacted-<runId>-<index><extension>`, the name of a compacted object in its partition. */
export function compactedName(runId: string, index: number, extension: string): string {
  return `compacted-${runId}-${index}${extension}`;
}

/** The run that wrote a compacted object, or undefined for any other name (a Firehose object). */
export function compactedRunOf(name: string): string | undefined {
  return COMPACTED.exec(name)?.[1];
}

/** `year=YYYY/month=MM/day=DD/`: the partition's path below the table location. */
function partitionPath(partition: Partition): string {
  return partition.prefix.slice(LAKE_DATA_PREFIX.length);
}

/** `compaction/manifests/year=YYYY/month=MM/day=DD/manifest.json`: at most one compaction in flight per partition. */
export function manifestKey(partition: Partition): string {
  return `${MANIFEST_PREFIX}${partitionPath(partition)}${MANIFEST_NAME}`;
}

/** `compaction/staging/year=YYYY/month=MM/day=DD/<runId>-`: where one run stages a partition's outputs. */
export function stagingPrefix(partition: Partition, runId: string): string {
  return `${STAGING_PREFIX}${partitionPath(partition)}${runId}-`;
}

/** `compaction/staging/year=YYYY/month=MM/day=DD/<runId>-<index><extension>` */
export function stagingKey(partition: Partition, runId: string, index: number, extension: string): string {
  return `${stagingPrefix(partition, runId)}${index}${extension}`;
}

/** True for a key `manifestKey` makes. */
export function isManifestKey(key: string): boolean {
  return key.startsWith(MANIFEST_PREFIX) && key.endsWith(`/${MANIFEST_NAME}`);
}
