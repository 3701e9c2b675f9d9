import type { LagAdmin } from './lag-admin.ts';

/**
 * The timestamp of the message at an offset, found with the admin API alone: kafkajs has no consumer that can be
 * pointed at one partition and offset without joining a group, and a group join per sample would take seconds
 * and leave a throwaway group on the cluster.
 *
 * The broker answers "first offset whose timestamp is ≥ t" (ListOffsets by timestamp; the end offset when there
 * is none). That offset is ≤ `offset` exactly when some message at or before `offset` has a timestamp ≥ t, so
 * the largest such t is the highest timestamp up to `offset` — the message's own timestamp whenever timestamps
 * rise with offsets (broker time, or producers stamping "now"). It is found by stepping back from `now` in
 * doubling steps, then bisecting to the millisecond: about 2·log2(age in ms) requests, each for one timestamp.
 *
 * `offset` must hold a message (low ≤ offset < end). Returns null when the message is stamped after `now` (a
 * producer clock ahead of ours).
 */
export async function timestampAtOffset(
  admin: LagAdmin,
  topic: string,
  partition: number,
  offset: bigint,
  now: number,
): Promise<number | null> {
  const reachesOffset = async (timestamp: number): Promise<boolean> => {
    const first = (await admin.offsetsAtOrAfter(topic, timestamp)).get(partition);
    return first !== undefined && first <= offset;
  };
  if (await reachesOffset(now + 1)) return null;

  let notReached = now + 1;
  let step = 1_000;
  let reached = now - step;
  while (reached > 0 && !(await reachesOffset(reached))) {
    notReached = reached;
    step *= 2;
    reached = Math.max(0, now - step);
  }
  // Invariant: reachesOffset(reached) && !reachesOffset(notReached).
  while (notReached - reached > 1) {
    const middle = Math.floor((reached + notReached) / 2);
    if (await reachesOffset(middle)) reached = middle;
    else notReached = middle;
  }
  return reached;
}
