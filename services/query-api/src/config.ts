import { CommonEnv, DatabaseEnv, HttpEnv, KafkaEnv, KEY_32_BYTES } from '@credit/kit';
import Type, { type Static } from 'typebox';

export const QueryEnv = Type.Object({
  ...CommonEnv,
  ...KafkaEnv,
  ...DatabaseEnv,
  ...HttpEnv,
  CONSUMER_GROUP: Type.String({
    default: 'credit-query-api',
    description: 'Kafka consumer group of the change feed',
  }),
  SUBJECT_CHANGES_TOPIC: Type.String({
    default: 'credit.subject-changes',
    description: "the aggregator's subject changes (followed into the public change feed)",
  }),
  LIST_CHANGES_TOPIC: Type.String({
    default: 'credit.list-changes',
    description: "the list service's entry changes (followed into the public change feed)",
  }),
  DEAD_LETTER_TOPIC: Type.String({ default: 'credit.dlq', description: 'where refused messages go' }),
  SUBJECT_TOKEN_KEY: Type.String({
    pattern: KEY_32_BYTES,
    description:
      "the aggregator's HMAC key: a lookup by a resident identity number finds the person by its token",
  }),
  QUERY_API_CLIENTS: Type.String({
    description:
      'JSON array of authorised clients: [{"token": "<≥ 24 chars>", "actor": "<id>", "roles": [scopes: "history" | "report" | "check" | "audit"], "department": "<catalogue department code>"?}]',
  }),
  SANCTIONS_URL: Type.String({
    default: 'http://127.0.0.1:8084',
    description: 'the sanctions service, which answers the check (POST /v1/checks)',
  }),
  SANCTIONS_TOKEN: Type.String({
    minLength: 24,
    description:
      "the query API's own approval-system token at the sanctions service (one of SANCTIONS_API_TOKENS)",
  }),
  PUBLIC_BASE_URL: Type.String({
    default: 'http://127.0.0.1:8085',
    description: 'where the public reaches this API; printed on credit reports as the verification address',
  }),
  PUBLIC_RATE_LIMIT: Type.Integer({
    minimum: 1,
    default: 120,
    description: 'public requests per IP address per minute',
  }),
  CLIENT_RATE_LIMIT: Type.Integer({
    minimum: 1,
    default: 6000,
    description: 'authorised requests per client per minute',
  }),
  SEARCH_CONCURRENCY: Type.Integer({
    minimum: 1,
    default: 4,
    description:
      'name searches and list pages running at once, each on a connection of their own pool (its size)',
  }),
  SEARCH_QUEUE: Type.Integer({
    minimum: 0,
    default: 16,
    description: 'searches waiting for a turn (up to 2 s); beyond, 503 QUERY_BUSY with Retry-After',
  }),
  SEARCH_STATEMENT_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    default: 3_000,
    description:
      'statement_timeout of the search pool: a search running longer answers 400 QUERY_SEARCH_TOO_BROAD',
  }),
  TRUST_PROXY: Type.Boolean({
    default: false,
    description: 'behind a trusted proxy (ingress): per-IP limits use X-Forwarded-For',
  }),
  AUDIT_FLUSH_MS: Type.Integer({
    minimum: 100,
    default: 2_000,
    description:
      'how often aggregated public queries are written to the audit log (counts not yet written are lost in a crash)',
  }),
});

export type QueryConfig = Static<typeof QueryEnv>;
