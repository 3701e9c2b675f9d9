import net from 'node:net';
import tls, { type ConnectionOptions } from 'node:tls';
import kafkajs, {
  CompressionTypes,
  type IHeaders,
  type ISocketFactory,
  Kafka,
  type Admin as KafkajsAdmin,
  logLevel as KafkaLogLevel,
  type LogEntry,
  type Message,
  Partitioners,
  type SASLOptions,
} from 'kafkajs';
import type { Logger } from 'pino';
import { KafkaUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../unavailable.ts';
import { handleUntilDone } from './retry-batch.ts';
import { type KafkaSecurity, principalOf } from './security.ts';
import type {
  AclBinding,
  Admin,
  Batch,
  Consumer,
  ConsumerOptions,
  Delivery,
  EnsureTopicsResult,
  MessageBus,
  OutgoingMessage,
  Producer,
  TopicSpec,
} from './types.ts';

// Not among the names Node finds in kafkajs' CommonJS exports, so taken from its default export.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ConfigResourceTypes, ResourcePatternTypes } =
  kafkajs;

export interface KafkajsBusOptions {
  brokers: string[];
  clientId: string;
  /** TLS and the credentials of the principal the client acts as; the brokers refuse anonymous clients. */
  security: KafkaSecurity;
  logger: Logger;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Retries of a failed request (default 8, with backoff); 0 for probes that must answer fast. */
  retries?: number;
  /**
   * Where to open the connection to a broker the cluster names (its advertised address): a tunnel, or a test's proxy
   * it can cut. TLS is still checked against the broker's own name. Default: that address.
   */
  connectTo?: (broker: BrokerAddress) => BrokerAddress;
}

export interface BrokerAddress {
  host: string;
  port: number;
}

/** kafkajs' TLS and SASL settings for `security` (also for the few places that use kafkajs directly). */
export function kafkajsConnection(security: KafkaSecurity): { ssl: ConnectionOptions; sasl?: SASLOptions } {
  const ssl: ConnectionOptions = {};
  if (security.ca !== undefined) ssl.ca = [security.ca];
  if (security.certificate) Object.assign(ssl, security.certificate);
  return security.sasl ? { ssl, sasl: { ...security.sasl } } : { ssl };
}

export function createKafkajsBus(options: KafkajsBusOptions): MessageBus {
  const log = options.logger.child({ component: 'kafka', principal: principalOf(options.security) });
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...kafkajsConnection(options.security),
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    logLevel: KafkaLogLevel.WARN,
    logCreator: () => (entry: LogEntry) => forwardLog(log, entry),
    retry: { initialRetryTime: 200, retries: options.retries ?? 8 },
    ...(options.connectTo ? { socketFactory: routedSockets(options.connectTo) } : {}),
  });

  return {
    async producer({ idempotent = true, sendTimeoutMs } = {}) {
      // kafkajs reports one base offset per partition; remembering which partition the (Java-compatible) default
      // partitioner picked for each message gives every message its own offset.
      const assigned = new WeakMap<Message, number>();
      const producer = kafka.producer({
        idempotent,
        maxInFlightRequests: idempotent ? 5 : undefined,
        createPartitioner: () => {
          const choose = Partitioners.DefaultPartitioner();
          return (args) => {
            const partition = choose(args);
            assigned.set(args.message, partition);
            return partition;
          };
        },
      });
      await producer.connect();
      return {
        async send(topic: string, messages: OutgoingMessage[]): Promise<Delivery[]> {
          const outgoing: Message[] = messages.map((message) => ({
            key: message.key,
            value: message.value,
            headers: message.headers as IHeaders | undefined,
            timestamp: message.timestamp === undefined ? undefined : String(message.timestamp),
            partition: message.partition,
          }));
          const sending = producer.send({
            topic,
            acks: -1,
            compression: CompressionTypes.None,
            messages: outgoing,
          });
          const metadata = sendTimeoutMs === undefined ? await sending : await within(sending, sendTimeoutMs);
          return positionsOf(topic, outgoing, metadata, assigned);
        },
        disconnect: () => producer.disconnect(),
      } satisfies Producer;
    },

    async consumer(consumerOptions: ConsumerOptions): Promise<Consumer> {
      const consumer = kafka.consumer({
        groupId: consumerOptions.groupId,
        sessionTimeout: consumerOptions.sessionTimeoutMs ?? 30_000,
        rebalanceTimeout: consumerOptions.rebalanceTimeoutMs ?? 60_000,
        maxBytesPerPartition: consumerOptions.maxBytesPerPartition ?? 1_048_576,
        metadataMaxAge: consumerOptions.metadataMaxAgeMs ?? 30_000,
        maxWaitTimeInMs: consumerOptions.maxWaitTimeMs ?? 5_000,
      });
      await consumer.connect();
      await consumer.subscribe({
        topics: consumerOptions.topics,
        fromBeginning: consumerOptions.fromBeginning ?? false,
      });
      const stopping = new AbortController();
      return {
        run: (handler) =>
          consumer.run({
            autoCommit: false,
            partitionsConsumedConcurrently: consumerOptions.partitionsConsumedConcurrently ?? 1,
            eachBatchAutoResolve: false,
            eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
              if (batch.isEmpty()) return;
              const ours: Batch = {
                topic: batch.topic,
                partition: batch.partition,
                highWatermark: batch.highWatermark,
                messages: batch.messages.map((m) => ({
                  topic: batch.topic,
                  partition: batch.partition,
                  offset: m.offset,
                  key: m.key ?? null,
                  value: m.value ?? null,
                  headers: toBufferHeaders(m.headers),
                  timestamp: Number(m.timestamp),
                })),
              };
              const done = await handleUntilDone(
                handler,
                ours,
                { heartbeat, isRunning, isStale },
                { logger: log.child({ groupId: consumerOptions.groupId }), signal: stopping.signal },
              );
              if (!done) return;
              const last = batch.lastOffset();
              resolveOffset(last);
              // Committed only now: the handler has made its effect durable.
              await consumer.commitOffsets([
                { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
              ]);
            },
          }),
        pause: (topics) => consumer.pause(topics.map((topic) => ({ topic }))),
        resume: (topics) => consumer.resume(topics.map((topic) => ({ topic }))),
        disconnect: () => {
          stopping.abort();
          return consumer.disconnect();
        },
      };
    },

    async admin(): Promise<Admin> {
      const admin = kafka.admin();
      await admin.connect();
      return {
        ensureTopics: (specs) => ensureTopics(admin, specs),
        alterTopicConfigs: async (topics) => {
          if (topics.length === 0) return;
          await admin.alterConfigs({
            validateOnly: false,
            resources: topics.map((topic) => ({
              type: ConfigResourceTypes.TOPIC,
              name: topic.name,
              configEntries: Object.entries(topic.configs).map(([name, value]) => ({ name, value })),
            })),
          });
        },
        acls: async () => {
          const { resources } = await admin.describeAcls({
            resourceType: AclResourceTypes.ANY,
            resourcePatternType: ResourcePatternTypes.ANY,
            operation: AclOperationTypes.ANY,
            permissionType: AclPermissionTypes.ANY,
          });
          return resources.flatMap((resource) =>
            resource.acls.map(
              (acl): AclBinding => ({
                principal: acl.principal,
                resourceType: nameOf(AclResourceTypes, resource.resourceType) as AclBinding['resourceType'],
                patternType: nameOf(
                  ResourcePatternTypes,
                  resource.resourcePatternType,
                ) as AclBinding['patternType'],
                resourceName: resource.resourceName,
                operation: nameOf(AclOperationTypes, acl.operation) as AclBinding['operation'],
                host: acl.host,
                permission: nameOf(AclPermissionTypes, acl.permissionType) as AclBinding['permission'],
              }),
            ),
          );
        },
        createAcls: async (acls) => {
          if (acls.length > 0) await admin.createAcls({ acl: acls.map(toKafkajsAcl) });
        },
        deleteAcls: async (acls) => {
          if (acls.length > 0) await admin.deleteAcls({ filters: acls.map(toKafkajsAcl) });
        },
        listTopics: () => admin.listTopics(),
        deleteTopics: (topics) => admin.deleteTopics({ topics }),
        topicOffsets: async (topic) =>
          (await admin.fetchTopicOffsets(topic)).map((p) => ({
            partition: p.partition,
            low: p.low,
            high: p.high,
          })),
        groupOffsets: async (groupId, topics) =>
          (await admin.fetchOffsets({ groupId, topics })).flatMap((t) =>
            t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: p.offset })),
          ),
        deleteGroups: async (groupIds) => void (await admin.deleteGroups(groupIds)),
        setGroupOffsets: (groupId, topic, offsets) =>
          admin.setOffsets({ groupId, topic, partitions: offsets }),
        deleteRecordsBefore: (topic, offsets) => admin.deleteTopicRecords({ topic, partitions: offsets }),
        ping: async () => {
          const cluster = await admin.describeCluster();
          return { brokers: cluster.brokers.length, controller: cluster.controller };
        },
        disconnect: () => admin.disconnect(),
      };
    },
  };
}

