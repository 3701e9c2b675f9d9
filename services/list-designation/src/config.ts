import { CommonEnv, DatabaseEnv, HttpEnv, KafkaEnv } from '@credit/kit';
import Type, { type Static } from 'typebox';

export const ListDesignationEnv = Type.Object({
  ...CommonEnv,
  ...KafkaEnv,
  ...DatabaseEnv,
  ...HttpEnv,
  CONSUMER_GROUP: Type.String({ default: 'credit-list-designation', description: 'Kafka consumer group id' }),
  SUBJECT_CHANGES_TOPIC: Type.String({
    default: 'credit.subject-changes',
    description: 'the aggregator’s change events; each names a subject to re-evaluate',
  }),
  LIST_CHANGES_TOPIC: Type.String({
    default: 'credit.list-changes',
    description: 'where every entry creation and transition is announced (key = subject code)',
  }),
  DEAD_LETTER_TOPIC: Type.String({ default: 'credit.dlq', description: 'where refused messages go' }),
  EXPIRY_SWEEP_MS: Type.Integer({
    minimum: 1000,
    default: 600_000,
    description:
      'how often entries at the end of their validity are expired (and black exits moved to watch)',
  }),
  BACKFILL_ON_RULES_CHANGE: Type.Boolean({
    default: true,
    description: 'at start, re-evaluate every subject when the rules version differs from the last full run',
  }),
  TIMELY_WORKING_DAYS: Type.Integer({
    minimum: 1,
    default: 7,
    description:
      'a designation must reach the platform within this many working days of its designation date',
  }),
  LIST_API_TOKENS: Type.String({
    description:
      'JSON array of API clients: [{"token": "<≥ 24 chars>", "actor": "<id>", "roles": ["reviewer" | "designator" | "objection-desk" | "admin"], "department": "<catalogue department code, designators>"}]',
  }),
});

export type ListDesignationConfig = Static<typeof ListDesignationEnv>;
