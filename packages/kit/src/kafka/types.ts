/**
 * The platform's view of a message broker. Services depend on these interfaces only; `kafkajs.ts` implements
 * them, and another client (e.g. a librdkafka binding) can be swapped in behind them without touching services.
 */

export type Headers = Record<string, string | Buffer>;

export interface OutgoingMessage {
  key: string | Buffer | null;
  value: Buffer | string | null;
  headers?: Headers;
  /** Milliseconds since the epoch; the broker's time when omitted. */
  timestamp?: number;
  partition?: number;
}

/** Where one message landed. */
export interface Delivery {
  topic: string;
  partition: number;
  offset: string;
}

export interface Producer {
  /**
   * Resolves once every in-sync replica has the messages (acks=all), with each message's position, in the order
   * of `messages`.
   */
  send(topic: string, messages: OutgoingMessage[]): Promise<Delivery[]>;
  disconnect(): Promise<void>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | undefined>;
  /** Milliseconds since the epoch (producer or broker time, per the topic's config). */
  timestamp: number;
}

export interface Batch {
  topic: string;
  partition: number;
  messages: IncomingMessage[];
  highWatermark: string;
}

export interface BatchContext {
  /** Keep the group membership alive during long batches. */
  heartbeat(): Promise<void>;
  isRunning(): boolean;
  isStale(): boolean;
}

/**
 * Handles one batch of one partition. The consumer commits `last offset + 1` only after the returned promise
 * resolves, so the handler must make its effect durable before returning. A rejection is retried with backoff
 * (the batch is redelivered): handlers throw only for failures that can succeed on retry.
 */
export type BatchHandler = (batch: Batch, context: BatchContext) => Promise<void>;

export interface ConsumerOptions {
  groupId: string;
  topics: (string | RegExp)[];
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  maxBytesPerPartition?: number;
  /** How often topic metadata is refreshed, so a new topic matching a pattern is picked up. */
  metadataMaxAgeMs?: number;
  /** Batches of different partitions handled at once (default 1); handlers must then tolerate concurrency. */
  partitionsConsumedConcurrently?: number;
  /** Longest wait for a fetch to fill before a batch is handed over (default 5000 ms in kafkajs). */
  maxWaitTimeMs?: number;
}

export interface Consumer {
  run(handler: BatchHandler): Promise<void>;
  pause(topics: string[]): void;
  resume(topics: string[]): void;
  disconnect(): Promise<void>;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor?: number;
  configs?: Record<string, string>;
}

export interface EnsureTopicsResult {
  created: string[];
  existing: string[];
  /** Existing topics whose partition count differs from the spec (never changed automatically). */
  mismatched: { name: string; expected: number; actual: number }[];
}

export interface PartitionOffsets {
  partition: number;
  low: string;
  high: string;
}

/** One allow rule, in Kafka's own terms (what `kafka-acls --list` prints). */
export interface AclBinding {
  /** `User:<name>`. */
  principal: string;
  resourceType: 'TOPIC' | 'GROUP' | 'CLUSTER';
  patternType: 'LITERAL' | 'PREFIXED';
  resourceName: string;
  operation:
    | 'READ'
    | 'WRITE'
    | 'DESCRIBE'
    | 'CREATE'
    | 'DELETE'
    | 'ALTER'
    | 'DESCRIBE_CONFIGS'
    | 'ALTER_CONFIGS'
    | 'CLUSTER_ACTION'
    | 'IDEMPOTENT_WRITE'
    | 'ALL';
  host: string;
  permission: 'ALLOW' | 'DENY';
}

export interface Admin {
  ensureTopics(specs: TopicSpec[]): Promise<EnsureTopicsResult>;
  /** Sets these configs on existing topics (others keep theirs). */
  alterTopicConfigs(topics: { name: string; configs: Record<string, string> }[]): Promise<void>;
  /** Every ACL the broker holds (needs the right to describe ACLs: the admin). */
  acls(): Promise<AclBinding[]>;
  createAcls(acls: AclBinding[]): Promise<void>;
  deleteAcls(acls: AclBinding[]): Promise<void>;
  listTopics(): Promise<string[]>;
  deleteTopics(names: string[]): Promise<void>;
  topicOffsets(topic: string): Promise<PartitionOffsets[]>;
  groupOffsets(
    groupId: string,
    topics: string[],
  ): Promise<{ topic: string; partition: number; offset: string }[]>;
  deleteGroups(groupIds: string[]): Promise<void>;
  /** Sets a group's committed offsets (the group must have no running member): where its consumer starts. */
  setGroupOffsets(
    groupId: string,
    topic: string,
    offsets: { partition: number; offset: string }[],
  ): Promise<void>;
  /** Deletes every message before these offsets, as retention would (the partitions' low watermark moves). */
  deleteRecordsBefore(topic: string, offsets: { partition: number; offset: string }[]): Promise<void>;
  /** Throws when the cluster does not answer. */
  ping(): Promise<{ brokers: number; controller: number | null }>;
  disconnect(): Promise<void>;
}

export interface ProducerOptions {
  idempotent?: boolean;
  /**
   * A send not acknowledged within this many ms rejects with KAFKA_UNAVAILABLE (for callers answering a client);
   * without it, a send waits for the client's retries to run out. The abandoned send may still be written later.
   */
  sendTimeoutMs?: number;
}

export interface MessageBus {
  producer(options?: ProducerOptions): Promise<Producer>;
  consumer(options: ConsumerOptions): Promise<Consumer>;
  admin(): Promise<Admin>;
}
