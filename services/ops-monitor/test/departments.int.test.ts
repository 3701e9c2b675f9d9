import { MIGRATIONS_DIR as AGGREGATOR_MIGRATIONS, AGGREGATOR_SCHEMA } from '@credit/aggregator/migrations';
import { loadCalendar } from '@credit/calendar';
import { type Department, loadCatalogue } from '@credit/catalogue';
import { createPool, migrate } from '@credit/db';
import { createTestDatabase, type TestDatabase } from '@credit/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentSilences, departmentStats } from '../src/department-stats.ts';
import { quarterlyReport } from '../src/quarterly.ts';
import { quarterlyCsv, quarterlyPage } from '../src/quarterly-export.ts';
import { NATIONAL_TIMELINESS_RULE, type TimelinessRules } from '../src/timeliness.ts';

const calendar = loadCalendar();
const catalogue = loadCatalogue();
const FAKE: Department = {
  code: 'zz-fake',
  name: '=1+1<script>alert(1)</script>',
  uscc: '',
  region: '350100',
  regionName: '福州市',
};
const departments = [...catalogue.departments, FAKE];
// Gulou counts calendar days ("7天"), everyone else 7 working days.
const rules: TimelinessRules = {
  default: NATIONAL_TIMELINESS_RULE,
  byRegion: { '350102': { counting: 'calendar-days', deadlineDays: 7 } },
};

let database: TestDatabase;
let pool: pg.Pool;
let sequence = 0;

async function record(
  department: string,
  kind: string,
  decisionDate: string,
  storedAt: string,
): Promise<void> {
  sequence += 1;
  await pool.query(
    `insert into aggregator.records (department, source_record_id, version, subject_code, kind, schema_version,
       catalogue_item_code, severity, operation, status, decision_date, reported_at, disclosure_public,
       disclosure_from, payload, source_topic, source_partition, source_offset, first_stored_at, stored_at)
     values ($1, $2, 1, '91350100MA2XXXXX0X', $3, 1, '350100-XZXK-0001', 'BASIC', 'CREATE', 'active', $4, $5, true,
       $4, '{}', 'credit.ingest.test', 0, $6, $5, $5)`,
    [department, `r-${sequence}`, kind, decisionDate, storedAt, sequence],
  );
}

async function refusal(department: string | null, reasonCode: string, receivedAt: string): Promise<void> {
  sequence += 1;
  await pool.query(
    `insert into aggregator.ingest_errors (source_topic, source_partition, source_offset, department, reason_code,
       reason, headers, received_at)
     values ('credit.ingest.test', 0, $1, $2, $3, 'test refusal', '{}', $4)`,
    [sequence, department, reasonCode, receivedAt],
  );
}

/** Working days from `from` to `to`, both included. */
function workingDays(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let time = Date.parse(from); time <= Date.parse(to); time += 86_400_000) {
    const date = new Date(time).toISOString().slice(0, 10);
    if (calendar.isWorkingDay(date)) dates.push(date);
  }
  return dates;
}

