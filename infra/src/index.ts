export { type InfraReport, infraDown, infraStatus, infraUp } from './infra.ts';
export { kafkaClasspath, kafkaVersion } from './kafka-broker.ts';
export { LOG_DIR, ROOT, RUN_DIR } from './paths.ts';
export { canConnect, ensureDatabase } from './postgres.ts';
export { portIsOpen } from './processes.ts';
export { type LocalSecrets, localSecrets } from './secrets.ts';
export { type InfraState, readState, requireInfrastructure } from './state.ts';
export { resolveTestInfra, type TestInfra } from './test-infra.ts';
export { ingestTopic, platformTopics } from './topics.ts';
