import type { Catalogue } from '@credit/catalogue';
import { createPool } from '@credit/db';
import type { Contracts } from '@credit/intake';
import { createMetricsRegistry, type Logger, type MessageBus, type Producer } from '@credit/kit';
import { type AggregatorDeps, createAggregator } from './app.ts';
import { type ContentDigest, contentDigest } from './content-digest.ts';
import { forgetErasedSubjects } from './erasure.ts';
import { ReplayBeyondRetention } from './errors.ts';
import { AGGREGATOR_SCHEMA, migrateAggregator } from './migrations.ts';
import { KEPT_TABLE_NAMES, restoreKept, setAsideKept } from './replay-kept.ts';
import { readSnapshot, restoreSnapshot } from './snapshot.ts';
import type { IdentityKeys } from './subject-identity.ts';

export interface ReplayOptions {
  databaseUrl: string;
  /** The schema to rebuild; it is emptied first. */
  schema: string;
  /** Whose tombstones of erased persons and erasure audit log the rebuild keeps (default: the live schema). */
  keptFrom?: string;
  /**
   * Start from this snapshot (credit snapshot create) and the offsets it recorded, instead of empty tables and
   * offset 0: what a rebuild needs once retention has deleted the topics' beginning.
   */
  fromSnapshot?: string;
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
 * Rebuilds a schema of the unified database from the ingest topics, from offset 0 (or from a snapshot and the
 * offsets it recorded) to the end offsets they had when the replay began: the same code path as live consumption
 * (verify, unseal, normalise, version-guarded upsert), without publishing change events or dead-lettering again.
 * Refuses to start where retention has already deleted messages it would need. Erased persons stay erased: the
 * tombstones (and the audit log of the erasures) are carried over first. Ends with the content digest of what it
 * built.
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
    const snapshot = options.fromSnapshot ? await readSnapshot(pool, options.fromSnapshot) : undefined;
    if (snapshot) {
      await restoreSnapshot(pool, snapshot.schema, options.schema, KEPT_TABLE_NAMES);
      await forgetErasedSubjects(pool, options.schema);
    }
    const startAt = new Map(snapshot?.offsets.map((o) => [`${o.topic}:${o.partition}`, BigInt(o.offset)]));
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(options.topicPrefix)).sort();
    const ends = new Map<string, bigint>();
    const starts = new Map<string, { partition: number; offset: string }[]>();
    let messages = 0n;
    for (const topic of topics) {
      for (const partition of await admin.topicOffsets(topic)) {
        const key = `${topic}:${partition.partition}`;
        const low = BigInt(partition.low);
        const high = BigInt(partition.high);
        const from = startAt.get(key) ?? 0n;
        if (from < low && high > from) {
          throw ReplayBeyondRetention(topic, String(partition.partition), String(from), String(low));
        }
        if (startAt.has(key)) {
          starts.set(topic, [
            ...(starts.get(topic) ?? []),
            { partition: partition.partition, offset: String(from) },
          ]);
        }
        // A partition with nothing to read gets no committed offset to wait for.
        if (high > from) ends.set(key, high);
        messages += high > from ? high - from : 0n;
      }
    }
    const groupId = `${options.groupPrefix}-replay-${Date.now().toString(36)}`;
    // The replay's own group starts where the snapshot's offsets say; partitions it has none for, from the earliest.
    for (const [topic, offsets] of starts) await admin.setGroupOffsets(groupId, topic, offsets);
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
