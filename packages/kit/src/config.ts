import Type, { type Static, type TObject, type TSchema } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Typed configuration from the environment, validated once at start-up. A schema describes each variable
 * (its `description` is repeated in the error), and `loadConfig` fails with one message that lists every
 * missing or malformed variable, so an operator fixes them all in one go.
 */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export type Env = Record<string, string | undefined>;

export function loadConfig<Schema extends TObject>(schema: Schema, env: Env = process.env): Static<Schema> {
  const required = new Set<string>((schema as { required?: string[] }).required ?? []);
  const config: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, property] of Object.entries(schema.properties) as [string, TSchema][]) {
    const raw = env[name]?.trim();
    // An empty variable is treated as unset, so `FOO= service` falls back to the default or is reported missing.
    if (raw === undefined || raw === '') {
      const fallback = (property as { default?: unknown }).default;
      if (fallback !== undefined) config[name] = fallback;
      else if (required.has(name)) problems.push(`${name} is missing (${describe(property)})`);
      continue;
    }
    const value = Value.Convert(property, raw);
    if (Value.Check(property, value)) config[name] = value;
    else problems.push(`${name} ${expectation(property)}, got '${raw}' (${describe(property)})`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as Static<Schema>;
}

function expectation(property: TSchema): string {
  const choices = (property as { anyOf?: { const?: unknown }[] }).anyOf?.map((option) => option.const);
  if (choices?.every((choice) => choice !== undefined)) return `must be one of ${choices.join(', ')}`;
  const { type, pattern, minimum, maximum } = property as {
    type?: string;
    pattern?: string;
    minimum?: number;
    maximum?: number;
  };
  if (type === 'integer' || type === 'number') {
    const range = minimum !== undefined && maximum !== undefined ? ` from ${minimum} to ${maximum}` : '';
    return `must be ${type === 'integer' ? 'an integer' : 'a number'}${range}`;
  }
  if (pattern !== undefined) return `must match ${pattern}`;
  return 'is malformed';
}

function describe(property: TSchema | undefined): string {
  return (property as { description?: string } | undefined)?.description ?? 'no description';
}

/** Common variable definitions, composed into each service's own schema. */
export const CommonEnv = {
  SERVICE_NAME: Type.Optional(Type.String({ description: 'name used in logs and metrics' })),
  LOG_LEVEL: Type.Union(
    [
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ],
    { default: 'info', description: 'pino log level: fatal, error, warn, info, debug, trace or silent' },
  ),
};

export const KafkaEnv = {
  KAFKA_BROKERS: Type.String({
    pattern: '^[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*$',
    description: 'Kafka bootstrap servers, comma-separated host:port',
  }),
  KAFKA_CLIENT_ID: Type.Optional(
    Type.String({ description: 'Kafka client id; defaults to the service name' }),
  ),
  KAFKA_SASL_MECHANISM: Type.Union([Type.Literal('SCRAM-SHA-512'), Type.Literal('SCRAM-SHA-256')], {
    default: 'SCRAM-SHA-512',
    description: 'SASL mechanism when authenticating with a password',
  }),
  KAFKA_SASL_USERNAME: Type.Optional(
    Type.String({ description: 'the Kafka principal (SASL/SCRAM over TLS), e.g. service.aggregator' }),
  ),
  KAFKA_SASL_PASSWORD: Type.Optional(Type.String({ description: "the principal's SCRAM password" })),
  KAFKA_TLS_CA_FILE: Type.Optional(
    Type.String({
      description: "PEM file of the CA that signed the brokers' certificates (default: system CAs)",
    }),
  ),
  KAFKA_TLS_CERT_FILE: Type.Optional(
    Type.String({
      description: 'mTLS instead of a password: PEM client certificate whose CN is the principal',
    }),
  ),
  KAFKA_TLS_KEY_FILE: Type.Optional(
    Type.String({ description: 'mTLS: PEM private key of that certificate' }),
  ),
};

export const DatabaseEnv = {
  DATABASE_URL: Type.String({
    pattern: '^postgres(ql)?://',
    description: 'PostgreSQL connection URL, postgresql://user@host:port/database',
  }),
};

export const HttpEnv = {
  HTTP_HOST: Type.String({ default: '127.0.0.1', description: 'address the HTTP server listens on' }),
  HTTP_PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    description: 'TCP port of the HTTP server (0 = any free port)',
  }),
};

export function brokersOf(value: string): string[] {
  return value
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
}

/** A secret key of at least 32 bytes, as hex (64+ characters) or base64: the pattern for its variable. */
export const KEY_32_BYTES = '^(?:[0-9a-fA-F]{64,}|[A-Za-z0-9+/]{43,}={0,2})$';

/** A key given as hex (64+ characters) or base64. */
export function decodeKey(text: string): Buffer {
  return /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0
    ? Buffer.from(text, 'hex')
    : Buffer.from(text, 'base64');
}