const MARKET_DAILY = workingDays('2025-12-01', '2025-12-31');
const TAX_DAILY = workingDays('2025-10-09', '2025-11-14');

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url, { max: 4 });
  await migrate(pool, AGGREGATOR_SCHEMA, AGGREGATOR_MIGRATIONS);

  // Decided Friday 2025-09-26, before the 国庆/中秋 break: Oct 13 is the 7th working day (Sep 28 and Oct 11 are
  // make-up working days), Oct 14 the 8th.
  for (let i = 0; i < 3; i += 1)
    await record('market-regulation', 'administrative-penalty', '2025-09-26', '2025-10-13T10:00:00+08:00');
  await record('market-regulation', 'administrative-licence', '2025-09-26', '2025-10-14T09:00:00+08:00');
  // Decided Tuesday Sep 30: Oct 16 is the 7th working day. 00:30 on Oct 17 in China is still Oct 16 in UTC.
  await record('market-regulation', 'administrative-licence', '2025-09-30', '2025-10-17T00:30:00+08:00');
  for (const day of MARKET_DAILY)
    await record('market-regulation', 'credit-commitment', day, `${day}T10:00:00+08:00`);
  await refusal('market-regulation', 'CREDIT_INVALID_USCC', '2025-10-20T11:00:00+08:00');
  await refusal('market-regulation', 'CREDIT_INVALID_USCC', '2025-11-02T11:00:00+08:00');
  await refusal('market-regulation', 'CATALOGUE_NOT_GRANTED', '2025-12-05T11:00:00+08:00');
  await refusal('market-regulation', 'CREDIT_INVALID_USCC', '2025-12-31T23:30:00+08:00');
  // Outside 2025Q4 in China time; the second is still 2025-12-31 in UTC.
  await refusal('market-regulation', 'CREDIT_INVALID_USCC', '2025-09-30T20:00:00+08:00');
  await refusal('market-regulation', 'CREDIT_INVALID_USCC', '2026-01-01T00:30:00+08:00');
  await refusal(null, 'ENVELOPE_UNREADABLE', '2025-11-10T12:00:00+08:00');

  // Tax reported every working day until Nov 14, then stopped.
  for (const day of TAX_DAILY) await record('tax', 'credit-commitment', day, `${day}T15:00:00+08:00`);
  for (let i = 0; i < 2; i += 1)
    await record('tax', 'administrative-licence', '2025-11-03', '2025-11-05T15:00:00+08:00');

  // 3 on time, 2 decided a month earlier.
  for (let i = 0; i < 3; i += 1)
    await record('development-reform', 'administrative-penalty', '2025-12-01', '2025-12-03T09:00:00+08:00');
  for (let i = 0; i < 2; i += 1)
    await record('development-reform', 'administrative-penalty', '2025-11-03', '2025-12-03T09:00:00+08:00');

  // Decided Sep 30, received Oct 9: 1 working day, but 9 calendar days, and Gulou counts calendar days.
  await record('gulou-court', 'administrative-penalty', '2025-09-30', '2025-10-09T09:00:00+08:00');
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('department statistics', () => {
  it('measures 双公示 timeliness across the 2025 国庆/中秋 break in China time', async () => {
    const report = await departmentStats(
      pool,
      { from: '2025-10-01', to: '2026-01-01' },
      { calendar, ruleFor: () => NATIONAL_TIMELINESS_RULE },
    );
    const market = report.departments.find((entry) => entry.department === 'market-regulation');
    expect(market?.doublePublicity).toEqual({
      records: 5,
      onTime: 3,
      late: 2,
      unmeasured: 0,
      onTimeShare: 0.6,
      maxDays: 8,
    });
    expect(market?.received).toBe(5 + MARKET_DAILY.length);
    expect(market?.receivedByDay.find((day) => day.at === '2025-10-13')).toEqual({
      at: '2025-10-13',
      count: 3,
    });
    expect(market?.receivedByHour.find((hour) => hour.at === '2025-10-17T00')).toEqual({
      at: '2025-10-17T00',
      count: 1,
    });
    expect(market?.rejected).toBe(4);
    expect(market?.rejectedByReason).toEqual({ CREDIT_INVALID_USCC: 3, CATALOGUE_NOT_GRANTED: 1 });
    expect(report.unattributedRejections).toEqual({ ENVELOPE_UNREADABLE: 1 });
    expect(market?.lastReportedAt).toEqual(new Date('2025-12-31T23:30:00+08:00'));
  });

  it('raises the silence alert for a department that stopped reporting, not for a regular one', async () => {
    const silences = await departmentSilences(pool, '2025-12-31', {
      calendar,
      departments: ['ecology-environment'],
    });
    expect(silences.get('market-regulation')).toMatchObject({ lastReportingDay: '2025-12-31', alert: false });
    expect(silences.get('tax')).toMatchObject({
      lastReportingDay: '2025-11-14',
      usualGapDays: 1,
      alert: true,
    });
    expect(silences.get('tax')?.silentDays).toBe(workingDays('2025-11-15', '2025-12-31').length);
    expect(silences.get('ecology-environment')).toMatchObject({ lastReportingDay: null, alert: false });
  });
});

describe('the quarterly 通报', () => {
  it('ranks by on-time share, then volume, and exports CSV and a printable page', async () => {
    const report = await quarterlyReport(pool, '2025Q4', {
      calendar,
      rules,
      departments,
      today: '2026-01-20',
    });
    expect(report.asOf).toBe('2025-12-31');
    expect(report.rows.slice(0, 4).map((row) => [row.department, row.score])).toEqual([
      ['tax', 100],
      ['market-regulation', 60],
      ['development-reform', 60],
      ['gulou-court', 0],
    ]);
    expect(report.rows).toHaveLength(departments.length);
    expect(report.rows.at(-1)?.score).toBeNull();
    const tax = report.rows[0];
    expect(tax?.silenceAlert).toBe(true);
    expect(report.rows[1]?.silenceAlert).toBe(false);

    const csv = quarterlyCsv(report);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trim().split('\n');
    expect(lines[0]?.startsWith('名次 rank,部门代码 department,部门 name,行政区划 region,')).toBe(true);
    expect(lines[2]).toBe(
      '2,market-regulation,福州市市场监督管理局,350100,' +
        `${5 + MARKET_DAILY.length},4,CREDIT_INVALID_USCC×3; CATALOGUE_NOT_GRANTED×1,5,3,2,0,0.6000,7个工作日,` +
        '2025-12-31 23:30,0,否,60.0',
    );
    expect(lines[4]).toContain(',gulou-court,福州市鼓楼区人民法院,350102,1,0,,1,0,1,0,0.0000,7天,');
    const fake = lines.find((line) => line.includes('zz-fake'));
    expect(fake).toContain(",'=1+1<script>");

    const page = quarterlyPage(report);
    expect(page).toContain('<title>2025Q4 各部门信用信息归集情况通报</title>');
    expect(page).toContain('@page');
    expect(page).toContain('=1+1&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>');
  });
});
