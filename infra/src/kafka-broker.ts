import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createKafkajsBus, type KafkaSecurity, kafkaSecurityFrom, type Logger } from '@credit/kit';
import {
  BrokerDidNotStart,
  BrokerPortChanged,
  BrokerPredatesSecurity,
  PortTaken,
  StorageFormatFailed,
} from './errors.ts';
import { checkJava, ensureArtifacts, kafkaClasspath, kafkaVersion } from './kafka-distribution.ts';
import { formatScramArguments, localKafkaEnv } from './kafka-principals.ts';
import { ensureBrokerTls } from './kafka-tls.ts';
import { KAFKA_PROJECT_DIR, KAFKA_RUN_DIR, LOG_DIR } from './paths.ts';
import {
  isAlive,
  lastLines,
  portIsOpen,
  readPid,
  run,
  sleep,
  startDetached,
  stopProcess,
} from './processes.ts';

export { kafkaClasspath, kafkaVersion } from './kafka-distribution.ts';

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one JVM), on loopback, from the
 * official artifacts on Maven Central, secured as production is: clients connect over TLS only, authenticated
 * with SASL/SCRAM-SHA-512 (KAFKA_PORT) or a client certificate (KAFKA_MTLS_PORT); the standard ACL authorizer
 * denies whatever no ACL allows. The broker's own traffic (inter-broker, controller) is mTLS with its certificate.
 */
export interface BrokerSettings {
  port: number;
  mtlsPort: number;
  controllerPort: number;
  heap: string;
}

export function brokerSettingsFrom(env: NodeJS.ProcessEnv): BrokerSettings {
  const port = Number(env.KAFKA_PORT ?? 9092);
  return {
    port,
    mtlsPort: Number(env.KAFKA_MTLS_PORT ?? port + 2),
    controllerPort: Number(env.KAFKA_CONTROLLER_PORT ?? port + 1),
    heap: env.KAFKA_HEAP ?? '768m',
  };
}

/** Who the broker is and who administers it (data/access.yaml of @credit/kafka-access). */
export interface BrokerIdentities {
  broker: string;
  admin: string;
  /** SCRAM passwords of every principal: the storage format writes them before the first start. */
  passwords: Record<string, string>;
}

const PID_FILE = path.join(KAFKA_RUN_DIR, 'kafka.pid');
const PORT_FILE = path.join(KAFKA_RUN_DIR, 'kafka.port');
const DATA_DIR = path.join(KAFKA_RUN_DIR, 'data');
/** Written once the storage is formatted with TLS, SCRAM and ACLs: data without it predates them. */
const SECURED_MARKER = path.join(KAFKA_RUN_DIR, 'secured');
const CONFIG_FILE = path.join(KAFKA_RUN_DIR, 'server.properties');
const LOG_FILE = path.join(LOG_DIR, 'kafka.log');

function serverProperties(
  settings: BrokerSettings,
  identities: BrokerIdentities,
  tls: { caFile: string; keystoreFile: string },
): string {
  return `# Written by infra/src/kafka-broker.ts on each start; edit that file, not this one.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${settings.controllerPort}
# No plaintext listener: SASL/SCRAM over TLS for passwords, TLS with client certificates (mTLS), and the
# controller on loopback, also mTLS (its only client is this broker).
listeners=SASL_SSL://127.0.0.1:${settings.port},SSL://127.0.0.1:${settings.mtlsPort},CONTROLLER://127.0.0.1:${settings.controllerPort}
advertised.listeners=SASL_SSL://127.0.0.1:${settings.port},SSL://127.0.0.1:${settings.mtlsPort}
listener.security.protocol.map=SASL_SSL:SASL_SSL,SSL:SSL,CONTROLLER:SSL
controller.listener.names=CONTROLLER
inter.broker.listener.name=SSL
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PEM
ssl.keystore.location=${tls.keystoreFile}
ssl.truststore.type=PEM
ssl.truststore.location=${tls.caFile}
listener.name.ssl.ssl.client.auth=required
listener.name.controller.ssl.client.auth=required
ssl.enabled.protocols=TLSv1.3,TLSv1.2
# A certificate whose subject is exactly CN=<name> is the principal <name>; any other subject matches no ACL.
ssl.principal.mapping.rules=RULE:^CN=([a-z0-9.-]+)$/$1/,DEFAULT
# Deny by default: only what an ACL allows (generated from packages/kafka-access and the catalogue).
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:${identities.broker};User:${identities.admin}
log.dirs=${DATA_DIR}
# Topics are created by the project with explicit partitions and configs.
auto.create.topics.enable=false
num.partitions=6
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
log.segment.bytes=268435456
message.max.bytes=2097152
`;
}

function formatStorageOnce(identities: BrokerIdentities): void {
  if (existsSync(path.join(DATA_DIR, 'meta.properties'))) return;
  const clusterId = run('java', ['-cp', kafkaClasspath(), 'kafka.tools.StorageTool', 'random-uuid'])
    .output.trim()
    .split('\n')
    .pop();
  const result = run('java', [
    '-cp',
    kafkaClasspath(),
    'kafka.tools.StorageTool',
    'format',
    '--ignore-formatted',
    '-t',
    clusterId ?? '',
    '-c',
    CONFIG_FILE,
    // Every principal's credential exists before the first start, so the admin can connect at once.
    ...formatScramArguments(identities.passwords),
  ]);
  if (result.status !== 0) throw StorageFormatFailed(String(result.status), redactScram(result.output));
  writeFileSync(SECURED_MARKER, `${new Date().toISOString()}\n`);
}

