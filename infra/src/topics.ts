import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ingestTopicName } from '@credit/catalogue';
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

/**
 * The ingest topic of one department: its name from the catalogue (credit.ingest.<department code>, which also
 * checks the code), its partitions and configs from infra/topics.json.
 */
export function ingestTopic(departmentCode: string): TopicSpec {
  return {
    name: ingestTopicName(departmentCode),
    partitions: file.ingest.partitions,
    configs: file.ingest.configs,
  };
}
