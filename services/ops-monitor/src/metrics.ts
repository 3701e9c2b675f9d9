import { gauge, type Registry } from '@credit/kit';
import { STATUS_SEVERITY } from './burrow.ts';
import type { DepartmentStats } from './department-stats.ts';
import type { LagSnapshot } from './lag.ts';
import type { Silence } from './silence.ts';

export interface OpsMetrics {
  recordLag(snapshot: LagSnapshot): void;
  /** A sample failed (e.g. the cluster did not answer): the last good figures must not pass for current ones. */
  recordLagFailure(): void;
  /** Today's volume and refusals, the last 30 days' timeliness, and each department's silence. */
  recordDepartments(
    today: readonly DepartmentStats[],
    recent: readonly DepartmentStats[],
    silences: ReadonlyMap<string, Silence>,
  ): void;
}

/** Prometheus gauges named by the conventions (base units, `_total` only on counters): what alert rules read. */
export function createOpsMetrics(registry: Registry): OpsMetrics {
  const lagMessages = gauge(registry, 'credit_consumer_lag_messages', 'End offset minus committed offset', [
    'group',
    'topic',
    'partition',
  ]);
  const lagSeconds = gauge(
    registry,
    'credit_consumer_lag_seconds',
    'Age of the oldest unconsumed message (from message timestamps)',
    ['group', 'topic', 'partition'],
  );
  const status = gauge(
    registry,
    'credit_consumer_group_status',
    'Burrow-style status of a consumer group: 1 for its current status, 0 for the others',
    ['group', 'status'],
  );
  const lastSample = gauge(
    registry,
    'credit_consumer_lag_last_sample_timestamp_seconds',
    'When offsets were last sampled successfully (alert when this stops moving)',
  );
  const sampleFailures = gauge(
    registry,
    'credit_consumer_lag_sample_failing',
    '1 while lag samples fail (the figures are then the last good ones)',
  );
  const received = gauge(
    registry,
    'credit_department_records_received_today',
    'Records that first reached the platform today (China date)',
    ['department'],
  );
  const rejected = gauge(registry, 'credit_department_records_rejected_today', 'Records refused today', [
    'department',
    'reason',
  ]);
  const timely = gauge(
    registry,
    'credit_department_double_publicity_timely_ratio',
    'Share of 双公示 records that reached the platform within the deadline (last 30 days)',
    ['department'],
  );
  const silentDays = gauge(
    registry,
    'credit_department_silent_days',
    'Days since the department last reported',
    ['department'],
  );
  const silenceAlert = gauge(
    registry,
    'credit_department_silence_alert',
    '1 when the department has been silent far longer than its usual rhythm',
    ['department'],
  );

  return {
    recordLag(snapshot) {
      lagMessages.reset();
      lagSeconds.reset();
      // Groups that went away (deleted, no longer watched) must not keep their last status for ever.
      status.reset();
      lastSample.set(snapshot.at / 1000);
      sampleFailures.set(0);
      for (const group of snapshot.groups) {
        for (const value of STATUS_SEVERITY)
          status.set({ group: group.groupId, status: value }, value === group.status ? 1 : 0);
        for (const p of group.partitions) {
          const labels = { group: group.groupId, topic: p.topic, partition: String(p.partition) };
          lagMessages.set(labels, Number(p.lag));
          lagSeconds.set(labels, p.lagMs / 1000);
        }
      }
    },
    recordLagFailure() {
      sampleFailures.set(1);
    },
    recordDepartments(today, recent, silences) {
      rejected.reset();
      timely.reset();
      silentDays.reset();
      for (const department of today) {
        received.set({ department: department.department }, department.received);
        for (const [reason, count] of Object.entries(department.rejectedByReason)) {
          rejected.set({ department: department.department, reason }, count);
        }
      }
      for (const department of recent) {
        const share = department.doublePublicity.onTimeShare;
        if (share !== null) timely.set({ department: department.department }, share);
      }
      for (const [department, silence] of silences) {
        if (silence.silentDays !== null) silentDays.set({ department }, silence.silentDays);
        silenceAlert.set({ department }, silence.alert ? 1 : 0);
      }
    },
  };
}
