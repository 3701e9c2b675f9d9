import { CommonEnv, DatabaseEnv, HttpEnv, KafkaEnv, KEY_32_BYTES } from '@credit/kit';

export { decodeKey } from '@credit/kit';

import Type, { type Static } from 'typebox';

export const AggregatorEnv = Type.Object({
  ...CommonEnv,
  ...KafkaEnv,
  ...DatabaseEnv,
  ...HttpEnv,
  CONSUMER_GROUP: Type.String({ default: 'credit-aggregator', description: 'Kafka consumer group id' }),
  INGEST_TOPIC_PREFIX: Type.String({
    default: 'credit.ingest.',
    description:
      'every topic whose name starts with this is a department ingest topic; the rest is the department code',
  }),
  TOPIC_SCAN_MS: Type.Integer({
    minimum: 500,
    default: 10_000,
    description: 'how often the broker is asked for new ingest topics (a department added at run time)',
  }),
  PARTITIONS_CONCURRENTLY: Type.Integer({
    minimum: 1,
    maximum: 256,
    default: 64,
    description:
      "ingest partitions whose batches are read at once; their records share the batch writer's transactions",
  }),
  SESSION_TIMEOUT_MS: Type.Integer({
    minimum: 6000,
    default: 30_000,
    description:
      'Kafka consumer session timeout: how long a dead process holds its partitions before a rebalance',
  }),
  SUBJECT_CHANGES_TOPIC: Type.String({
    default: 'credit.subject-changes',
    description: 'where change events go',
  }),
  DEAD_LETTER_TOPIC: Type.String({ default: 'credit.dlq', description: 'where refused messages go' }),
  SUBJECT_TOKEN_KEY: Type.String({
    pattern: KEY_32_BYTES,
    description:
      "HMAC key (≥ 32 bytes, hex or base64) that turns a natural person's identity number into its token",
  }),
  IDENTITY_ENCRYPTION_KEY: Type.String({
    pattern: KEY_32_BYTES,
    description: 'AES-256-GCM key (32 bytes, hex or base64) for identity numbers at rest',
  }),
  PLATFORM_SEALING_PRIVATE_KEYS: Type.String({
    pattern: '^[A-Za-z0-9_-]{43}(,[A-Za-z0-9_-]{43})*$',
    description:
      "the platform's sealing private keys (X25519, base64url), comma-separated, the current one first: the data keys of identity numbers sealed for any of them open here, and nowhere else",
  }),
  SIGNING_KEYS_REFRESH_MS: Type.Integer({
    minimum: 1000,
    default: 30_000,
    description:
      "how often the departments' signing keys are read again (a revocation takes effect within this)",
  }),
  EXPIRY_SWEEP_MS: Type.Integer({
    minimum: 1000,
    default: 3_600_000,
    description: 'how often records whose disclosure window has closed are marked expired',
  }),
});

export type AggregatorConfig = Static<typeof AggregatorEnv>;
