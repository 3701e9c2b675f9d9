import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  INGEST_TOPIC_PREFIX,
  ingestTopicName,
  loadCatalogue,
  SANCTION_FEEDBACK_TOPIC_PREFIX,
  SANCTION_ORDERS_TOPIC_PREFIX,
} from '../src/index.ts';
import { codedErrorOf } from './helpers.ts';

describe('department topics', () => {
  it('uses the names infra/topics.json declares for every department', () => {
    const topics = JSON.parse(
      readFileSync(new URL('../../../infra/topics.json', import.meta.url), 'utf8'),
    ) as { perDepartment: { template: string }[] };
    expect(topics.perDepartment.map((topic) => topic.template)).toEqual([
      `${INGEST_TOPIC_PREFIX}{department}`,
      `${SANCTION_ORDERS_TOPIC_PREFIX}{department}`,
      `${SANCTION_FEEDBACK_TOPIC_PREFIX}{department}`,
    ]);
  });

  it('names a department topic after its catalogue code', () => {
    expect(ingestTopicName('market-regulation')).toBe('credit.ingest.market-regulation');
    for (const department of loadCatalogue().departments) {
      expect(ingestTopicName(department.code)).toMatch(/^credit\.ingest\.[a-z0-9-]+$/);
    }
  });

  it('refuses what is not a department code', () => {
    codedErrorOf(() => ingestTopicName('Market Regulation'), 'CATALOGUE_INVALID_DEPARTMENT_CODE');
  });
});
