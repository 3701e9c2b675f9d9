import { defineError } from '@credit/errors';

export const JavaMissing = defineError(
  'INFRA_JAVA_MISSING',
  500,
  'Java 17 or newer is needed to run the Kafka broker: %s. Install OpenJDK 17 (apt-get install -y openjdk-17-jre-headless), or set KAFKA_BROKERS to use a broker you already run.',
);
export const MavenMissing = defineError(
  'INFRA_MAVEN_MISSING',
  500,
  'Apache Maven is needed once to fetch the Kafka broker from Maven Central: %s. Install it (apt-get install -y maven), or set KAFKA_BROKERS.',
);
export const MavenFailed = defineError(
  'INFRA_MAVEN_FAILED',
  500,
  'Maven could not resolve the Kafka broker artifacts (exit %s); see %s. Last lines:\n%s',
);
export const PortTaken = defineError(
  'INFRA_PORT_TAKEN',
  500,
  'port %s (%s) is already taken by a process this project did not start. Stop it, choose another port with %s, or set KAFKA_BROKERS to use that broker.',
);
export const BrokerDidNotStart = defineError(
  'INFRA_KAFKA_DID_NOT_START',
  500,
  'the Kafka broker did not answer within %s s (%s); see %s. Last lines:\n%s',
);
export const StorageFormatFailed = defineError(
  'INFRA_KAFKA_FORMAT_FAILED',
  500,
  'formatting the Kafka storage failed (exit %s). Output:\n%s',
);
export const PostgresUnavailable = defineError(
  'INFRA_POSTGRES_UNAVAILABLE',
  500,
  'PostgreSQL is not available: %s',
);
export const BrokerPortChanged = defineError(
  'INFRA_KAFKA_PORT_CHANGED',
  500,
  'the Kafka broker this project started is running on %s (pid %s), not on %s as now configured: run pnpm infra:down first, or use the port it runs on',
);
export const CertificateFailed = defineError(
  'INFRA_CERTIFICATE_FAILED',
  500,
  'making the Kafka TLS material failed at %s (is openssl installed? apt-get install -y openssl): %s',
);
export const BrokerPredatesSecurity = defineError(
  'INFRA_KAFKA_PREDATES_SECURITY',
  500,
  'the Kafka broker data in %s was made before the broker required TLS, SASL/SCRAM and ACLs (its topics may hold identity numbers in clear). Stop it and start afresh: pnpm infra:down --purge, then pnpm infra:up (the local demo data is made again by pnpm start)',
);
export const PrincipalsFailed = defineError(
  'INFRA_KAFKA_PRINCIPALS_FAILED',
  500,
  'could not set the SCRAM credentials of Kafka principal %s (exit %s): %s',
);
