import { type KafkaSecurity, kafkajsConnection } from '@credit/kit';
import { AssignerProtocol, Kafka, type Admin as KafkajsAdmin, logLevel } from 'kafkajs';

/**
 * What lag collection asks of the cluster. Kept here rather than in @credit/kit's `Admin` because only this
 * service needs group membership and offsets by timestamp; kafkajs stays behind this one file.
 */
export interface LagAdmin {
  /** Groups using the classic consumer protocol (what kafkajs and the Java client's default create). */
  consumerGroups(): Promise<string[]>;
  describeGroups(groupIds: string[]): Promise<GroupMembership[]>;
  /** Every partition the group has committed on (offset null where the broker answers -1). */
  committedOffsets(groupId: string, topics?: string[]): Promise<CommittedOffset[]>;
  topicOffsets(topic: string): Promise<{ partition: number; low: bigint; high: bigint }[]>;
  /** Per partition, the first offset whose message timestamp is ≥ `timestamp`; the end offset when none is. */
  offsetsAtOrAfter(topic: string, timestamp: number): Promise<Map<number, bigint>>;
  disconnect(): Promise<void>;
}

export interface GroupMembership {
  groupId: string;
  /** Stable, Empty, PreparingRebalance, CompletingRebalance, Dead, or Unknown. */
  state: string;
  /** Partitions assigned to live members. */
  assigned: { topic: string; partition: number }[];
}

export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: bigint | null;
}

export async function createKafkajsLagAdmin(options: {
  brokers: string[];
  security: KafkaSecurity;
  clientId?: string;
}): Promise<LagAdmin> {
  const kafka = new Kafka({
    clientId: options.clientId ?? 'ops-monitor-lag',
    brokers: options.brokers,
    ...kafkajsConnection(options.security),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  return wrap(admin);
}

function wrap(admin: KafkajsAdmin): LagAdmin {
  return {
    consumerGroups: async () =>
      (await admin.listGroups()).groups.filter((g) => g.protocolType === 'consumer').map((g) => g.groupId),
    describeGroups: async (groupIds) => {
      if (groupIds.length === 0) return [];
      const { groups } = await admin.describeGroups(groupIds);
      return groups.map((group) => ({
        groupId: group.groupId,
        state: group.state,
        assigned: group.members.flatMap((member) => assignedPartitions(member.memberAssignment)),
      }));
    },
    committedOffsets: async (groupId, topics) =>
      (await admin.fetchOffsets({ groupId, topics })).flatMap((t) =>
        t.partitions.map((p) => ({
          topic: t.topic,
          partition: p.partition,
          offset: BigInt(p.offset) < 0n ? null : BigInt(p.offset),
        })),
      ),
    topicOffsets: async (topic) =>
      (await admin.fetchTopicOffsets(topic)).map((p) => ({
        partition: p.partition,
        low: BigInt(p.low),
        high: BigInt(p.high),
      })),
    offsetsAtOrAfter: async (topic, timestamp) =>
      new Map(
        (await admin.fetchTopicOffsetsByTimestamp(topic, timestamp)).map((p) => [
          p.partition,
          BigInt(p.offset),
        ]),
      ),
    disconnect: () => admin.disconnect(),
  };
}

function assignedPartitions(memberAssignment: Buffer): { topic: string; partition: number }[] {
  if (memberAssignment.length === 0) return [];
  const decoded = AssignerProtocol.MemberAssignment.decode(memberAssignment);
  return Object.entries(decoded?.assignment ?? {}).flatMap(([topic, partitions]) =>
    partitions.map((partition) => ({ topic, partition })),
  );
}
