import { loadKafkaAccess } from '@credit/kafka-access';
import { type AclBinding, type Admin, createLogger } from '@credit/kit';
import { describe, expect, it } from 'vitest';
import { reconcileAcls } from '../src/kafka-access-sync.ts';

/** The ACL calls of an admin, over a list in memory: what reconcileAcls decides, apart from the broker. */
function adminHolding(start: AclBinding[]): { admin: Admin; held: () => AclBinding[] } {
  let held = [...start];
  const same = (a: AclBinding, b: AclBinding) => JSON.stringify(a) === JSON.stringify(b);
  const admin = {
    acls: async () => [...held],
    createAcls: async (acls: AclBinding[]) => void held.push(...acls),
    deleteAcls: async (acls: AclBinding[]) => {
      held = held.filter((acl) => !acls.some((gone) => same(acl, gone)));
    },
  } as Partial<Admin> as Admin;
  return { admin, held: () => held };
}

const access = loadKafkaAccess(undefined, { departments: ['tax', 'customs'] });
const logger = createLogger({ service: 'test', level: 'silent' });
const grant = (principal: string, resourceName: string): AclBinding => ({
  principal,
  resourceType: 'TOPIC',
  patternType: 'LITERAL',
  resourceName,
  operation: 'WRITE',
  host: '*',
  permission: 'ALLOW',
});

describe('reconciling the broker’s ACLs', () => {
  it('adds what is missing, removes grants of platform principals the table does not make, leaves others alone', async () => {
    const stray = grant('User:department.tax', 'credit.ingest.customs');
    const removedDepartment = grant('User:department.statistics', 'credit.ingest.statistics');
    const foreign = grant('User:another-application', 'its-own-topic');
    const { admin, held } = adminHolding([stray, removedDepartment, foreign, access.acls()[0]!]);
    const result = await reconcileAcls(admin, access, logger);
    expect(result.deleted).toEqual([stray, removedDepartment]);
    expect(result.created).toHaveLength(access.acls().length - 1);
    expect(held()).toEqual(expect.arrayContaining([foreign, ...access.acls()]));
    expect(held()).toHaveLength(access.acls().length + 1);
    expect(await reconcileAcls(admin, access, logger)).toMatchObject({ created: [], deleted: [] });
  });
});
