import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INGEST_TOPIC_PREFIX, ingestTopicName, loadCatalogue } from '../src/index.ts';
import { codedErrorOf } from './helpers.ts';

describe('ingest topics', () => {
  it('uses the prefix infra/topics.json declares for department ingest topics', () => {
    const topics = JSON.parse(
      readFileSync(new URL('../../../infra/topics.json', import.meta.url), 'utf8'),
    ) as {
      ingest: { prefix: string };
    };
    expect(INGEST_TOPIC_PREFIX).toBe(topics.ingest.prefix);
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
