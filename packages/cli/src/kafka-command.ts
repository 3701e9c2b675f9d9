import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AclBinding, KafkaSecurity } from '@credit/kit';
import type { Command } from 'commander';

/**
 * `credit kafka principals|acls|certificate`: who may do what on the backbone, read from the broker itself (its
 * SCRAM users and ACLs, as the admin), next to what the access table grants, so a stray grant or a missing user
 * shows.
 */
export function kafkaCommand(program: Command): void {
  const kafka = program
    .command('kafka')
    .description('the Kafka backbone: principals, ACLs and client certificates, as the broker holds them');

  kafka
    .command('acls')
    .description(
      'every ACL the broker holds, by principal; a ✗ marks one the access table does not grant (pnpm infra:up removes it)',
    )
    .option('--principal <name>', 'only this principal (e.g. department.tax, service.aggregator)')
    .option('--json', 'one JSON document instead of the table')
    .action(async (options: { principal?: string; json?: boolean }) => {
      const [{ aclDifference, aclKey, loadKafkaAccess, sortAcls }, infra] = await Promise.all([
        import('@credit/kafka-access'),
        import('@credit/infra'),
      ]);
      const onBroker = await brokerAcls(infra.requireInfrastructure('credit kafka needs'));
      const ofPrincipal = (acl: AclBinding) =>
        !options.principal || acl.principal === `User:${options.principal}`;
      const granted = loadKafkaAccess().acls().filter(ofPrincipal);
      const grantedKeys = new Set(granted.map(aclKey));
      const rows = sortAcls(onBroker.filter(ofPrincipal)).map((acl) => ({
        ...acl,
        granted: grantedKeys.has(aclKey(acl)),
      }));
      const { missing } = aclDifference(granted, onBroker, () => true);
      if (options.json) {
        console.log(JSON.stringify({ acls: rows, missing }, null, 2));
        return;
      }
      let last = '';
      for (const row of rows) {
        if (row.principal !== last) console.log(`\n${row.principal.replace(/^User:/, '')}`);
        last = row.principal;
        const resource = row.patternType === 'PREFIXED' ? `${row.resourceName}*` : row.resourceName;
        console.log(
          `  ${row.granted ? '✓' : '✗'} ${row.permission.padEnd(5)} ${row.operation.padEnd(8)} ${row.resourceType.padEnd(7)} ${resource}`,
        );
      }
      for (const acl of missing) {
        console.log(`  missing: ${acl.principal} ${acl.operation} ${acl.resourceType} ${acl.resourceName}`);
      }
      console.log(
        `\n${rows.length} ACLs on the broker, ${rows.filter((r) => !r.granted).length} not granted by the access table, ${missing.length} missing`,
      );
      if (missing.length > 0 || rows.some((r) => !r.granted)) process.exitCode = 1;
    });

  kafka
    .command('principals')
    .description(
      "the broker's SCRAM users next to the access table's principals (departments, services, admin), with their ACL count",
    )
    .option('--json', 'one JSON document instead of the table')
    .action(async (options: { json?: boolean }) => {
      const [{ loadKafkaAccess }, infra] = await Promise.all([
        import('@credit/kafka-access'),
        import('@credit/infra'),
      ]);
      const access = loadKafkaAccess();
      const infrastructure = infra.requireInfrastructure('credit kafka principals needs');
      const { kafkaBrokers, kafkaEnv } = infrastructure;
      const dir = mkdtempSync(path.join(os.tmpdir(), 'credit-kafka-'));
      let users: string[];
      try {
        const properties = infra.clientProperties(path.join(dir, 'admin.properties'), kafkaEnv);
        users = infra.scramUsers(kafkaBrokers.split(',')[0]!, properties);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const onBroker = await brokerAcls(infrastructure);
      const known = access.principals();
      const names = [...new Set([...known.map((p) => p.name), ...users])].sort();
      const rows = names.map((name) => {
        const principal = known.find((p) => p.name === name);
        return {
          principal: name,
          kind: principal?.kind ?? 'not in the access table',
          of:
            principal?.kind === 'department'
              ? principal.department
              : principal?.kind === 'service'
                ? principal.service
                : '',
          scram: users.includes(name),
          acls: onBroker.filter((acl) => acl.principal === `User:${name}`).length,
        };
      });
      if (options.json) {
        console.log(JSON.stringify({ principals: rows }, null, 2));
        return;
      }
      console.log(`${'principal'.padEnd(42)} ${'kind'.padEnd(38)} SCRAM  ACLs`);
      for (const row of rows) {
        const kind = row.of ? `${row.kind} ${row.of}` : row.kind;
        console.log(
          `${row.principal.padEnd(42)} ${kind.padEnd(38)} ${row.scram ? 'yes' : 'NO '}    ${row.acls}`,
        );
      }
      console.log(
        `\nThe admin (${access.admin}) and the broker (${access.broker}, by certificate) are super users and hold no ACL.`,
      );
      if (rows.some((row) => row.kind !== 'admin' && !row.scram)) process.exitCode = 1;
    });

  kafka
    .command('certificate')
    .description(
      "a client certificate for a principal from this machine's platform CA: the mTLS alternative to its password",
    )
    .argument('<principal>', 'e.g. department.tax')
    .action(async (principal: string) => {
      const infra = await import('@credit/infra');
      const state = infra.readState();
      if (!state?.kafka.mtlsBrokers || !state.kafka.caFile) {
        throw new Error('client certificates come from the local broker’s CA: run `pnpm infra:up` first');
      }
      const { certFile, keyFile } = infra.issueClientCertificate(principal);
      console.log(
        [
          `KAFKA_BROKERS=${state.kafka.mtlsBrokers}`,
          `KAFKA_TLS_CA_FILE=${state.kafka.caFile}`,
          `KAFKA_TLS_CERT_FILE=${certFile}`,
          `KAFKA_TLS_KEY_FILE=${keyFile}`,
        ].join('\n'),
      );
    });
}

/** Every ACL the broker holds, read as the admin. */
async function brokerAcls(infrastructure: {
  kafkaBrokers: string;
  kafkaSecurity: KafkaSecurity;
}): Promise<AclBinding[]> {
  const kit = await import('@credit/kit');
  const bus = kit.createKafkajsBus({
    brokers: kit.brokersOf(infrastructure.kafkaBrokers),
    clientId: 'credit-kafka',
    security: infrastructure.kafkaSecurity,
    logger: kit.createLogger({ service: 'credit-kafka', level: 'warn' }),
  });
  const admin = await bus.admin();
  try {
    return await admin.acls();
  } finally {
    await admin.disconnect();
  }
}
