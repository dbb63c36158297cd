import type { ClaimHolder } from './ports';
import { compareSequenceNumbers, parseEventId } from './sequence-number';

/**
 * What a record does about a claim another record holds (check-batch.ts step 5):
 * - `duplicate`: the holder's CTR is in Firehose (marked delivered), or the claim predates leases (written by a
 *   checker that never marked deliveries, whose claims meant "delivered" once their invocation was over), or the
 *   store could not say: drop this copy.
 * - `take-over`: the holder is certainly done and never marked its record delivered (it crashed, was given up, or its
 *   mark failed): claim the key in its place, so the CTR is not lost with the holder. At worst Firehose gets it twice.
 * - `wait`: the holder may still be delivering or failing: wait for it to mark or release, then decide again.
 */
export type HolderVerdict = 'duplicate' | 'take-over' | 'wait';

export function judgeHolder(holder: ClaimHolder | undefined, eventId: string, nowMs: number): HolderVerdict {
  if (holder === undefined || holder.delivered || holder.leaseUntil === undefined) return 'duplicate';
  if (holder.claimedBy === eventId || holder.leaseUntil < nowMs) return 'take-over';
  return isEarlierOnSameShard(holder.claimedBy, eventId) ? 'take-over' : 'wait';
}

/**
 * Whether `holder` is an earlier record of the same shard than `eventId`. Lambda hands a shard's records to one
 * invocation at a time, in order (the stack's ParallelizationFactor is 1), and moves past a record only once it
 * succeeded or was given up: so while this record is being checked, the holder's invocation is over.
 */
function isEarlierOnSameShard(holder: string, eventId: string): boolean {
  const [theirs, ours] = [parseEventId(holder), parseEventId(eventId)];
  if (theirs === undefined || ours === undefined || theirs.shardId !== ours.shardId) return false;
  return compareSequenceNumbers(theirs.sequenceNumber, ours.sequenceNumber) < 0;
}
