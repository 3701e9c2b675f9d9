import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '@credit/infra';
import type pg from 'pg';
import { parse } from 'yaml';
import type { DriverLog } from './drivers.ts';
import type { ChaosWorkload } from './workload.ts';

/** What the platform holds against what the input implies; every figure should be 0 but `out` and `dead_lettered`. */
export interface Verdict {
  in: number;
  out: number;
  lost: number;
  duplicated: number;
  wrong_version: number;
  accepted_missing: number;
  refused_at_edge: number;
  refused_but_stored: number;
  dead_lettered: number;
  dead_letters_missing: number;
  entries_missing: number;
  entries_wrong_state: number;
  entries_unexpected: number;
  orders_expected: number;
  orders_missing: number;
  orders_unexpected: number;
  orders_wrong_status: number;
  feed_missing: number;
}

interface Measure {
  code: string;
  listTypes: string[];
  implementingDepartments: string[];
  subjectCategories?: string[];
}

/** A black list type's afterExit watch list (packages/list-types/data/list-types.yaml), read as data. */
function afterExitList(listType: string): string | undefined {
  const file = path.join(ROOT, 'packages', 'list-types', 'data', 'list-types.yaml');
  const data = parse(readFileSync(file, 'utf8')) as {
    types: { code: string; afterExit?: { list: string } }[];
  };
  return data.types.find((type) => type.code === listType)?.afterExit?.list;
}

/** The measures catalogue read as data (packages/measures/data/measures.yaml), not through the services' code. */
function measuresByListType(listType: string): Measure[] {
  const file = path.join(ROOT, 'packages', 'measures', 'data', 'measures.yaml');
  const data = parse(readFileSync(file, 'utf8')) as { measures: Measure[] };
  return data.measures.filter((measure) => measure.listTypes.includes(listType));
}

