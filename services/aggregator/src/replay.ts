import type { Catalogue } from '@credit/catalogue';
import { createPool } from '@credit/db';
import type { Contracts } from '@credit/intake';
import { createMetricsRegistry, type Logger, type MessageBus, type Producer } from '@credit/kit';
import { type AggregatorDeps, createAggregator } from './app.ts';
import { type ContentDigest, contentDigest } from './content-digest.ts';
import { AGGREGATOR_SCHEMA, migrateAggregator } from './migrations.ts';
import { restoreKept, setAsideKept } from './replay-kept.ts';
import type { IdentityKeys } from './subject-identity.ts';

export interface ReplayOptions {
  databaseUrl: string;
  /** The schema to rebuild; it is emptied first. */
  schema: string;
  /** Whose tombstones of erased persons and erasure audit log the rebuild keeps (default: the live schema). */
  keptFrom?: string;
  bus: MessageBus;
  producer: Producer;
  catalogue: Catalogue;
  contracts: Contracts;
  keys: IdentityKeys;
  logger: Logger;
  topicPrefix: string;
  /** As the live aggregator's: messages are verified and unsealed again. */
  trust: AggregatorDeps['trust'];
  /** A fresh consumer group is made from this and the time, so the live group's offsets are not touched. */
  groupPrefix: string;
  partitionsConcurrently?: number;
  timeoutMs?: number;
  now?: () => Date;
}

export interface ReplayResult {
  schema: string;
  topics: string[];
  /** Messages on the ingest topics when the replay began (end offset − start offset, summed). */
  messages: number;
  seconds: number;
  digest: ContentDigest;
}

/**
 * Rebuilds a schema of the unified database from the ingest topics, from offset 0 to the end offsets they had
 * when the replay began: the same code path as live consumption (normalise, version-guarded upsert), without
 * publishing change events or dead-lettering again. Erased persons stay erased: the tombstones (and the audit log
 * of the erasures) are carried over first. Ends with the content digest of what it built.
 */
export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const started = Date.now();
  const pool = createPool(options.databaseUrl, {
    max: 8,
    applicationName: 'aggregator-replay',
    searchPath: options.schema,
  });
  const admin = await options.bus.admin();
  try {
    // The tombstones go in before anything is consumed, so the version guard keeps erased records out.
    await setAsideKept(pool, options.keptFrom ?? AGGREGATOR_SCHEMA, options.schema);
    await pool.query(`drop schema if exists ${options.schema} cascade`);
    await migrateAggregator(pool, options.schema);
    await restoreKept(pool, options.schema);
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(options.topicPrefix)).sort();
    const ends = new Map<string, bigint>();
    let messages = 0n;
    for (const topic of topics) {
      for (const partition of await admin.topicOffsets(topic)) {
        // A partition with nothing to read gets no committed offset to wait for.
        if (BigInt(partition.high) > BigInt(partition.low))
          ends.set(`${topic}:${partition.partition}`, BigInt(partition.high));
        messages += BigInt(partition.high) - BigInt(partition.low);
      }
    }
    const groupId = `${options.groupPrefix}-replay-${Date.now().toString(36)}`;
    const aggregator = await createAggregator({
      logger: options.logger,
      pool,
      bus: options.bus,
      producer: options.producer,
      catalogue: options.catalogue,
      contracts: options.contracts,
      keys: options.keys,
      trust: options.trust,
      metrics: createMetricsRegistry('aggregator-replay', { defaults: false }),
      health: { shuttingDown: false },
      readiness: [],
      service: 'aggregator-replay',
      groupId,
      topicPrefix: options.topicPrefix,
      topicScanMs: 3_600_000,
      partitionsConcurrently: options.partitionsConcurrently ?? 64,
      subjectChangesTopic: 'unused-by-replay',
      deadLetterTopic: null,
      expirySweepMs: 3_600_000,
      publishChanges: false,
      now: options.now,
    });
    await aggregator.start();
    try {
      await waitForOffsets(admin, groupId, topics, ends, options.timeoutMs ?? 3_600_000);
    } finally {
      await aggregator.stop();
    }
    await pool.query('delete from outbox');
    await admin.deleteGroups([groupId]).catch(() => {});
    return {
      schema: options.schema,
      topics,
      messages: Number(messages),
      seconds: (Date.now() - started) / 1000,
      digest: await contentDigest(pool, options.schema),
    };
  } finally {
    await admin.disconnect();
    await pool.end();
  }
}

async function waitForOffsets(
  admin: Awaited<ReturnType<MessageBus['admin']>>,
  groupId: string,
  topics: string[],
  ends: Map<string, bigint>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const committed = new Map(
      (await admin.groupOffsets(groupId, topics)).map((o) => [`${o.topic}:${o.partition}`, BigInt(o.offset)]),
    );
    if ([...ends.entries()].every(([key, end]) => (committed.get(key) ?? -1n) >= end)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`replay did not reach the end offsets within ${timeoutMs / 1000} s`);
}
