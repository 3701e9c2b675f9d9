import type { WorkingCalendar } from '@credit/calendar';
import { chinaToday } from '@credit/calendar';
import type { Department } from '@credit/catalogue';
import {
  type ApiClients,
  type Consumer,
  createServiceApp,
  type HealthState,
  type Logger,
  type MessageBus,
  type Producer,
  type ReadinessCheck,
  type Registry,
} from '@credit/kit';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { dashboardRoutes } from './dashboard.ts';
import { departmentSilences, departmentStats, shiftDate } from './department-stats.ts';
import { createDlqFollower } from './dlq-follower.ts';
import { dlqRoutes } from './dlq-routes.ts';
import { createLagSampler, type LagSnapshot } from './lag.ts';
import type { LagAdmin } from './lag-admin.ts';
import { createLagHistory } from './lag-history.ts';
import { createOpsMetrics } from './metrics.ts';
import { opsRoutes } from './routes.ts';
import { ruleByDepartment, type TimelinessRules } from './timeliness.ts';

export interface OpsMonitorDeps {
  logger: Logger;
  pool: pg.Pool;
  bus: MessageBus;
  producer: Producer;
  /** Operators' API clients: reading dead letters needs a token, replaying them the role operator. */
  clients: ApiClients;
  /** The dead-letter topic the monitor keeps an index of, and its consumer group. */
  dlq: { topic: string; groupId: string; replayTargets: readonly string[] };
  lagAdmin: LagAdmin;
  calendar: WorkingCalendar;
  rules: TimelinessRules;
  departments: readonly Department[];
  metrics: Registry;
  health: HealthState;
  readiness: ReadinessCheck[];
  /** Which consumer groups are the platform's. */
  watches(groupId: string): boolean;
  /** historySize: lag points kept for the dashboard's chart (default 360: an hour at one sample per 10 s). */
  lag: { sampleMs: number; windowSize: number; stopAfterMs: number; historySize?: number };
  departmentsRefreshMs: number;
  now?: () => Date;
}

export interface OpsMonitor {
  app: FastifyInstance;
  /** Takes one lag sample now (the timer does this every sampleMs). */
  sampleLag(): Promise<LagSnapshot>;
  /** Recomputes the departments' figures behind /metrics now. */
  refreshDepartments(): Promise<void>;
  /** Starts the timers and the dead-letter follower. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The ops monitor from injected dependencies: lag sampling, departments' figures, the API and /metrics. */
export async function createOpsMonitor(deps: OpsMonitorDeps): Promise<OpsMonitor> {
  const now = deps.now ?? (() => new Date());
  const sampler = createLagSampler({
    admin: deps.lagAdmin,
    groups: deps.watches,
    windowSize: deps.lag.windowSize,
    stopAfterMs: deps.lag.stopAfterMs,
    now: () => now().getTime(),
  });
  const metrics = createOpsMetrics(deps.metrics);
  let latest: LagSnapshot | undefined;
  const history = createLagHistory(deps.lag.historySize ?? 360);
  const timers: NodeJS.Timeout[] = [];

  async function sampleLag(): Promise<LagSnapshot> {
    try {
      latest = await sampler.sample();
    } catch (error) {
      metrics.recordLagFailure();
      throw error;
    }
    metrics.recordLag(latest);
    history.add(latest);
    return latest;
  }

  async function refreshDepartments(): Promise<void> {
    const today = chinaToday(now());
    const codes = deps.departments.map((department) => department.code);
    const ruleFor = ruleByDepartment(deps.rules, deps.departments);
    const options = { calendar: deps.calendar, ruleFor, departments: codes };
    const [todays, recent, silences] = await Promise.all([
      departmentStats(deps.pool, { from: today, to: shiftDate(today, 1) }, options),
      departmentStats(deps.pool, { from: shiftDate(today, -30), to: shiftDate(today, 1) }, options),
      departmentSilences(deps.pool, today, { calendar: deps.calendar, departments: codes }),
    ]);
    metrics.recordDepartments(todays.departments, recent.departments, silences);
  }

  const app = await createServiceApp({
    logger: deps.logger,
    readiness: deps.readiness,
    health: deps.health,
    metrics: deps.metrics,
  });
  await opsRoutes(app, {
    pool: deps.pool,
    calendar: deps.calendar,
    rules: deps.rules,
    departments: deps.departments,
    latestLag: () => latest,
    lagHistory: () => history.points(),
    now,
  });
  await dlqRoutes(app, {
    pool: deps.pool,
    producer: deps.producer,
    clients: deps.clients,
    replayTargets: deps.dlq.replayTargets,
  });
  // The built-in dashboard (运行监控): usable without Prometheus or Grafana.
  await dashboardRoutes(app);
  const follower = createDlqFollower({ pool: deps.pool, logger: deps.logger });
  let dlqConsumer: Consumer | undefined;

  /**
   * A periodic job, the next run `ms` after the previous one ended: a slow lag sample never overlaps the next (two
   * samples recorded out of order would rate a whole window ERR). Failures are logged and retried at the next run.
   */
  let stopped = false;
  const every = (ms: number, name: string, run: () => Promise<unknown>) => {
    const tick = async () => {
      await run().catch((error: unknown) =>
        deps.logger.warn({ err: error }, `${name} failed; next try in ${ms} ms`),
      );
      if (!stopped) timers.push(setTimeout(tick, ms));
    };
    void tick();
  };

  return {
    app,
    sampleLag,
    refreshDepartments,
    async start() {
      every(deps.lag.sampleMs, 'lag sample', sampleLag);
      every(deps.departmentsRefreshMs, 'departments refresh', refreshDepartments);
      dlqConsumer = await deps.bus.consumer({
        groupId: deps.dlq.groupId,
        topics: [deps.dlq.topic],
        fromBeginning: true,
      });
      await dlqConsumer.run(follower);
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await dlqConsumer?.disconnect();
      await app.close();
      await deps.lagAdmin.disconnect();
    },
  };
}
