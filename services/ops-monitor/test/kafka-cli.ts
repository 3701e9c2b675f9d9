import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { clientProperties, kafkaClasspath } from '@credit/infra';

const run = promisify(execFile);

export interface CliPartitionLag {
  topic: string;
  partition: number;
  /** null where the command prints "-" (no commit). */
  currentOffset: bigint | null;
  logEndOffset: bigint;
  lag: bigint | null;
}

/**
 * `kafka-consumer-groups.sh --describe --group <g>`, run as the class behind it with the broker's own jars, and its
 * CURRENT-OFFSET / LOG-END-OFFSET / LAG columns. Fails, never skips, when java or the jars are missing.
 */
export async function describeGroupWithKafkaCli(
  brokers: string,
  kafkaEnv: Record<string, string>,
  groupId: string,
): Promise<CliPartitionLag[]> {
  const properties = clientProperties(
    path.join(mkdtempSync(path.join(os.tmpdir(), 'kafka-cli-')), 'client.properties'),
    kafkaEnv,
  );
  const classpath = kafkaClasspath();
  const libDir = path.dirname(classpath);
  let jars: string[] = [];
  try {
    jars = readdirSync(libDir);
  } catch {
    // reported below
  }
  if (!jars.some((jar) => jar.startsWith('kafka-tools-'))) {
    throw new Error(`no kafka-tools jar in ${libDir}: run \`pnpm infra:up\` once to resolve the Kafka jars`);
  }
  let stdout: string;
  try {
    ({ stdout } = await run(
      'java',
      [
        '-Xmx256m',
        '-cp',
        classpath,
        'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
        '--bootstrap-server',
        brokers,
        '--command-config',
        properties,
        '--describe',
        '--group',
        groupId,
      ],
      { timeout: 60_000 },
    ));
  } catch (error) {
    throw new Error(`the Kafka consumer-groups command failed (is java 17+ on PATH?): ${String(error)}`);
  }
  return parseDescribeOutput(stdout, groupId);
}

function parseDescribeOutput(stdout: string, groupId: string): CliPartitionLag[] {
  const lines = stdout.split('\n').map((line) => line.trim().split(/\s+/));
  const header = lines.find((tokens) => tokens[0] === 'GROUP');
  if (header === undefined) throw new Error(`no header in the consumer-groups output:\n${stdout}`);
  const column = (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`no ${name} column in the consumer-groups output:\n${stdout}`);
    return index;
  };
  const [topic, partition, current, end, lag] = [
    'TOPIC',
    'PARTITION',
    'CURRENT-OFFSET',
    'LOG-END-OFFSET',
    'LAG',
  ].map(column) as [number, number, number, number, number];
  const offsetOrNull = (value: string | undefined): bigint | null =>
    value === undefined || value === '-' ? null : BigInt(value);
  return lines
    .filter((tokens) => tokens[0] === groupId)
    .map((tokens) => ({
      topic: tokens[topic] ?? '',
      partition: Number(tokens[partition]),
      currentOffset: offsetOrNull(tokens[current]),
      logEndOffset: BigInt(tokens[end] ?? 'NaN'),
      lag: offsetOrNull(tokens[lag]),
    }))
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}
