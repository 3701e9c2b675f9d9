import { chinaToday, type WorkingCalendar } from '@credit/calendar';
import type { Department } from '@credit/catalogue';
import { createConcurrencyLimit } from '@credit/kit';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { checkPeriod, departmentSilences, departmentStats, shiftDate } from './department-stats.ts';
import { Busy } from './errors.ts';
import type { LagSnapshot } from './lag.ts';
import type { LagPoint } from './lag-history.ts';
import { parseQuarter, quarterlyReport } from './quarterly.ts';
import { quarterlyCsv, quarterlyPage } from './quarterly-export.ts';
import { ruleByDepartment, type TimelinessRules } from './timeliness.ts';

export interface RouteDeps {
  pool: pg.Pool;
  calendar: WorkingCalendar;
  rules: TimelinessRules;
  departments: readonly Department[];
  latestLag(): LagSnapshot | undefined;
  lagHistory(): readonly LagPoint[];
  now: () => Date;
}

const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
/**
 * Departments' figures and the quarterly 通报 read the period's records (millions in a busy quarter), several queries
 * at once: one report at a time, four waiting up to 5 s, the rest refused, so that reports asked together cannot keep
 * the dead-letter follower from the pool's few connections.
 */
const REPORTS = { max: 1, queue: 4, maxWaitMs: 5_000, retryAfterSeconds: 5 };

/** JSON: bigint offsets as decimal strings. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

/** The operators' API: lag with each group's status, departments' reporting, the quarterly 通报. */
export async function opsRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const ruleFor = ruleByDepartment(deps.rules, deps.departments);
  const reports = createConcurrencyLimit({
    ...REPORTS,
    refuse: (why) => Busy.with({ retryAfterSeconds: REPORTS.retryAfterSeconds }, undefined, 'report', why),
  });

  app.get('/v1/lag', async (_request, reply) => {
    const snapshot = deps.latestLag();
    if (snapshot === undefined)
      return reply
        .code(503)
        .send({ error: { code: 'OPS_LAG_NOT_SAMPLED', message: 'no lag sample yet; retry shortly' } });
    return plain({ at: new Date(snapshot.at).toISOString(), groups: snapshot.groups });
  });

  app.get('/v1/lag/history', async () => ({ points: plain(deps.lagHistory()) }));

  app.get<{ Querystring: { from?: string; to?: string } }>(
    '/v1/departments',
    {
      schema: {
        querystring: { type: 'object', additionalProperties: false, properties: { from: DATE, to: DATE } },
      },
    },
    async (request) => {
      const today = chinaToday(deps.now());
      const period = {
        from: request.query.from ?? shiftDate(today, -30),
        to: request.query.to ?? shiftDate(today, 1),
      };
      const codes = deps.departments.map((department) => department.code);
      // Refused before it waits for a turn: a bad period is a 400 however busy the reports are.
      checkPeriod(period);
      const [stats, silences] = await reports.run(() =>
        Promise.all([
          departmentStats(deps.pool, period, { calendar: deps.calendar, ruleFor, departments: codes }),
          departmentSilences(deps.pool, today, { calendar: deps.calendar, departments: codes }),
        ]),
      );
      return plain({
        ...stats,
        departments: stats.departments.map((department) => ({
          ...department,
          name: deps.departments.find((d) => d.code === department.department)?.name ?? department.department,
          silence: silences.get(department.department) ?? null,
        })),
      });
    },
  );

  app.get<{ Params: { quarter: string; format?: string } }>(
    '/v1/reports/quarterly/:quarter',
    async (request, reply) => {
      const match = /^(.+?)(?:\.(csv|html))?$/.exec(request.params.quarter);
      parseQuarter(match?.[1] ?? '');
      const report = await reports.run(() =>
        quarterlyReport(deps.pool, match?.[1] ?? '', {
          calendar: deps.calendar,
          rules: deps.rules,
          departments: deps.departments,
          today: chinaToday(deps.now()),
        }),
      );
      if (match?.[2] === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="departments-${report.quarter.name}.csv"`)
          .send(quarterlyCsv(report));
      }
      if (match?.[2] === 'html') return reply.type('text/html; charset=utf-8').send(quarterlyPage(report));
      return plain(report);
    },
  );
}
