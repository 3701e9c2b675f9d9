import { type ApiClient as KitClient, type ApiClients as KitClients, parseApiClients } from '@credit/kit';

/**
 * Who may do what through the reviewer API:
 * - designator: the designating department (认定部门): notice, objection results, repair, suspension, withdrawal of
 *   its own entries;
 * - reviewer: the credit office (信用办): 审核/校核/确认 and publication, standard changes;
 * - objection-desk: registers a subject's objection (异议申请);
 * - admin: starts re-evaluations (backfills).
 */
export type Role = 'designator' | 'reviewer' | 'objection-desk' | 'admin';
export const ROLES: readonly Role[] = ['designator', 'reviewer', 'objection-desk', 'admin'];

export type ApiClient = KitClient<Role>;
export type ApiClients = KitClients<Role>;

/** Parses LIST_API_TOKENS; a malformed list stops the service at start-up with what is wrong. */
export function parseListApiClients(json: string): ApiClients {
  return parseApiClients(json, {
    variable: 'LIST_API_TOKENS',
    roles: ROLES,
    departmentRoles: ['designator'],
  });
}
