import { loadKafkaAccess } from '@credit/kafka-access';
import { describe, expect, it } from 'vitest';
import { departmentTopics, departmentTopicTemplates, platformTopics } from '../src/topics.ts';

/** A department's ingest topic, among the topics departmentTopics gives it. */
function ingestTopic(code: string, env?: NodeJS.ProcessEnv) {
  return departmentTopics(code, env).find((topic) => topic.name === `credit.ingest.${code}`);
}

describe('topic definitions', () => {
  it('lists the platform topics with explicit partitions and a retention', () => {
    const topics = platformTopics({});
    expect(topics.map((t) => t.name)).toEqual([
      'credit.dlq',
      'credit.subject-changes',
      'credit.list-changes',
    ]);
    for (const topic of topics) {
      expect(topic.partitions).toBeGreaterThan(0);
      expect(topic.configs?.['retention.ms']).toBeDefined();
    }
  });

  it('gives every department its ingest, orders and feedback topics; ingest and dead letters are kept for a finite time', () => {
    expect(departmentTopics('tax', {}).map((topic) => topic.name)).toEqual([
      'credit.ingest.tax',
      'credit.sanction-orders.tax',
      'credit.sanction-feedback.tax',
    ]);
    expect(ingestTopic('market-regulation', {})).toEqual({
      name: 'credit.ingest.market-regulation',
      partitions: 6,
      configs: {
        'retention.ms': String(180 * 86_400_000),
        'cleanup.policy': 'delete',
        'max.message.bytes': '1048576',
        'message.timestamp.type': 'LogAppendTime',
      },
    });
    expect(platformTopics({})[0]!.configs?.['retention.ms']).toBe(String(90 * 86_400_000));
  });

  it('takes the retention of ingest topics and the dead-letter topic from the environment', () => {
    const env = { KAFKA_INGEST_RETENTION_DAYS: '30', KAFKA_DLQ_RETENTION_DAYS: '7' };
    expect(ingestTopic('tax', env)?.configs?.['retention.ms']).toBe(String(30 * 86_400_000));
    expect(platformTopics(env)[0]!.configs?.['retention.ms']).toBe(String(7 * 86_400_000));
    expect(() => ingestTopic('tax', { KAFKA_INGEST_RETENTION_DAYS: 'forever' })).toThrow(
      /KAFKA_INGEST_RETENTION_DAYS must be a whole number of days/,
    );
  });

  it('refuses department codes that would make odd topic names', () => {
    expect(() => ingestTopic('Tax Bureau')).toThrow(/lower-case letters, digits and hyphens/);
    expect(() => departmentTopics('tax.sub')).toThrow();
  });

  it('grants only topics that exist: every topic the access table names is a platform or department topic', () => {
    const literal = new Set(platformTopics({}).map((topic) => topic.name));
    const templates = departmentTopicTemplates();
    const prefixes = templates.map((template) => template.replace('{department}', ''));
    for (const acl of loadKafkaAccess()
      .acls()
      .filter((a) => a.resourceType === 'TOPIC')) {
      if (acl.resourceName === '*') continue;
      const known =
        acl.patternType === 'PREFIXED'
          ? prefixes.includes(acl.resourceName)
          : literal.has(acl.resourceName) || prefixes.some((prefix) => acl.resourceName.startsWith(prefix));
      expect(known, `${acl.principal} ${acl.operation} ${acl.patternType} ${acl.resourceName}`).toBe(true);
    }
  });
});
