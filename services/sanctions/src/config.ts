import { SANCTION_FEEDBACK_TOPIC_PREFIX, SANCTION_ORDERS_TOPIC_PREFIX } from '@credit/catalogue';
import { CommonEnv, DatabaseEnv, HttpEnv, KafkaEnv, KEY_32_BYTES } from '@credit/kit';
import Type, { type Static } from 'typebox';

export const SanctionsEnv = Type.Object({
  ...CommonEnv,
  ...KafkaEnv,
  ...DatabaseEnv,
  ...HttpEnv,
  CONSUMER_GROUP: Type.String({ default: 'credit-sanctions', description: 'Kafka consumer group id' }),
  LIST_CHANGES_TOPIC: Type.String({
    default: 'credit.list-changes',
    description: 'the list service’s entry changes',
  }),
  SANCTION_ORDERS_TOPIC_PREFIX: Type.String({
    default: SANCTION_ORDERS_TOPIC_PREFIX,
    description:
      "an implementing department's orders go to <prefix><department code> (key = department code)",
  }),
  SANCTION_FEEDBACK_TOPIC_PREFIX: Type.String({
    default: SANCTION_FEEDBACK_TOPIC_PREFIX,
    description:
      'departments that answer over Kafka write to <prefix><department code>; every such topic is read',
  }),
  TOPIC_SCAN_MS: Type.Integer({
    minimum: 500,
    default: 30_000,
    description: "how often the broker is asked for new departments' feedback topics",
  }),
  DEAD_LETTER_TOPIC: Type.String({ default: 'credit.dlq', description: 'where refused messages go' }),
  SUBJECT_TOKEN_KEY: Type.String({
    pattern: KEY_32_BYTES,
    description: "the aggregator's HMAC key: a check by a resident identity number looks up its token",
  }),
  SANCTIONS_API_TOKENS: Type.String({
    description:
      'JSON array of API clients: [{"token": "<≥ 24 chars>", "actor": "<id>", "roles": ["department" | "approval-system" | "office"], "department": "<catalogue department code>"}]',
  }),
});

export type SanctionsConfig = Static<typeof SanctionsEnv>;
