import { deadLetter } from '@credit/kit';
import { testClock } from '@credit/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpsMonitor } from '../src/app.ts';
import { type MonitorHarness, OPERATOR_TOKEN, startMonitorHarness } from './monitor-harness.ts';

let h: MonitorHarness;
let monitor: OpsMonitor;
let topic: string;
let groupId: string;
/** The monitor's clock; the record below reaches the platform at its now, so "today" is the same day for both. */
const clock = testClock();

beforeAll(async () => {
  const seed = async (pool: pg.Pool) => {
    await pool.query(
      `insert into aggregator.records (department, source_record_id, version, subject_code, kind, schema_version,
         catalogue_item_code, severity, operation, status, decision_date, reported_at, disclosure_public,
         disclosure_from, disclosure_until, payload, source_topic, source_partition, source_offset,
         first_stored_at, stored_at)
       values ('market-regulation', 'ops-1', 1, '91350100M000100Y43', 'administrative-penalty', 1, 'item',
               'GENERAL_DISHONESTY', 'UPSERT', 'active', $1::date, $2, true, $1::date, null, '{}', 'test', 0, 0,
               $2, $2)`,
      [clock.today(), clock.now()],
    );
  };
  h = await startMonitorHarness('app', seed, { now: clock.now });
  ({ monitor, topic, groupId } = h);
}, 90_000);

afterAll(async () => {
  await h?.close();
});

describe('ops monitor API and metrics', () => {
  it('serves each watched group’s lag with its status, and exposes it to Prometheus', async () => {
    const before = await monitor.app.inject({ method: 'GET', url: '/v1/lag' });
    expect(before.statusCode).toBe(503);
    await monitor.sampleLag();
    const lag = (await monitor.app.inject({ method: 'GET', url: '/v1/lag' })).json();
    const group = lag.groups.find((g: { groupId: string }) => g.groupId === groupId);
    expect(group.totalLag).toBe('3');
    expect(group.partitions[0]).toMatchObject({ topic, partition: 0, committed: '1', end: '4', lag: '3' });
    const history = (await monitor.app.inject({ method: 'GET', url: '/v1/lag/history' })).json();
    expect(history.points.at(-1).groups).toEqual([
      expect.objectContaining({ groupId, totalLag: 3, status: group.status }),
    ]);
    const metrics = (await monitor.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(
      `credit_consumer_lag_messages{group="${groupId}",topic="${topic}",partition="0",service="ops-app"} 3`,
    );
    expect(metrics).toMatch(
      new RegExp(`credit_consumer_group_status\\{group="${groupId}",status="OK",service="ops-app"\\} 1`),
    );
  });

  it('serves departments’ reporting and the quarterly report as JSON, CSV and a printable page', async () => {
    await monitor.refreshDepartments();
    const metrics = (await monitor.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(
      'credit_department_records_received_today{department="market-regulation",service="ops-app"} 1',
    );
    const departments = (await monitor.app.inject({ method: 'GET', url: '/v1/departments' })).json();
    const market = departments.departments.find(
      (d: { department: string }) => d.department === 'market-regulation',
    );
    expect(market).toMatchObject({ received: 1, name: '福州市市场监督管理局' });
    expect(market.doublePublicity.onTime).toBe(1);

    // The quarter the monitor is in (China time), not the real UTC one.
    const today = clock.today();
    const quarter = `${today.slice(0, 4)}Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
    const csv = await monitor.app.inject({ method: 'GET', url: `/v1/reports/quarterly/${quarter}.csv` });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('market-regulation');
    const page = await monitor.app.inject({ method: 'GET', url: `/v1/reports/quarterly/${quarter}.html` });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('福州市市场监督管理局');
    const wrong = await monitor.app.inject({ method: 'GET', url: '/v1/reports/quarterly/2026Q5' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('OPS_INVALID_QUARTER');
  });

  it('indexes the dead-letter topic once started: counts for anyone, contents for operators', async () => {
    await h.monitor.start();
    const original = {
      topic: 'credit.ingest.market-regulation',
      partition: 0,
      offset: '7',
      key: Buffer.from('91350100M000100Y43'),
      value: Buffer.from('{"broken": true}'),
      headers: {},
      timestamp: Date.now(),
    };
    await h.producer.send(h.deadLetterTopic, [
      deadLetter(original, { code: 'INTAKE_SCHEMA', message: 'decisionDate is missing' }, 'aggregator'),
    ]);
    const deadline = Date.now() + 20_000;
    let summary = (await monitor.app.inject({ method: 'GET', url: '/v1/dlq/summary' })).json();
    while (summary.total < 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      summary = (await monitor.app.inject({ method: 'GET', url: '/v1/dlq/summary' })).json();
    }
    expect(summary.byDepartment).toEqual([
      expect.objectContaining({ department: 'market-regulation', reason: 'INTAKE_SCHEMA', count: 1 }),
    ]);
    const anonymous = await monitor.app.inject({ method: 'GET', url: '/v1/dlq' });
    expect(anonymous.statusCode).toBe(401);
    // Authentication comes before validation: a stranger learns nothing of the parameters.
    const probing = await monitor.app.inject({ method: 'GET', url: '/v1/dlq?limit=many' });
    expect(probing.statusCode).toBe(401);
    const listed = await monitor.app.inject({
      method: 'GET',
      url: '/v1/dlq?department=market-regulation',
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().deadLetters[0]).toMatchObject({ reasonCode: 'INTAKE_SCHEMA' });
    // Its source is a platform topic the replay may write to; one naming any other topic is never replayed.
    await h.producer.send(h.deadLetterTopic, [
      deadLetter(
        { ...original, topic: 'not.a.platform.topic', offset: '8' },
        { code: 'X', message: 'x' },
        'aggregator',
      ),
    ]);
    const dryRun = async () =>
      (
        await monitor.app.inject({
          method: 'POST',
          url: '/v1/dlq/replay',
          headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
          payload: { all: true, dryRun: true },
        })
      ).json();
    let plan = await dryRun();
    while (plan.skippedNoSource < 1 && Date.now() < deadline + 20_000) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      plan = await dryRun();
    }
    expect(plan).toMatchObject({
      replayed: 1,
      skippedNoSource: 1,
      byTopic: { 'credit.ingest.market-regulation': 1 },
    });
  });
});
