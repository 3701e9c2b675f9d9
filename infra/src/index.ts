export {
  type DedicatedPostgres,
  type DedicatedPostgresOptions,
  startDedicatedPostgres,
} from './dedicated-postgres.ts';
export { type InfraReport, infraDown, infraStatus, infraUp } from './infra.ts';
export { reconcileAcls } from './kafka-access-sync.ts';
export { stopBroker } from './kafka-broker.ts';
export { kafkaClasspath, kafkaVersion } from './kafka-distribution.ts';
export {
  adminClientProperties,
  clientProperties,
  deleteScramCredential,
  localPasswords,
  scramUsers,
  setScramCredential,
} from './kafka-principals.ts';
export { caFile, issueClientCertificate } from './kafka-tls.ts';
export { KAFKA_RUN_DIR, LOG_DIR, POSTGRES_RUN_DIR, ROOT, RUN_DIR } from './paths.ts';
export { canConnect, ensureDatabase, stopEmbedded } from './postgres.ts';
export { portIsOpen, readPid } from './processes.ts';
export { type LocalSecrets, localSecrets, localSecretsOf } from './secrets.ts';
export { ensureLocalSigningKeys, LOCAL_KEYS_DIR } from './signing-keys.ts';
export { type InfraState, kafkaEnvFor, kafkaSecurityFor, readState, requireInfrastructure } from './state.ts';
export { resolveTestInfra, type TestInfra } from './test-infra.ts';
export { departmentTopics, departmentTopicTemplates, platformTopics } from './topics.ts';
