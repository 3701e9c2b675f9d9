import { readFileSync } from 'node:fs';
import { aclDifference, type KafkaAccess } from '@credit/kafka-access';
import { type AclBinding, type Admin, createKafkajsBus, type Logger } from '@credit/kit';
import { adminClientProperties, setScramCredential } from './kafka-principals.ts';
import { caFile } from './kafka-tls.ts';

/**
 * Makes the broker hold exactly the ACLs that the access table and the catalogue generate for the platform's
 * principals: missing ones are created, any other ACL of a platform principal is deleted (deny by default: a grant
 * that nothing in the repository makes has no business there). Platform principals are the table's, and any
 * `department.*` one (a department removed from the catalogue loses its grants). ACLs of other principals (another
 * application's, on a shared cluster) are left alone. Idempotent; a department added to the catalogue gets its ACLs
 * on the next run.
 */
export async function reconcileAcls(
  admin: Admin,
  access: KafkaAccess,
  logger: Logger,
): Promise<{ created: AclBinding[]; deleted: AclBinding[]; total: number }> {
  const desired = access.acls();
  const principals = new Set(access.principals().map((principal) => `User:${principal.name}`));
  const departmentPrefix = `User:${access.departmentPrincipal('')}`;
  const manages = (principal: string) => principals.has(principal) || principal.startsWith(departmentPrefix);
  const { missing, extra } = aclDifference(desired, await admin.acls(), manages);
  await admin.createAcls(missing);
  await admin.deleteAcls(extra);
  if (missing.length > 0 || extra.length > 0) {
    logger.info(
      { created: missing.length, deleted: extra.length, total: desired.length },
      'Kafka ACLs reconciled',
    );
  }
  return { created: missing, deleted: extra, total: desired.length };
}

/**
 * Every principal of the table can authenticate with the password kept for it; the ones that cannot (a
 * department added to the catalogue since, a password file made anew) get their SCRAM credential set with
 * kafka-configs, run as the admin.
 */
export async function reconcileScramUsers(options: {
  brokers: string;
  access: KafkaAccess;
  passwords: Record<string, string>;
  logger: Logger;
}): Promise<{ set: string[] }> {
  const { access, passwords, brokers, logger } = options;
  const ca = readFileSync(caFile(), 'utf8');
  const principals = access.principals().map((principal) => principal.name);
  const failing = (
    await Promise.all(
      principals.map(async (name) =>
        (await canAuthenticate(brokers, ca, name, passwords[name]!, logger)) ? null : name,
      ),
    )
  ).filter((name): name is string => name !== null);
  if (failing.length === 0) return { set: [] };
  const properties = adminClientProperties(access.admin, passwords[access.admin]!);
  for (const name of failing) setScramCredential(brokers, properties, name, passwords[name]!);
  logger.info({ principals: failing }, 'Kafka SCRAM credentials set');
  return { set: failing };
}

async function canAuthenticate(
  brokers: string,
  ca: string,
  username: string,
  password: string,
  logger: Logger,
): Promise<boolean> {
  const bus = createKafkajsBus({
    brokers: [brokers],
    clientId: 'infra-principal-check',
    security: { ca, sasl: { mechanism: 'scram-sha-512', username, password } },
    logger: logger.child({}, { level: 'silent' }),
    retries: 0,
  });
  try {
    const admin = await bus.admin();
    await admin.disconnect();
    return true;
  } catch (error) {
    if ((error as Error).name === 'KafkaJSSASLAuthenticationError') return false;
    throw error;
  }
}
