import { createMetricsRegistry } from '@credit/kit';
import { describe, expect, it } from 'vitest';
import type { GroupSnapshot } from '../src/lag.ts';
import { createOpsMetrics } from '../src/metrics.ts';

const group = (groupId: string, status: GroupSnapshot['status']): GroupSnapshot => ({
  groupId,
  state: 'Stable',
  status,
  totalLag: 0n,
  maxLagMs: 0,
  partitions: [],
});

describe('ops metrics', () => {
  it('forgets a group that went away instead of keeping its last status for ever', async () => {
    const registry = createMetricsRegistry('metrics-test', { defaults: false });
    const metrics = createOpsMetrics(registry);
    metrics.recordLag({ at: 1_000, groups: [group('credit-gone', 'STOP'), group('credit-stays', 'OK')] });
    expect(await registry.metrics()).toContain('group="credit-gone",status="STOP"');
    metrics.recordLag({ at: 2_000, groups: [group('credit-stays', 'OK')] });
    const text = await registry.metrics();
    expect(text).not.toContain('credit-gone');
    expect(text).toContain('credit_consumer_lag_last_sample_timestamp_seconds{service="metrics-test"} 2');
  });

  it('says when sampling fails, so the last good figures are not taken for current ones', async () => {
    const registry = createMetricsRegistry('metrics-test', { defaults: false });
    const metrics = createOpsMetrics(registry);
    metrics.recordLag({ at: 1_000, groups: [] });
    metrics.recordLagFailure();
    expect(await registry.metrics()).toContain(
      'credit_consumer_lag_sample_failing{service="metrics-test"} 1',
    );
  });
});
