import { describe, expect, it } from 'vitest';
import { ingestTopic, platformTopics } from '../src/topics.ts';

describe('topic definitions', () => {
  it('lists the platform topics with explicit partitions and retention', () => {
    const topics = platformTopics();
    expect(topics.map((t) => t.name)).toEqual([
      'credit.dlq',
      'credit.subject-changes',
      'credit.list-changes',
      'credit.sanction-orders',
      'credit.sanction-feedback',
    ]);
    for (const topic of topics) {
      expect(topic.partitions).toBeGreaterThan(0);
      expect(topic.configs?.['retention.ms']).toBeDefined();
    }
  });

  it('derives a department ingest topic that keeps its records forever', () => {
    expect(ingestTopic('market-regulation')).toEqual({
      name: 'credit.ingest.market-regulation',
      partitions: 6,
      configs: { 'retention.ms': '-1', 'cleanup.policy': 'delete', 'max.message.bytes': '1048576' },
    });
  });

  it('refuses department codes that would make odd topic names', () => {
    expect(() => ingestTopic('Tax Bureau')).toThrow(/lower-case letters, digits and hyphens/);
    expect(() => ingestTopic('tax.sub')).toThrow();
  });
});
