import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCatalogue } from '@credit/catalogue';
import { describe, expect, it } from 'vitest';
import { ACCESS_FILE, type AclBinding, aclDifference, loadKafkaAccess } from '../src/index.ts';

const access = loadKafkaAccess();
const acls = access.acls();
const catalogue = loadCatalogue();
const of = (principal: string) => acls.filter((acl) => acl.principal === `User:${principal}`);
const rule = (acl: AclBinding) =>
  `${acl.operation} ${acl.resourceType} ${acl.patternType} ${acl.resourceName}`;

describe('the Kafka access table', () => {
  it('has one principal per department, one per service, and the admin', () => {
    const principals = access.principals();
    expect(principals.filter((p) => p.kind === 'department')).toHaveLength(catalogue.departments.length);
    expect(principals.filter((p) => p.kind === 'service').map((p) => p.name)).toEqual([
      'service.aggregator',
      'service.ingest-gateway',
      'service.list-designation',
      'service.sanctions',
      'service.query-api',
      'service.ops-monitor',
    ]);
    expect(principals.filter((p) => p.kind === 'admin').map((p) => p.name)).toEqual(['platform-admin']);
    expect(new Set(principals.map((p) => p.name)).size).toBe(principals.length);
  });

  it('lets a department write only its own ingest and feedback topics and read only its own orders', () => {
    expect(of('department.tax').map(rule).sort()).toEqual([
      'READ GROUP PREFIXED credit-department.tax.',
      'READ TOPIC LITERAL credit.sanction-orders.tax',
      'WRITE TOPIC LITERAL credit.ingest.tax',
      'WRITE TOPIC LITERAL credit.sanction-feedback.tax',
    ]);
    for (const department of catalogue.departments) {
      for (const acl of of(access.departmentPrincipal(department.code))) {
        expect(acl.patternType === 'LITERAL' || acl.resourceType === 'GROUP').toBe(true);
        expect(
          acl.resourceName.endsWith(department.code) || acl.resourceName.endsWith(`${department.code}.`),
        ).toBe(true);
      }
    }
  });

  it('lets each internal topic be written by its owner alone, and nobody create, delete or alter anything', () => {
    const writers = (topic: string) =>
      acls
        .filter(
          (acl) => acl.resourceType === 'TOPIC' && acl.operation === 'WRITE' && acl.resourceName === topic,
        )
        .map((acl) => acl.principal);
    expect(writers('credit.subject-changes')).toEqual(['User:service.aggregator']);
    expect(writers('credit.list-changes')).toEqual(['User:service.list-designation']);
    expect(writers('credit.sanction-orders.')).toEqual(['User:service.sanctions']);
    expect(acls.every((acl) => ['READ', 'WRITE', 'DESCRIBE'].includes(acl.operation))).toBe(true);
    expect(acls.every((acl) => acl.permission === 'ALLOW' && acl.host === '*')).toBe(true);
    expect(acls.some((acl) => acl.principal === 'User:platform-admin')).toBe(false);
  });

  it('gives each service its own consumer groups, and only the operations monitor the right to describe all', () => {
    const groups = acls.filter((acl) => acl.resourceType === 'GROUP' && acl.operation === 'READ');
    const services = groups.filter((acl) => acl.principal.startsWith('User:service.'));
    for (const acl of services) {
      const others = groups.filter(
        (other) => other.principal !== acl.principal && other.resourceName.startsWith(acl.resourceName),
      );
      expect(others.map(rule), `${acl.principal} shares ${acl.resourceName}`).toEqual([]);
    }
    const observers = acls.filter((acl) => acl.operation === 'DESCRIBE').map((acl) => acl.principal);
    expect(new Set(observers)).toEqual(new Set(['User:service.ops-monitor']));
  });

  it('knows what must change on a broker to match it', () => {
    const stray: AclBinding = { ...of('department.tax')[0]!, resourceName: 'credit.ingest.customs' };
    const { missing, extra } = aclDifference(acls.slice(1), [...acls, stray], () => true);
    expect(missing).toEqual([]);
    expect(extra.map(rule)).toEqual([rule(acls[0]!), rule(stray)]);
    expect(aclDifference(acls, acls, () => true)).toEqual({ missing: [], extra: [], unmanaged: [] });
  });

  it('refuses a table where a service names {department} or a principal is named twice', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'access-'));
    const file = path.join(dir, 'access.yaml');
    writeFileSync(
      file,
      readFileSync(ACCESS_FILE, 'utf8')
        .replace('principal: service.sanctions', 'principal: service.aggregator')
        .replace('produces: [credit.dlq]', 'produces: ["credit.ingest.{department}"]'),
    );
    expect(() => loadKafkaAccess(file)).toThrow(
      expect.objectContaining({
        code: 'KAFKA_ACCESS_INVALID',
        message: expect.stringMatching(/service\.aggregator is named twice[\s\S]*names \{department\}/),
      }),
    );
  });
});