/**
 * The broker's acknowledgement, or KAFKA_UNAVAILABLE after `ms`: kafkajs retries a send for a long time (each
 * request up to its timeout, with backoff) and a caller answering a client cannot wait that long. The abandoned send
 * may still be written later; the caller treats the messages as not sent, and consumers drop the copy a resend makes.
 */
function within<T>(sending: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          KafkaUnavailable.with(
            { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS },
            undefined,
            `no acknowledgement within ${ms} ms`,
            String(UNAVAILABLE_RETRY_AFTER_SECONDS),
          ),
        ),
      ms,
    );
  });
  sending.catch(() => {}); // given up at the deadline, its own failure has no one left to tell
  return Promise.race([sending, deadline]).finally(() => clearTimeout(timer));
}

/** kafkajs' own socket factory, opening each connection where `connectTo` says. */
function routedSockets(connectTo: (broker: BrokerAddress) => BrokerAddress): ISocketFactory {
  return ({ host, port, ssl, onConnect }) => {
    const to = connectTo({ host, port });
    const socket = ssl
      ? tls.connect(
          {
            host: to.host,
            port: to.port,
            ...(net.isIP(host) ? {} : { servername: host }),
            ...(typeof ssl === 'object' ? ssl : {}),
            checkServerIdentity: (_name, certificate) => tls.checkServerIdentity(host, certificate),
          },
          onConnect,
        )
      : net.connect({ host: to.host, port: to.port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    return socket;
  };
}

function nameOf(values: object, value: number): string {
  return Object.entries(values).find(([, v]) => v === value)?.[0] ?? 'UNKNOWN';
}

function toKafkajsAcl(acl: AclBinding) {
  return {
    resourceType: AclResourceTypes[acl.resourceType],
    resourceName: acl.resourceName,
    resourcePatternType: ResourcePatternTypes[acl.patternType],
    principal: acl.principal,
    host: acl.host,
    operation: AclOperationTypes[acl.operation],
    permissionType: AclPermissionTypes[acl.permission],
  };
}

async function ensureTopics(admin: KafkajsAdmin, specs: TopicSpec[]): Promise<EnsureTopicsResult> {
  const existingNames = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existingNames.has(spec.name));
  const present = specs.filter((spec) => existingNames.has(spec.name));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor: spec.replicationFactor ?? 1,
        configEntries: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
    await untilLeadersKnown(
      admin,
      missing.map((spec) => spec.name),
    );
  }
  const mismatched: EnsureTopicsResult['mismatched'] = [];
  if (present.length > 0) {
    const metadata = await admin.fetchTopicMetadata({ topics: present.map((spec) => spec.name) });
    for (const topic of metadata.topics) {
      const expected = present.find((spec) => spec.name === topic.name)?.partitions ?? 0;
      if (topic.partitions.length !== expected) {
        mismatched.push({ name: topic.name, expected, actual: topic.partitions.length });
      }
    }
  }
  return { created: missing.map((s) => s.name), existing: present.map((s) => s.name), mismatched };
}

