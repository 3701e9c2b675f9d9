import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@credit/kit';
import { JavaMissing, MavenFailed, MavenMissing } from './errors.ts';
import { KAFKA_LIB_DIR, KAFKA_PROJECT_DIR, LOG_DIR } from './paths.ts';
import { lastLines, run } from './processes.ts';

/** The official Apache Kafka artifacts from Maven Central (version pinned in infra/kafka/pom.xml). */
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

/** Runs one of the distribution's tools (a main class) quietly, as `kafka-configs.sh` and friends would. */
export function runKafkaTool(mainClass: string, args: string[]): { status: number | null; output: string } {
  return run('java', [
    `-Dlog4j2.configurationFile=${path.join(KAFKA_PROJECT_DIR, 'log4j2-tools.properties')}`,
    '-cp',
    CLASSPATH,
    mainClass,
    ...args,
  ]);
}
