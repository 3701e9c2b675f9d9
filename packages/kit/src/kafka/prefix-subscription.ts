import type { Logger } from '../logger.ts';
import type { BatchHandler, Consumer, MessageBus } from './types.ts';

export interface PrefixSubscriptionOptions {
  bus: MessageBus;
  groupId: string;
  /** Every topic whose name starts with this (and is longer) is consumed, e.g. `credit.ingest.`. */
  prefix: string;
  scanMs: number;
  partitionsConcurrently: number;
  sessionTimeoutMs?: number;
  handler: BatchHandler;
  logger: Logger;
  onTopics?: (topics: string[]) => void;
}

export interface PrefixSubscription {
  start(): Promise<void>;
  stop(): Promise<void>;
  topics(): string[];
}

/**
 * Consumes every topic of a prefix (every department's ingest topic, every department's feedback topic), including
 * those created while running. kafkajs resolves a pattern subscription once, at subscribe time (its documentation
 * says so), so the broker's topic list is read every `scanMs` and the consumer is re-created with the larger set
 * when a department's topic appears. The broker lists only topics the principal may describe, so the ACLs bound
 * what is found. Offsets are committed only after each batch's effect is durable, so the switch loses nothing; a
 * new topic is read from its beginning.
 */
export function followTopicsByPrefix(options: PrefixSubscriptionOptions): PrefixSubscription {
  let consumer: Consumer | undefined;
  let subscribed: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let switching: Promise<void> = Promise.resolve();

  async function matchingTopics(): Promise<string[]> {
    const admin = await options.bus.admin();
    try {
      return (await admin.listTopics())
        .filter((topic) => topic.startsWith(options.prefix) && topic.length > options.prefix.length)
        .sort();
    } finally {
      await admin.disconnect();
    }
  }

  async function subscribe(topics: string[]): Promise<void> {
    if (consumer) await consumer.disconnect();
    consumer = undefined;
    // Until a consumer runs, nothing counts as subscribed: a failed attempt is tried again at the next scan.
    subscribed = [];
    if (topics.length === 0 || stopping) {
      subscribed = topics;
      options.onTopics?.(topics);
      return;
    }
    const next = await options.bus.consumer({
      groupId: options.groupId,
      topics,
      fromBeginning: true,
      partitionsConsumedConcurrently: options.partitionsConcurrently,
      sessionTimeoutMs: options.sessionTimeoutMs,
      maxWaitTimeMs: 500,
      // Many partitions are read at once: a smaller share each keeps the fetched-but-unwritten data (and the
      // process's memory) bounded without starving the batch writer.
      maxBytesPerPartition: 256 * 1024,
    });
    consumer = next;
    await next.run(options.handler);
    subscribed = topics;
    options.onTopics?.(topics);
    options.logger.info({ topics }, 'consuming topics');
  }

  async function rescan(): Promise<void> {
    const found = await matchingTopics();
    if (found.length === subscribed.length && found.every((topic, i) => topic === subscribed[i])) return;
    const added = found.filter((topic) => !subscribed.includes(topic));
    if (added.length > 0) options.logger.info({ added }, 'new topics; re-subscribing');
    await subscribe(found);
  }

  return {
    async start() {
      await subscribe(await matchingTopics());
      timer = setInterval(() => {
        switching = switching
          .then(() => (stopping ? undefined : rescan()))
          .catch((error: unknown) =>
            options.logger.warn({ err: error, prefix: options.prefix }, 'topic scan failed; will retry'),
          );
      }, options.scanMs);
      timer.unref();
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      await switching;
      await consumer?.disconnect();
      consumer = undefined;
    },
    topics: () => subscribed,
  };
}
