import { CommonEnv, DatabaseEnv, HttpEnv, KafkaEnv } from '@credit/kit';
import Type, { type Static } from 'typebox';

export const GatewayEnv = Type.Object({
  ...CommonEnv,
  ...KafkaEnv,
  ...DatabaseEnv,
  ...HttpEnv,
  BATCH_MAX_RECORDS: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    default: 1000,
    description: 'records per :batch request',
  }),
  BODY_LIMIT_BYTES: Type.Integer({
    minimum: 1024,
    default: 8 * 1024 * 1024,
    description: 'largest request body accepted, in bytes',
  }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({
    minimum: 1,
    default: 120_000,
    description: 'requests per department per minute',
  }),
  PRODUCE_TIMEOUT_MS: Type.Integer({
    minimum: 1000,
    default: 10_000,
    description:
      'longest wait for Kafka to acknowledge a request’s records; beyond it the request is answered 503 retry (a broker that is down would otherwise hold it for the client’s retries, a minute or more)',
  }),
  KEY_CACHE_SECONDS: Type.Integer({
    minimum: 0,
    default: 30,
    description: 'how long a verified API key is trusted without asking the database (revocation delay)',
  }),
  GATEWAY_WORKERS: Type.Integer({
    minimum: 1,
    maximum: 64,
    default: 1,
    description: 'processes serving the port (node:cluster); validation is CPU-bound, so up to one per core',
  }),
  INGEST_TOPIC_TEMPLATE: Type.String({
    default: 'credit.ingest.{department}',
    pattern: '\\{department\\}',
    description: "name of a department's ingest topic; {department} is replaced by its catalogue code",
  }),
  SIGNING_KEYS_DIR: Type.String({
    description:
      "directory of the departments' signing keys the gateway holds for HTTPS reporters: <department code>.pem (PKCS#8, Ed25519 or SM2), each registered in the catalogue (credit signing-keys)",
  }),
  PLATFORM_SEALING_PUBLIC_KEY: Type.String({
    pattern: '^[A-Za-z0-9_-]{43}$',
    description: "the platform's sealing public key (X25519, base64url): identity numbers are sealed for it",
  }),
  TLS_CERT_FILE: Type.Optional(Type.String({ description: 'serve HTTPS with this certificate (PEM)' })),
  TLS_KEY_FILE: Type.Optional(Type.String({ description: 'private key of TLS_CERT_FILE (PEM)' })),
  TLS_CLIENT_CA_FILE: Type.Optional(
    Type.String({ description: 'CA (PEM) whose client certificates authenticate departments (mTLS)' }),
  ),
});

export type GatewayConfig = Static<typeof GatewayEnv>;
