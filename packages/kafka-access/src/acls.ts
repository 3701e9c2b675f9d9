import type { AccessData, AclBinding, AclOperation, Grants, PatternType, ResourceType } from './types.ts';

/** Kafka's name of the cluster resource. */
export const CLUSTER_RESOURCE = 'kafka-cluster';

/** `credit.ingest.*` → a PREFIXED `credit.ingest.`; anything else is LITERAL. */
export function resourcePattern(resource: string): { patternType: PatternType; resourceName: string } {
  return resource.endsWith('*') && resource !== '*'
    ? { patternType: 'PREFIXED', resourceName: resource.slice(0, -1) }
    : { patternType: 'LITERAL', resourceName: resource };
}

function allow(
  principal: string,
  resourceType: ResourceType,
  resource: string,
  operation: AclOperation,
): AclBinding {
  return {
    principal: `User:${principal}`,
    resourceType,
    ...resourcePattern(resource),
    operation,
    host: '*',
    permission: 'ALLOW',
  };
}

function grantsOf(principal: string, grants: Grants, fill: (resource: string) => string): AclBinding[] {
  return [
    ...(grants.produces ?? []).map((topic) => allow(principal, 'TOPIC', fill(topic), 'WRITE')),
    ...(grants.consumes ?? []).map((topic) => allow(principal, 'TOPIC', fill(topic), 'READ')),
    ...(grants.groups ?? []).map((group) => allow(principal, 'GROUP', fill(group), 'READ')),
  ];
}

/** The ACLs of the table for the given department codes, sorted, without duplicates. */
export function generateAcls(data: AccessData, departmentCodes: readonly string[]): AclBinding[] {
  const bindings: AclBinding[] = [];
  for (const service of data.services) {
    bindings.push(...grantsOf(service.principal, service, (resource) => resource));
    if (service.observes) {
      bindings.push(
        allow(service.principal, 'TOPIC', '*', 'DESCRIBE'),
        allow(service.principal, 'GROUP', '*', 'DESCRIBE'),
        allow(service.principal, 'CLUSTER', CLUSTER_RESOURCE, 'DESCRIBE'),
      );
    }
  }
  for (const code of departmentCodes) {
    const fill = (resource: string) => resource.replaceAll('{department}', code);
    bindings.push(...grantsOf(fill(data.departments.principal), data.departments, fill));
  }
  return sortAcls(dedupe(bindings));
}

export function aclKey(acl: AclBinding): string {
  return [
    acl.principal,
    acl.resourceType,
    acl.patternType,
    acl.resourceName,
    acl.operation,
    acl.host,
    acl.permission,
  ].join('|');
}

function dedupe(bindings: AclBinding[]): AclBinding[] {
  return [...new Map(bindings.map((binding) => [aclKey(binding), binding])).values()];
}

export function sortAcls(bindings: AclBinding[]): AclBinding[] {
  return [...bindings].sort((a, b) => aclKey(a).localeCompare(aclKey(b)));
}

/** What must be created and deleted so that `actual` becomes `desired` (for the principals `manages` accepts). */
export function aclDifference(
  desired: readonly AclBinding[],
  actual: readonly AclBinding[],
  manages: (principal: string) => boolean,
): { missing: AclBinding[]; extra: AclBinding[]; unmanaged: AclBinding[] } {
  const wanted = new Set(desired.map(aclKey));
  const present = new Set(actual.map(aclKey));
  return {
    missing: desired.filter((acl) => !present.has(aclKey(acl))),
    extra: actual.filter((acl) => !wanted.has(aclKey(acl)) && manages(acl.principal)),
    unmanaged: actual.filter((acl) => !wanted.has(aclKey(acl)) && !manages(acl.principal)),
  };
}
