import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createMetricsRegistry } from '@credit/kit';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createOpsMetrics } from '../src/metrics.ts';

const monitoring = (file: string) =>
  readFileSync(fileURLToPath(new URL(`../../../deploy/monitoring/${file}`, import.meta.url)), 'utf8');

function exported(): Set<string> {
  const registry = createMetricsRegistry('monitoring-files', { defaults: false });
  createOpsMetrics(registry);
  return new Set(registry.getMetricsAsArray().map((metric) => metric.name));
}

const named = (expr: string) => expr.match(/\bcredit_[a-z0-9_]+/g) ?? [];

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string; description: string };
}

describe('deploy/monitoring', () => {
  it('alert rules name only metrics the ops monitor exports, each with a severity and a summary', () => {
    const rules = (parse(monitoring('credit-alerts.yaml')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
      (group) => group.rules,
    );
    expect(rules.length).toBeGreaterThanOrEqual(6);
    const metrics = exported();
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^Credit[A-Za-z]+$/);
      expect(['critical', 'warning', 'info']).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
      expect(rule.for).toMatch(/^\d+[smhd]$/);
      expect(named(rule.expr).length).toBeGreaterThan(0);
      for (const name of named(rule.expr)) expect(metrics, `${rule.alert}: ${name}`).toContain(name);
    }
  });

  it('the Grafana dashboard queries only metrics the ops monitor exports', () => {
    const dashboard = JSON.parse(monitoring('grafana-credit-operations.json')) as {
      uid: string;
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(dashboard.uid).toBe('credit-operations');
    const metrics = exported();
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
    expect(exprs.length).toBe(dashboard.panels.length);
    for (const expr of exprs) {
      expect(named(expr).length).toBeGreaterThan(0);
      for (const name of named(expr)) expect(metrics, expr).toContain(name);
    }
  });
});