/** The format tool echoes its bootstrap records; salts and keys stay out of error messages. */
function redactScram(output: string): string {
  return output.replace(/UserScramCredentialRecord\([^)]*\)/g, 'UserScramCredentialRecord(…)');
}

async function answers(brokers: string, security: KafkaSecurity, logger: Logger): Promise<boolean> {
  const bus = createKafkajsBus({
    brokers: [brokers],
    clientId: 'infra-probe',
    security,
    logger: logger.child({}, { level: 'silent' }),
    connectionTimeoutMs: 1_000,
    requestTimeoutMs: 3_000,
    retries: 0,
  });
  try {
    const admin = await bus.admin();
    try {
      await admin.ping();
      return true;
    } finally {
      await admin.disconnect();
    }
  } catch {
    return false;
  }
}

export interface BrokerStatus {
  running: boolean;
  pid: number | null;
  answering: boolean;
  brokers: string;
}

/** The broker this run directory started, on the port it was started with (not necessarily today's setting). */
export async function brokerStatus(
  settings: BrokerSettings,
  security: KafkaSecurity | null,
  logger: Logger,
): Promise<BrokerStatus> {
  const pid = readPid(PID_FILE);
  const running = isAlive(pid);
  const port = running && existsSync(PORT_FILE) ? Number(readFileSync(PORT_FILE, 'utf8')) : settings.port;
  const brokers = `127.0.0.1:${port}`;
  return {
    running,
    pid: running ? pid : null,
    answering: running && security !== null && (await answers(brokers, security, logger)),
    brokers,
  };
}

/**
 * Idempotent: returns at once when our broker already answers the admin. Returns the admin's client security too
 * (the CA exists only once the broker's TLS is made).
 */
export async function startBroker(
  settings: BrokerSettings,
  identities: BrokerIdentities,
  logger: Logger,
  timeoutS = 90,
): Promise<{ brokers: string; mtlsBrokers: string; adminSecurity: KafkaSecurity }> {
  const brokers = `127.0.0.1:${settings.port}`;
  const mtlsBrokers = `127.0.0.1:${settings.mtlsPort}`;
  const formatted = existsSync(path.join(DATA_DIR, 'meta.properties'));
  if (formatted && !existsSync(SECURED_MARKER)) throw BrokerPredatesSecurity(KAFKA_RUN_DIR);
  const tls = ensureBrokerTls(identities.broker);
  const adminSecurity = kafkaSecurityFrom(
    localKafkaEnv(identities.admin, identities.passwords[identities.admin]),
  );
  const current = await brokerStatus(settings, adminSecurity, logger);
  if (current.running && current.brokers !== brokers) {
    throw BrokerPortChanged(current.brokers, String(current.pid), brokers);
  }
  if (current.running && tls.renewed) {
    logger.info('the broker certificate was renewed: restarting the broker');
    await stopProcess(PID_FILE);
  } else if (current.answering) {
    logger.info({ brokers, pid: current.pid }, 'Kafka broker already running');
    return { brokers, mtlsBrokers, adminSecurity };
  }
  if (!isAlive(readPid(PID_FILE))) {
    for (const [port, role, variable] of [
      [settings.port, 'Kafka broker (SASL_SSL)', 'KAFKA_PORT'],
      [settings.mtlsPort, 'Kafka broker (mTLS)', 'KAFKA_MTLS_PORT'],
      [settings.controllerPort, 'Kafka controller', 'KAFKA_CONTROLLER_PORT'],
    ] as const) {
      if (await portIsOpen(port)) throw PortTaken(String(port), role, variable);
    }
    checkJava();
    ensureArtifacts(logger);
    mkdirSync(DATA_DIR, { recursive: true });
    mkdirSync(LOG_DIR, { recursive: true });
    writeFileSync(CONFIG_FILE, serverProperties(settings, identities, tls), { mode: 0o600 });
    formatStorageOnce(identities);
    const pid = startDetached(
      'java',
      [
        `-Xms256m`,
        `-Xmx${settings.heap}`,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${path.join(KAFKA_PROJECT_DIR, 'log4j2.properties')}`,
        '-cp',
        kafkaClasspath(),
        'kafka.Kafka',
        CONFIG_FILE,
      ],
      LOG_FILE,
      PID_FILE,
      KAFKA_RUN_DIR,
    );
    writeFileSync(PORT_FILE, String(settings.port));
    logger.info(
      { pid, version: kafkaVersion(), log: LOG_FILE },
      'Kafka broker starting (KRaft mode, TLS + SASL/SCRAM + ACLs)',
    );
  }
  const deadline = Date.now() + timeoutS * 1000;
  while (Date.now() < deadline) {
    if (await answers(brokers, adminSecurity, logger)) {
      logger.info({ brokers, mtlsBrokers }, 'Kafka broker answers');
      return { brokers, mtlsBrokers, adminSecurity };
    }
    if (!isAlive(readPid(PID_FILE)))
      throw BrokerDidNotStart(String(timeoutS), 'the process exited', LOG_FILE, lastLines(LOG_FILE));
    await sleep(500);
  }
  throw BrokerDidNotStart(String(timeoutS), 'still not answering', LOG_FILE, lastLines(LOG_FILE));
}

export function stopBroker(): ReturnType<typeof stopProcess> {
  return stopProcess(PID_FILE);
}
