import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { kafkaSecurityEnv } from '@credit/kit';
import { PrincipalsFailed } from './errors.ts';
import { runKafkaTool } from './kafka-distribution.ts';
import { caFile } from './kafka-tls.ts';
import { KAFKA_RUN_DIR } from './paths.ts';

/**
 * The SCRAM passwords of this machine's principals, made on first use and kept in .run/kafka/principals.json
 * (0600). Production keeps them in its secret store (deploy/k8s) and never in a file of the repository.
 */
const PASSWORDS_FILE = path.join(KAFKA_RUN_DIR, 'principals.json');
export const SCRAM_MECHANISM = 'SCRAM-SHA-512';
const ITERATIONS = 8192;

export function localPasswords(principals: readonly string[]): Record<string, string> {
  const kept: Record<string, string> = existsSync(PASSWORDS_FILE)
    ? (JSON.parse(readFileSync(PASSWORDS_FILE, 'utf8')) as Record<string, string>)
    : {};
  const passwords = { ...kept };
  // base64url: no ',', ']' or '=' that would end the value inside SCRAM-SHA-512=[...,password=...].
  for (const name of principals) passwords[name] ??= randomBytes(24).toString('base64url');
  if (Object.keys(passwords).length !== Object.keys(kept).length) {
    mkdirSync(KAFKA_RUN_DIR, { recursive: true });
    writeFileSync(PASSWORDS_FILE, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
  }
  return passwords;
}

/**
 * The KAFKA_* variables of `principal` on this machine's broker: TLS trusting the local CA, SASL/SCRAM with the
 * password kept for it (or `password`, when the caller holds it already).
 */
export function localKafkaEnv(
  principal: string,
  password: string = localPasswords([principal])[principal]!,
): Record<string, string> {
  return kafkaSecurityEnv({ caFile: caFile(), sasl: { username: principal, password } });
}

/** `--add-scram` arguments of the storage format: the credentials exist before the broker first starts. */
export function formatScramArguments(passwords: Record<string, string>): string[] {
  return Object.entries(passwords).flatMap(([name, password]) => [
    '--add-scram',
    `${SCRAM_MECHANISM}=[name=${name},iterations=${ITERATIONS},password=${password}]`,
  ]);
}

/** The admin's client properties for the distribution's own tools (kafka-configs, kafka-acls, kafka-consumer-groups). */
export function adminClientProperties(admin: string, password: string): string {
  return clientProperties(path.join(KAFKA_RUN_DIR, 'admin.properties'), {
    KAFKA_TLS_CA_FILE: caFile(),
    KAFKA_SASL_USERNAME: admin,
    KAFKA_SASL_PASSWORD: password,
  });
}

/**
 * Writes (0600) the Java client properties of the identity the KAFKA_* variables describe, for the distribution's
 * tools' --command-config; returns the file.
 */
export function clientProperties(file: string, env: Record<string, string | undefined>): string {
  const lines = env.KAFKA_SASL_USERNAME
    ? [
        'security.protocol=SASL_SSL',
        `sasl.mechanism=${env.KAFKA_SASL_MECHANISM ?? SCRAM_MECHANISM}`,
        `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${env.KAFKA_SASL_USERNAME}" password="${env.KAFKA_SASL_PASSWORD ?? ''}";`,
      ]
    : [
        'security.protocol=SSL',
        'ssl.keystore.type=PEM',
        `ssl.keystore.certificate.chain=${pemLine(env.KAFKA_TLS_CERT_FILE)}`,
        `ssl.keystore.key=${pemLine(env.KAFKA_TLS_KEY_FILE)}`,
      ];
  if (env.KAFKA_TLS_CA_FILE)
    lines.push('ssl.truststore.type=PEM', `ssl.truststore.location=${env.KAFKA_TLS_CA_FILE}`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}

/** A PEM file's content as one properties value (line breaks escaped). */
function pemLine(file: string | undefined): string {
  return file ? readFileSync(file, 'utf8').trim().replaceAll('\n', '\\n') : '';
}

/** kafka-configs against the running broker, as the admin. */
function kafkaConfigs(
  brokers: string,
  adminProperties: string,
  args: string[],
): ReturnType<typeof runKafkaTool> {
  return runKafkaTool('kafka.admin.ConfigCommand', [
    '--bootstrap-server',
    brokers,
    '--command-config',
    adminProperties,
    ...args,
  ]);
}

/** Sets (or resets) a principal's SCRAM credential on the running broker, with kafka-configs run as the admin. */
export function setScramCredential(
  brokers: string,
  adminProperties: string,
  principal: string,
  password: string,
): void {
  // kafka-configs reads SCRAM credentials only from --add-config (a --add-config-file turns the mechanism's name
  // into an invalid property), so the password is on its command line for the second the tool runs.
  const result = kafkaConfigs(brokers, adminProperties, [
    '--alter',
    '--add-config',
    `${SCRAM_MECHANISM}=[iterations=${ITERATIONS},password=${password}]`,
    '--entity-type',
    'users',
    '--entity-name',
    principal,
  ]);
  if (result.status !== 0) {
    throw PrincipalsFailed(
      principal,
      String(result.status),
      result.output.replaceAll(password, '***').trim(),
    );
  }
}

/** Removes a principal's SCRAM credential from the running broker (kafka-configs, as the admin). */
export function deleteScramCredential(brokers: string, adminProperties: string, principal: string): void {
  const result = kafkaConfigs(brokers, adminProperties, [
    '--alter',
    '--delete-config',
    SCRAM_MECHANISM,
    '--entity-type',
    'users',
    '--entity-name',
    principal,
  ]);
  if (result.status !== 0) throw PrincipalsFailed(principal, String(result.status), result.output.trim());
}

/** The SCRAM users the broker knows (kafka-configs --describe, as the admin). */
export function scramUsers(brokers: string, adminProperties: string): string[] {
  const result = kafkaConfigs(brokers, adminProperties, ['--describe', '--entity-type', 'users']);
  if (result.status !== 0) throw PrincipalsFailed('(all)', String(result.status), result.output.trim());
  return [...result.output.matchAll(/user-principal '([^']+)'/g)].map((match) => match[1]!).sort();
}
