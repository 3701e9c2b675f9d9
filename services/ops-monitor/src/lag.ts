import {
  type Evaluation,
  type EvaluationRules,
  evaluatePartition,
  type LagSample,
  type LagStatus,
  worstStatus,
} from './burrow.ts';
import { GroupLagCollectionFailed, GroupListingFailed } from './errors.ts';
import type { GroupMembership, LagAdmin } from './lag-admin.ts';
import { timestampAtOffset } from './message-timestamp.ts';

/**
 * Consumer lag per group and partition, in messages and in time, and a sampler that keeps a window of samples per
 * partition and rates each group with burrow.ts.
 *
 * Figures, per partition of every topic the group has committed on or has assigned to a live member:
 *  - committed: the group's committed offset (the next message it will read); null when it never committed.
 *  - end: the log-end offset (high watermark); low: the log-start offset.
 *  - lag: end − committed, as Kafka's consumer-groups command computes it (LAG column). Where the group never
 *    committed, end − low: what it would read starting from the earliest retained message (the command shows
 *    "-" there).
 *  - lagMs: how old the oldest unconsumed message is: now − the timestamp of the message at the committed offset
 *    (at the log start when retention has removed it, or when there is no commit); 0 when there is no lag. See
 *    message-timestamp.ts for how the timestamp is found. A message stamped in our future counts as 0 ms old.
 */

export interface PartitionLag {
  topic: string;
  partition: number;
  committed: bigint | null;
  low: bigint;
  end: bigint;
  lag: bigint;
  lagMs: number;
  /** A live member of the group has the partition assigned. */
  owned: boolean;
}

export interface GroupLag {
  groupId: string;
  state: string;
  partitions: PartitionLag[];
}

/**
 * Message timestamps by topic, partition and offset. The log is immutable, so a timestamp once found holds; a
 * stuck consumer needs the same one every sample.
 */
export type TimestampCache = Map<string, number | null>;

export async function collectGroupLag(
  admin: LagAdmin,
  membership: GroupMembership,
  now: number,
  timestamps: TimestampCache = new Map(),
): Promise<GroupLag> {
  const committed = await admin.committedOffsets(membership.groupId);
  const topics = [...new Set([...committed, ...membership.assigned].map((p) => p.topic))].sort();
  const owned = new Set(membership.assigned.map((p) => partitionKey(p.topic, p.partition)));
  const committedByPartition = new Map(committed.map((c) => [partitionKey(c.topic, c.partition), c.offset]));

  const partitions = (
    await Promise.all(
      topics.map(async (topic) => {
        const offsets = await admin.topicOffsets(topic);
        return Promise.all(
          offsets.map(async ({ partition, low, high }) => {
            const key = partitionKey(topic, partition);
            const offset = committedByPartition.get(key) ?? null;
            const lag = maxOf(high - (offset ?? low), 0n);
            const oldestUnconsumed = maxOf(offset ?? low, low);
            const lagMs =
              lag === 0n || oldestUnconsumed >= high
                ? 0
                : await ageOf(admin, timestamps, { topic, partition, offset: oldestUnconsumed, now });
            return { topic, partition, committed: offset, low, end: high, lag, lagMs, owned: owned.has(key) };
          }),
        );
      }),
    )
  )
    .flat()
    // As kafka-consumer-groups shows them: partitions the group committed on or owns; a topic's other partitions are
    // not the group's lag (and would read as never committed).
    .filter((p) => p.committed !== null || p.owned);
  partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return { groupId: membership.groupId, state: membership.state, partitions };
}

async function ageOf(
  admin: LagAdmin,
  timestamps: TimestampCache,
  at: { topic: string; partition: number; offset: bigint; now: number },
): Promise<number> {
  const key = timestampKey(at.topic, at.partition, at.offset);
  let timestamp = timestamps.get(key);
  if (timestamp === undefined) {
    timestamp = await timestampAtOffset(admin, at.topic, at.partition, at.offset, at.now);
    // Not found (e.g. a message stamped in the future earlier in the log) is asked again next sample, not remembered.
    if (timestamp !== null) timestamps.set(key, timestamp);
  }
  return timestamp === null ? 0 : Math.max(0, at.now - timestamp);
}

function timestampKey(topic: string, partition: number, offset: bigint): string {
  return `${partitionKey(topic, partition)}\u0000${offset}`;
}

export interface PartitionSnapshot extends PartitionLag, Evaluation {}

export interface GroupSnapshot {
  groupId: string;
  state: string;
  status: LagStatus;
  totalLag: bigint;
  maxLagMs: number;
  partitions: PartitionSnapshot[];
  /** Set when this sample of the group failed; the group is then ERR. */
  error?: { code: string; message: string };
}

export interface LagSnapshot {
  at: number;
  groups: GroupSnapshot[];
}

