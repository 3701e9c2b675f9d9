import { brokersOf, createKafkajsBus, type Logger } from '@credit/kit';
import pg from 'pg';
import { kafkaSecurityFor, readState } from './state.ts';

/**
 * What the platform's infrastructure holds, to compare before and after a test run (`.ci/run` does): the broker's
 * topics and ACLs, and the row count of every table in the platform's database. Tests run on infrastructure of
 * their own (test-environment.ts), so a test run must leave this unchanged.
 */
export interface Footprint {
  topics: string[];
  acls: number;
  tables: Record<string, number>;
}

export async function infraFootprint(logger: Logger): Promise<Footprint> {
  const state = readState();
  if (!state) throw new Error('no infrastructure is up here: run `pnpm infra:up` first');
  const bus = createKafkajsBus({
    brokers: brokersOf(state.kafka.brokers),
    clientId: 'infra-footprint',
    security: kafkaSecurityFor(state),
    logger,
  });
  const admin = await bus.admin();
  let topics: string[];
  let acls: number;
  try {
    topics = (await admin.listTopics()).filter((topic) => !topic.startsWith('__')).sort();
    acls = (await admin.acls()).length;
  } finally {
    await admin.disconnect();
  }
  return { topics, acls, tables: await tableRows(state.database.url) };
}

async function tableRows(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `select format('%I.%I', schemaname, relname) as name from pg_stat_user_tables order by 1`,
    );
    const counts: Record<string, number> = {};
    for (const { name } of rows) {
      const result = await client.query<{ n: string }>(`select count(*) as n from ${name}`);
      counts[name] = Number(result.rows[0]!.n);
    }
    return counts;
  } finally {
    await client.end();
  }
}
