import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ingestTopicName } from '@credit/catalogue';
import type { TopicSpec } from '@credit/kit';
import { ROOT } from './paths.ts';

interface Retention {
  /** Days of retention that override the file's, e.g. KAFKA_INGEST_RETENTION_DAYS. */
  retentionVariable?: string;
}

interface TopicsFile {
  topics: (TopicSpec & Retention & { doc: string })[];
  perDepartment: ({
    template: string;
    partitions: number;
    configs: Record<string, string>;
    doc: string;
  } & Retention)[];
}

const file = JSON.parse(readFileSync(path.join(ROOT, 'infra', 'topics.json'), 'utf8')) as TopicsFile;

function withRetention(
  configs: Record<string, string> | undefined,
  variable: string | undefined,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const days = variable ? env[variable]?.trim() : undefined;
  if (!days) return { ...configs };
  if (!/^[1-9]\d{0,4}$/.test(days))
    throw new Error(`${variable} must be a whole number of days, got '${days}'`);
  return { ...configs, 'retention.ms': String(Number(days) * 86_400_000) };
}

/** The platform's own topics, from infra/topics.json (retention overridden from the environment). */
export function platformTopics(env: NodeJS.ProcessEnv = process.env): TopicSpec[] {
  return file.topics.map(({ name, partitions, configs, retentionVariable }) => ({
    name,
    partitions,
    configs: withRetention(configs, retentionVariable, env),
  }));
}

/**
 * The topics of one department: its ingest topic (credit.ingest.<code>, whose name the catalogue checks), its
 * sanction orders and its feedback, with partitions and configs from infra/topics.json.
 */
export function departmentTopics(departmentCode: string, env: NodeJS.ProcessEnv = process.env): TopicSpec[] {
  ingestTopicName(departmentCode);
  return file.perDepartment.map(({ template, partitions, configs, retentionVariable }) => ({
    name: template.replaceAll('{department}', departmentCode),
    partitions,
    configs: withRetention(configs, retentionVariable, env),
  }));
}

/** Topic templates as written (`credit.ingest.{department}`), for checks of the access table. */
export function departmentTopicTemplates(): string[] {
  return file.perDepartment.map((topic) => topic.template);
}
