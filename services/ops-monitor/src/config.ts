import { CommonEnv, DatabaseEnv, HttpEnv, KafkaEnv } from '@credit/kit';
import Type, { type Static } from 'typebox';

export const OpsMonitorEnv = Type.Object({
  ...CommonEnv,
  ...KafkaEnv,
  ...DatabaseEnv,
  ...HttpEnv,
  CONSUMER_GROUP: Type.String({
    default: 'credit-ops-monitor-dlq',
    description: 'consumer group of the dead-letter index',
  }),
  DEAD_LETTER_TOPIC: Type.String({ default: 'credit.dlq', description: 'the platform’s dead-letter topic' }),
  REPLAY_TOPICS: Type.String({
    default: 'credit.ingest.%',
    description:
      "comma-separated LIKE patterns of the topics a dead-letter replay may write to (a dead letter names its source only in its headers). Departments' ingest topics only: the aggregator accepts a replayed record only when its department's signature still verifies, while a replay to an internal topic would speak for the service that owns it (the broker's ACLs refuse it anyway)",
  }),
  OPS_API_TOKENS: Type.String({
    description:
      'JSON array of operators: [{"token": "<≥ 24 chars>", "actor": "<id>", "roles": ["viewer" | "operator"]}]; reading dead letters needs a token, replaying them the role operator',
  }),
  GROUP_PREFIX: Type.String({
    default: 'credit-',
    description: 'consumer groups whose id starts with this are the platform’s and are watched',
  }),
  LAG_SAMPLE_MS: Type.Integer({
    minimum: 200,
    default: 10_000,
    description: 'how often offsets are sampled',
  }),
  LAG_STOP_AFTER_MS: Type.Integer({
    minimum: 1000,
    default: 300_000,
    description: 'a partition whose committed offset has not moved this long while it has lag is STOP',
  }),
  DEPARTMENTS_REFRESH_MS: Type.Integer({
    minimum: 1000,
    default: 60_000,
    description: 'how often the per-department figures behind /metrics are recomputed',
  }),
  LAG_WINDOW: Type.Integer({
    minimum: 3,
    default: 10,
    description: 'samples in the sliding window a group’s status is judged over (Burrow’s window)',
  }),
  TIMELINESS_COUNTING: Type.Union([Type.Literal('working-days'), Type.Literal('calendar-days')], {
    default: 'working-days',
    description:
      'how the 双公示 deadline is counted in this jurisdiction: working days (holiday file) or calendar days',
  }),
  TIMELINESS_BY_REGION: Type.String({
    default: '{}',
    description:
      'JSON: rules of jurisdictions that differ, by 6-digit division code (province 350000, city 350100, county 350102), e.g. {"350100": {"counting": "calendar-days", "deadlineDays": 7}}',
  }),
  TIMELINESS_DAYS: Type.Integer({
    minimum: 1,
    default: 7,
    description: 'days after the decision date within which a 双公示 record must reach the platform',
  }),
});

export type OpsMonitorConfig = Static<typeof OpsMonitorEnv>;
