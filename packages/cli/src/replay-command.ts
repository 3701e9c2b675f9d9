import type { Command } from 'commander';
import { databaseUrl } from './command-context.ts';

/**
 * `credit replay`: rebuilds the unified database from the department ingest topics, from offset 0, with the
 * aggregator's own code, and prints what it built (table digests). By default into a separate schema, so it can
 * run beside the live aggregator and be compared with `--compare`; into the live schema only with `--force`,
 * after the aggregator is stopped.
 */
export function replayCommand(program: Command): void {
  program
    .command('replay')
    .description('rebuild the unified database from the ingest topics, from offset 0 or from a snapshot')
    .option('--schema <name>', 'schema to rebuild (emptied first)', 'aggregator_replay')
    .option('--compare', "compare the rebuilt content with the live schema's (exit 1 when they differ)")
    .option('--force', 'allow rebuilding the live schema "aggregator" (stop the aggregator first)')
    .option('--prefix <prefix>', 'ingest topic prefix', 'credit.ingest.')
    .option(
      '--from-snapshot <schema>',
      'start from a snapshot (credit snapshot list) and its offsets: needed once retention has deleted the beginning of the topics',
    )
    .action(
      async (options: {
        schema: string;
        compare?: boolean;
        force?: boolean;
        prefix: string;
        fromSnapshot?: string;
      }) => {
        const [{ loadCatalogue }, { contracts }, kit, infra, aggregator, trust, db] = await Promise.all([
          import('@credit/catalogue'),
          import('@credit/intake'),
          import('@credit/kit'),
          import('@credit/infra'),
          import('@credit/aggregator/replay'),
          import('@credit/ingest-trust'),
          import('@credit/db'),
        ]);
        const {
          ReplayTargetLive,
          AGGREGATOR_SCHEMA,
          replay,
          contentDigest,
          createIdentityCipher,
          decodeKey,
        } = aggregator;
        if (options.schema === AGGREGATOR_SCHEMA && !options.force) throw ReplayTargetLive(options.schema);
        const {
          kafkaBrokers: brokers,
          databaseUrl,
          kafkaSecurity,
        } = infra.requireInfrastructure('credit replay needs', 'service.aggregator');
        const secrets =
          process.env.SUBJECT_TOKEN_KEY &&
          process.env.IDENTITY_ENCRYPTION_KEY &&
          process.env.PLATFORM_SEALING_PRIVATE_KEYS
            ? {
                SUBJECT_TOKEN_KEY: process.env.SUBJECT_TOKEN_KEY,
                IDENTITY_ENCRYPTION_KEY: process.env.IDENTITY_ENCRYPTION_KEY,
                PLATFORM_SEALING_PRIVATE_KEYS: process.env.PLATFORM_SEALING_PRIVATE_KEYS,
              }
            : infra.localSecrets();
        // The signing keys and, with --compare, the live content digest (replay opens its own connections).
        const pool = db.createPool(databaseUrl, { max: 1 });
        const registry = await trust.createSigningKeyRegistry(pool);
        const unsealer = await trust.createUnsealer(secrets.PLATFORM_SEALING_PRIVATE_KEYS.split(','));
        const logger = kit.createLogger({ service: 'credit-replay', level: process.env.LOG_LEVEL ?? 'warn' });
        const bus = kit.createKafkajsBus({
          brokers: kit.brokersOf(brokers),
          clientId: 'credit-replay',
          security: kafkaSecurity,
          logger,
        });
        const producer = await bus.producer();
        try {
          const result = await replay({
            databaseUrl,
            schema: options.schema,
            bus,
            producer,
            catalogue: loadCatalogue(),
            contracts: contracts(),
            keys: {
              tokenKey: decodeKey(secrets.SUBJECT_TOKEN_KEY),
              cipher: createIdentityCipher(decodeKey(secrets.IDENTITY_ENCRYPTION_KEY)),
            },
            logger,
            trust: { registry, unsealer },
            topicPrefix: options.prefix,
            ...(options.fromSnapshot ? { fromSnapshot: options.fromSnapshot } : {}),
            groupPrefix: 'credit-aggregator',
          });
          console.log(JSON.stringify(result));
          if (options.compare) {
            const live = await contentDigest(pool, AGGREGATOR_SCHEMA);
            const differing = Object.keys(live).filter(
              (table) => JSON.stringify(live[table]) !== JSON.stringify(result.digest[table]),
            );
            console.log(
              JSON.stringify({
                compared: AGGREGATOR_SCHEMA,
                equal: differing.length === 0,
                differing,
                live,
              }),
            );
            if (differing.length > 0) process.exitCode = 1;
          }
        } finally {
          registry.stop();
          await pool.end();
          await producer.disconnect();
        }
      },
    );
}

/**
 * `credit snapshot create|list`: copies of the unified database with the live group's committed offsets, from which
 * `credit replay --from-snapshot` rebuilds once the ingest topics' retention (180 days) has deleted their beginning.
 * Take one at least once per retention period (a daily CronJob in a cluster).
 */
export function snapshotCommand(program: Command): void {
  const snapshot = program.command('snapshot').description('snapshots of the unified database, for replay');
  snapshot
    .command('create')
    .description(
      'copy schema aggregator, with the offsets the live aggregator has committed, into a new schema',
    )
    .option('--group <id>', "the live aggregator's consumer group", 'credit-aggregator')
    .option('--prefix <prefix>', 'ingest topic prefix', 'credit.ingest.')
    .action(async (options: { group: string; prefix: string }) => {
      const [kit, infra, aggregator, db] = await Promise.all([
        import('@credit/kit'),
        import('@credit/infra'),
        import('@credit/aggregator/replay'),
        import('@credit/db'),
      ]);
      const { kafkaBrokers, databaseUrl, kafkaSecurity } = infra.requireInfrastructure(
        'credit snapshot needs',
        'service.aggregator',
      );
      const admin = await kit
        .createKafkajsBus({
          brokers: kit.brokersOf(kafkaBrokers),
          clientId: 'credit-snapshot',
          security: kafkaSecurity,
          logger: kit.createLogger({ service: 'credit-snapshot', level: process.env.LOG_LEVEL ?? 'warn' }),
        })
        .admin();
      const pool = db.createPool(databaseUrl, { max: 1 });
      try {
        const taken = await aggregator.takeSnapshot({
          pool,
          admin,
          groupId: options.group,
          topicPrefix: options.prefix,
        });
        console.log(JSON.stringify({ ...taken, offsets: taken.offsets.length }));
      } finally {
        await admin.disconnect();
        await pool.end();
      }
    });
  snapshot
    .command('list')
    .description('the snapshots in the database, oldest first')
    .action(async () => {
      const [aggregator, db] = await Promise.all([import('@credit/aggregator/replay'), import('@credit/db')]);
      const pool = db.createPool(await databaseUrl(), { max: 1 });
      try {
        for (const taken of await aggregator.listSnapshots(pool)) {
          console.log(
            JSON.stringify({ schema: taken.schema, takenAt: taken.takenAt, offsets: taken.offsets.length }),
          );
        }
      } finally {
        await pool.end();
      }
    });
}