export interface LagSamplerOptions {
  admin: LagAdmin;
  /** The groups to watch: a list, or a filter over all consumer groups; all consumer groups when omitted. */
  groups?: readonly string[] | ((groupId: string) => boolean);
  /** Samples per partition the status is judged over (Burrow's window). */
  windowSize: number;
  /** See EvaluationRules.stopAfterMs. */
  stopAfterMs?: number;
  now?: () => number;
}

export interface LagSampler {
  /** Takes one sample of every watched group, adds it to the windows and rates the groups. */
  sample(): Promise<LagSnapshot>;
  /** The windows as they stand, oldest sample first (for inspection and tests). */
  window(groupId: string, topic: string, partition: number): readonly LagSample[];
}

export function createLagSampler(options: LagSamplerOptions): LagSampler {
  const now = options.now ?? Date.now;
  const rules: EvaluationRules = { windowSize: options.windowSize, stopAfterMs: options.stopAfterMs };
  const windows = new Map<string, LagSample[]>();
  const timestamps: TimestampCache = new Map();

  function record(groupId: string, lag: PartitionLag, at: number): LagSample[] {
    const key = `${groupId}\u0000${partitionKey(lag.topic, lag.partition)}`;
    const window = windows.get(key) ?? [];
    const previous = window.at(-1);
    const committedSince =
      previous !== undefined && previous.committed === lag.committed
        ? (previous.committedSince ?? previous.at)
        : at;
    window.push({
      at,
      committed: lag.committed,
      end: lag.end,
      low: lag.low,
      lagMs: lag.lagMs,
      owned: lag.owned,
      committedSince,
    });
    // A ring of windowSize samples: the oldest falls out as a new one comes in.
    if (window.length > options.windowSize) window.splice(0, window.length - options.windowSize);
    windows.set(key, window);
    return window;
  }

  async function sampleGroup(membership: GroupMembership, at: number): Promise<GroupSnapshot> {
    try {
      const group = await collectGroupLag(options.admin, membership, at, timestamps);
      const partitions = group.partitions.map((lag) => ({
        ...lag,
        ...evaluatePartition(record(group.groupId, lag, at), rules),
      }));
      return {
        groupId: group.groupId,
        state: group.state,
        status: worstStatus(partitions.map((p) => p.status)),
        totalLag: partitions.reduce((sum, p) => sum + p.lag, 0n),
        maxLagMs: Math.max(0, ...partitions.map((p) => p.lagMs)),
        partitions,
      };
    } catch (cause) {
      const error = GroupLagCollectionFailed.with(
        { groupId: membership.groupId },
        cause,
        membership.groupId,
        cause instanceof Error ? cause.message : String(cause),
      );
      return {
        groupId: membership.groupId,
        state: membership.state,
        status: 'ERR',
        totalLag: 0n,
        maxLagMs: 0,
        partitions: [],
        error: { code: error.code, message: error.message },
      };
    }
  }

  return {
    async sample() {
      const at = now();
      const groupIds = await watchedGroups(options.admin, options.groups);
      let memberships: GroupMembership[];
      try {
        memberships = await options.admin.describeGroups(groupIds);
      } catch (cause) {
        throw GroupListingFailed.with({}, cause, cause instanceof Error ? cause.message : String(cause));
      }
      const groups = await Promise.all(memberships.map((membership) => sampleGroup(membership, at)));
      forgetAllBut(windows, groups);
      keepOnlyTimestampsOf(timestamps, groups);
      return { at, groups };
    },
    window: (groupId, topic, partition) =>
      windows.get(`${groupId}\u0000${partitionKey(topic, partition)}`) ?? [],
  };
}

async function watchedGroups(admin: LagAdmin, groups: LagSamplerOptions['groups']): Promise<string[]> {
  if (groups !== undefined && typeof groups !== 'function') return [...groups];
  let all: string[];
  try {
    all = await admin.consumerGroups();
  } catch (cause) {
    throw GroupListingFailed.with({}, cause, cause instanceof Error ? cause.message : String(cause));
  }
  return typeof groups === 'function' ? all.filter(groups) : all;
}

/** Drops the windows of groups and partitions that are gone, so a deleted group does not linger. */
function forgetAllBut(windows: Map<string, LagSample[]>, groups: GroupSnapshot[]): void {
  const current = new Set(
    groups.flatMap((g) => g.partitions.map((p) => `${g.groupId}\u0000${partitionKey(p.topic, p.partition)}`)),
  );
  const failed = new Set(groups.filter((g) => g.error).map((g) => g.groupId));
  for (const key of windows.keys()) {
    const groupId = key.split('\u0000')[0] ?? '';
    if (!current.has(key) && !failed.has(groupId)) windows.delete(key);
  }
}

function keepOnlyTimestampsOf(timestamps: TimestampCache, groups: GroupSnapshot[]): void {
  const inUse = new Set(
    groups.flatMap((g) =>
      g.partitions.map((p) => timestampKey(p.topic, p.partition, maxOf(p.committed ?? p.low, p.low))),
    ),
  );
  for (const key of timestamps.keys()) if (!inUse.has(key)) timestamps.delete(key);
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

function maxOf(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