/**
 * A topic just created can still be unknown to the broker's metadata for a moment (a loaded machine showed
 * "This server does not host this topic-partition" to the first produce or offset query after createTopics):
 * metadata is asked again until every partition has a leader, for up to 30 s.
 */
async function untilLeadersKnown(admin: KafkajsAdmin, topics: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const known = await admin.fetchTopicMetadata({ topics }).then(
      (metadata) =>
        metadata.topics.length === topics.length &&
        metadata.topics.every((topic) => topic.partitions.every((partition) => partition.leader >= 0)),
      (error: unknown) => {
        if (Date.now() > deadline) throw error;
        return false;
      },
    );
    if (known) return;
    if (Date.now() > deadline)
      throw new Error(`topics without a leader 30 s after creation: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function positionsOf(
  topic: string,
  messages: Message[],
  metadata: { partition: number; baseOffset?: string }[],
  assigned: WeakMap<Message, number>,
): Delivery[] {
  const base = new Map(metadata.map((m) => [m.partition, BigInt(m.baseOffset ?? '-1')]));
  const seen = new Map<number, bigint>();
  return messages.map((message) => {
    const partition = message.partition ?? assigned.get(message);
    const first = partition === undefined ? undefined : base.get(partition);
    if (partition === undefined || first === undefined) {
      throw new Error(`no delivery report for a message sent to ${topic}`);
    }
    const index = seen.get(partition) ?? 0n;
    seen.set(partition, index + 1n);
    return { topic, partition, offset: (first + index).toString() };
  });
}

function toBufferHeaders(headers: IHeaders | undefined): Record<string, Buffer | undefined> {
  const result: Record<string, Buffer | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    // kafkajs folds a repeated header into an array, and takes a name Object.prototype has (valueOf, constructor)
    // for a repeat of it: [the inherited function, the bytes]. Only bytes count; the first of them is the header.
    const first = (Array.isArray(value) ? value : [value]).find(
      (item): item is Buffer | string => Buffer.isBuffer(item) || typeof item === 'string',
    );
    // Defined, not assigned: a header named __proto__ is a header like any other, not the object's prototype.
    Object.defineProperty(result, name, {
      value: first === undefined ? undefined : Buffer.isBuffer(first) ? first : Buffer.from(first),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

// kafkajs warns whenever an idempotent producer's retries are finite. They are on purpose: an endless retry would
// hold a department's request open while the broker is down; a send that gives up is answered "retry", and
// consumers are idempotent on record id and version, so a resend cannot double a record.
const EXPECTED_WARNINGS = new Set([
  'Limiting retries for the idempotent producer may invalidate EoS guarantees',
]);

function forwardLog(log: Logger, entry: LogEntry): void {
  const { message, ...extra } = entry.log;
  if (EXPECTED_WARNINGS.has(message)) return;
  const fields = { namespace: entry.namespace, ...extra };
  if (entry.level <= KafkaLogLevel.ERROR) log.error(fields, message);
  else if (entry.level === KafkaLogLevel.WARN) log.warn(fields, message);
  else log.debug(fields, message);
}
