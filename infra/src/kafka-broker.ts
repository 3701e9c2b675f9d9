import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createKafkajsBus, type Logger } from '@credit/kit';
import {
  BrokerDidNotStart,
  BrokerPortChanged,
  JavaMissing,
  MavenFailed,
  MavenMissing,
  PortTaken,
  StorageFormatFailed,
} from './errors.ts';
import { KAFKA_LIB_DIR, KAFKA_PROJECT_DIR, KAFKA_RUN_DIR, LOG_DIR } from './paths.ts';
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

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one JVM), on loopback, from the
 * official artifacts on Maven Central. The version is pinned in infra/kafka/pom.xml.
 */
export interface BrokerSettings {
  port: number;
  controllerPort: number;
  heap: string;
}

export function brokerSettingsFrom(env: NodeJS.ProcessEnv): BrokerSettings {
  return {
    port: Number(env.KAFKA_PORT ?? 9092),
    controllerPort: Number(env.KAFKA_CONTROLLER_PORT ?? 9093),
    heap: env.KAFKA_HEAP ?? '768m',
  };
}

const PID_FILE = path.join(KAFKA_RUN_DIR, 'kafka.pid');
const PORT_FILE = path.join(KAFKA_RUN_DIR, 'kafka.port');
const DATA_DIR = path.join(KAFKA_RUN_DIR, 'data');
const CONFIG_FILE = path.join(KAFKA_RUN_DIR, 'server.properties');
const LOG_FILE = path.join(LOG_DIR, 'kafka.log');
const MAVEN_LOG = path.join(LOG_DIR, 'maven.log');
const STAMP_FILE = path.join(KAFKA_LIB_DIR, '.resolved-from');
const CLASSPATH = `${KAFKA_LIB_DIR}/*`;

/** The broker's jars, which include kafka-tools: the classes behind the distribution's bin/*.sh commands. */
export function kafkaClasspath(): string {
  return CLASSPATH;
}

export function kafkaVersion(): string {
  const pom = readFileSync(path.join(KAFKA_PROJECT_DIR, 'pom.xml'), 'utf8');
  return /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1] ?? 'unknown';
}

export function checkJava(): string {
  const result = run('java', ['-version']);
  if (result.status !== 0) throw JavaMissing(result.output.trim() || 'java is not on PATH');
  const major = Number(/version "(\d+)/.exec(result.output)?.[1] ?? 0);
  if (major < 17) throw JavaMissing(`found Java ${major}`);
  return result.output.split('\n')[0] ?? '';
}

/** Resolves the broker's jars with Maven once; again only when pom.xml changes. */
export function ensureArtifacts(logger: Logger): void {
  const pom = readFileSync(path.join(KAFKA_PROJECT_DIR, 'pom.xml'));
  const fingerprint = createHash('sha256').update(pom).digest('hex');
  if (existsSync(STAMP_FILE) && readFileSync(STAMP_FILE, 'utf8') === fingerprint) return;
  const maven = run('mvn', ['-v']);
  if (maven.status !== 0) throw MavenMissing(maven.output.trim() || 'mvn is not on PATH');
  logger.info({ version: kafkaVersion() }, 'resolving the Kafka broker from Maven Central (once)');
  mkdirSync(LOG_DIR, { recursive: true });
  rmSync(KAFKA_LIB_DIR, { recursive: true, force: true });
  const result = run(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      path.join(KAFKA_PROJECT_DIR, 'pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${KAFKA_LIB_DIR}`,
      '-DincludeScope=runtime',
    ],
    { cwd: KAFKA_PROJECT_DIR },
  );
  writeFileSync(MAVEN_LOG, result.output);
  if (result.status !== 0) throw MavenFailed(String(result.status), MAVEN_LOG, lastLines(MAVEN_LOG));
  writeFileSync(STAMP_FILE, fingerprint);
}

function serverProperties(settings: BrokerSettings): string {
  return `# Written by infra/src/kafka-broker.ts on each start; edit that file, not this one.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${settings.controllerPort}
listeners=PLAINTEXT://127.0.0.1:${settings.port},CONTROLLER://127.0.0.1:${settings.controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${settings.port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
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
log.retention.hours=-1
log.segment.bytes=268435456
message.max.bytes=2097152
`;
}

function formatStorageOnce(): void {
  if (existsSync(path.join(DATA_DIR, 'meta.properties'))) return;
  const clusterId = run('java', ['-cp', CLASSPATH, 'kafka.tools.StorageTool', 'random-uuid'])
    .output.trim()
    .split('\n')
    .pop();
  const result = run('java', [
    '-cp',
    CLASSPATH,
    'kafka.tools.StorageTool',
    'format',
    '--ignore-formatted',
    '-t',
    clusterId ?? '',
    '-c',
    CONFIG_FILE,
  ]);
  if (result.status !== 0) throw StorageFormatFailed(String(result.status), result.output);
}

async function answers(brokers: string, logger: Logger): Promise<boolean> {
  const bus = createKafkajsBus({
    brokers: [brokers],
    clientId: 'infra-probe',
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
export async function brokerStatus(settings: BrokerSettings, logger: Logger): Promise<BrokerStatus> {
  const pid = readPid(PID_FILE);
  const running = isAlive(pid);
  const port = running && existsSync(PORT_FILE) ? Number(readFileSync(PORT_FILE, 'utf8')) : settings.port;
  const brokers = `127.0.0.1:${port}`;
  return {
    running,
    pid: running ? pid : null,
    answering: running && (await answers(brokers, logger)),
    brokers,
  };
}

/** Idempotent: returns at once when our broker already answers. */
export async function startBroker(settings: BrokerSettings, logger: Logger, timeoutS = 90): Promise<string> {
  const brokers = `127.0.0.1:${settings.port}`;
  const current = await brokerStatus(settings, logger);
  if (current.running && current.brokers !== brokers) {
    throw BrokerPortChanged(current.brokers, String(current.pid), brokers);
  }
  if (current.answering) {
    logger.info({ brokers, pid: current.pid }, 'Kafka broker already running');
    return brokers;
  }
  if (!current.running) {
    for (const [port, role, variable] of [
      [settings.port, 'Kafka broker', 'KAFKA_PORT'],
      [settings.controllerPort, 'Kafka controller', 'KAFKA_CONTROLLER_PORT'],
    ] as const) {
      if (await portIsOpen(port)) throw PortTaken(String(port), role, variable);
    }
    checkJava();
    ensureArtifacts(logger);
    mkdirSync(DATA_DIR, { recursive: true });
    mkdirSync(LOG_DIR, { recursive: true });
    writeFileSync(CONFIG_FILE, serverProperties(settings));
    formatStorageOnce();
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
        CLASSPATH,
        'kafka.Kafka',
        CONFIG_FILE,
      ],
      LOG_FILE,
      PID_FILE,
      KAFKA_RUN_DIR,
    );
    writeFileSync(PORT_FILE, String(settings.port));
    logger.info({ pid, version: kafkaVersion(), log: LOG_FILE }, 'Kafka broker starting (KRaft mode)');
  }
  const deadline = Date.now() + timeoutS * 1000;
  while (Date.now() < deadline) {
    if (await answers(brokers, logger)) {
      logger.info({ brokers }, 'Kafka broker answers');
      return brokers;
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