export async function verify(
  pool: pg.Pool,
  workload: ChaosWorkload,
  log: DriverLog,
  departments: { market: string; court: string },
): Promise<Verdict> {
  const stored = await pool.query<{
    department: string;
    source_record_id: string;
    version: number;
    status: string;
  }>(
    `select department, source_record_id, version, status from aggregator.records
      where source_record_id like 'CHAOS-%'`,
  );
  const seen = new Map<string, number>();
  let wrongVersion = 0;
  for (const row of stored.rows) {
    const key = `${row.department}/${row.source_record_id}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    const want = workload.records.get(key);
    if (want && (Number(row.version) !== want.version || row.status !== want.status)) wrongVersion += 1;
  }
  const lost = [...workload.records.keys()].filter((key) => !seen.has(key)).length;
  const duplicated = [...seen.entries()].filter(
    ([key, n]) => n > 1 || (!workload.records.has(key) && !workload.unanswered.has(key)),
  ).length;
  const versionOf = new Map(
    stored.rows.map((row) => [`${row.department}/${row.source_record_id}`, Number(row.version)]),
  );
  const acceptedMissing = [...log.accepted].filter((idAtVersion) => {
    const [id, version] = idAtVersion.split('@') as [string, string];
    return (versionOf.get(`${departments.market}/${id}`) ?? 0) < Number(version);
  }).length;
  const refusedButStored = [...workload.refusedAtEdge].filter(
    (id) => !log.refused.has(id) || seen.has(`${departments.market}/${id}`),
  ).length;

  // Every garbage message kept with its reason, by the aggregator (error table) and the dashboard (dead letters).
  const poisonKeys = workload.poison.map((_, n) => `poison-${n}`);
  const kept = await pool.query<{ key: string }>(
    `select distinct e.message_key as key from aggregator.ingest_errors e
      where e.message_key = any($1) and e.reason_code <> ''
        and exists (select 1 from ops.dead_letters d
                     where d.source_topic = e.source_topic and d.source_partition = e.source_partition
                       and d.source_offset = e.source_offset and d.reason_code = e.reason_code)`,
    [poisonKeys],
  );

  const entries = await pool.query<{
    id: string;
    state: string;
    list_type: string;
    subject_category: string;
    identity: string;
    record_ids: string[];
  }>(
    `select id, state, list_type, subject_category, identity,
            array(select b->>'sourceRecordId' from jsonb_array_elements(basis) b) as record_ids
       from lists.entries`,
  );
  const byIdentity = new Map(entries.rows.map((entry) => [entry.identity, entry]));
  const afterExitIds = new Set<string>();
  const entryOf = new Map<string, (typeof entries.rows)[number][]>();
  let entriesUnexpected = 0;
  for (const entry of entries.rows) {
    if (entry.identity.startsWith('after-exit:')) continue; // matched to the entry it follows, below
    const debtor = entry.record_ids.find((id) => workload.debtors.has(id));
    if (!debtor || entry.list_type !== 'dishonest-judgment-debtor') entriesUnexpected += 1;
    else entryOf.set(debtor, [...(entryOf.get(debtor) ?? []), entry]);
  }
  let entriesMissing = 0;
  let entriesWrongState = 0;
  const expectedOrders = new Map<string, string>();
  for (const [id, debtor] of workload.debtors) {
    const found = entryOf.get(id) ?? [];
    if (found.length === 0) {
      entriesMissing += 1;
      continue;
    }
    if (found.length > 1) entriesUnexpected += found.length - 1;
    const entry = found[0]!;
    if (entry.state !== (debtor.revoked ? 'exited' : 'published')) entriesWrongState += 1;
    const live: { id: string; listType: string; status: string }[] = [
      { id: entry.id, listType: entry.list_type, status: debtor.revoked ? 'withdrawn' : 'issued' },
    ];
    // A black entry that stood and left (the court ended it) moves its subject to the list type's watch list.
    const watchList = debtor.revoked ? afterExitList(entry.list_type) : undefined;
    if (watchList) {
      const after = byIdentity.get(`after-exit:${entry.id}`);
      if (!after) entriesMissing += 1;
      else {
        afterExitIds.add(after.id);
        if (after.list_type !== watchList || after.state !== 'published') entriesWrongState += 1;
        live.push({ id: after.id, listType: after.list_type, status: 'issued' });
      }
    }
    for (const { id: entryId, listType, status } of live) {
      for (const measure of measuresByListType(listType)) {
        if (measure.subjectCategories && !measure.subjectCategories.includes(debtor.category)) continue;
        for (const department of measure.implementingDepartments) {
          expectedOrders.set(`${entryId}/${measure.code}/${department}`, status);
        }
      }
    }
  }
  entriesUnexpected += entries.rows.filter(
    (entry) => entry.identity.startsWith('after-exit:') && !afterExitIds.has(entry.id),
  ).length;
  const orders = await pool.query<{ key: string; status: string }>(
    `select entry_id || '/' || measure_code || '/' || department as key, status from sanctions.orders`,
  );
  let ordersUnexpected = 0;
  let ordersWrongStatus = 0;
  const orderKeys = new Set<string>();
  for (const order of orders.rows) {
    orderKeys.add(order.key);
    const want = expectedOrders.get(order.key);
    if (want === undefined) ordersUnexpected += 1;
    else if (want !== order.status) ordersWrongStatus += 1;
  }
  const ordersMissing = [...expectedOrders.keys()].filter((key) => !orderKeys.has(key)).length;

  // The public feed: every organisation's record changes, and each debtor organisation's listing (and its exit).
  const feed = await pool.query<{ subject_code: string; source: string; n: string }>(
    `select subject_code, source, count(*) as n from query.changes group by 1, 2`,
  );
  const feedCount = new Map(feed.rows.map((row) => [`${row.subject_code}/${row.source}`, Number(row.n)]));
  let feedMissing = [...workload.organisations].filter((code) => !feedCount.has(`${code}/records`)).length;
  for (const debtor of workload.debtors.values()) {
    if (debtor.category !== 'LEGAL_ENTITY') continue;
    if ((feedCount.get(`${debtor.subjectCode}/lists`) ?? 0) < (debtor.revoked ? 2 : 1)) feedMissing += 1;
  }

  return {
    in: workload.records.size,
    out: stored.rows.length,
    lost,
    duplicated,
    wrong_version: wrongVersion,
    accepted_missing: acceptedMissing,
    refused_at_edge: workload.refusedAtEdge.size,
    refused_but_stored: refusedButStored,
    dead_lettered: kept.rows.length,
    dead_letters_missing: poisonKeys.length - kept.rows.length,
    entries_missing: entriesMissing,
    entries_wrong_state: entriesWrongState,
    entries_unexpected: entriesUnexpected,
    orders_expected: expectedOrders.size,
    orders_missing: ordersMissing,
    orders_unexpected: ordersUnexpected,
    orders_wrong_status: ordersWrongStatus,
    feed_missing: feedMissing,
  };
}

/** True when nothing is lost, doubled, wrong or missing. */
export function settled(verdict: Verdict): boolean {
  return Object.entries(verdict).every(
    ([name, value]) =>
      ['in', 'out', 'refused_at_edge', 'dead_lettered', 'orders_expected'].includes(name) || value === 0,
  );
}
