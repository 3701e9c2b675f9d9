import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TopicSpec } from '@credit/kit';
import { ROOT } from './paths.ts';

interface TopicsFile {
  topics: (TopicSpec & { doc: string })[];
  ingest: { prefix: string; partitions: number; configs: Record<string, string> };
}

const file = JSON.parse(readFileSync(path.join(ROOT, 'infra', 'topics.json'), 'utf8')) as TopicsFile;

/** The platform's own topics, from infra/topics.json. */
export function platformTopics(): TopicSpec[] {
  return file.topics.map(({ name, partitions, configs }) => ({ name, partitions, configs }));
}

/** The ingest topic of one department: credit.ingest.<department code>. */
export function ingestTopic(departmentCode: string): TopicSpec {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(departmentCode)) {
    throw new Error(`department code '${departmentCode}' must be lower-case letters, digits and hyphens`);
  }
  return {
    name: `${file.ingest.prefix}${departmentCode}`,
    partitions: file.ingest.partitions,
    configs: file.ingest.configs,
  };
}

export const INGEST_TOPIC_PREFIX = file.ingest.prefix;
