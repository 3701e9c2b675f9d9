import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiClientsInvalid } from './errors.ts';

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

export interface ApiClient {
  actor: string;
  roles: Role[];
  /** Designators act for one department and only on entries it designated. */
  department: string | null;
}

interface Known extends ApiClient {
  digest: Buffer;
}

const digest = (token: string) => createHash('sha256').update(token).digest();

export interface ApiClients {
  identify(token: string): ApiClient | undefined;
}

/** Parses LIST_API_TOKENS; a malformed list stops the service at start-up with what is wrong. */
export function parseApiClients(json: string): ApiClients {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw ApiClientsInvalid(`not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw ApiClientsInvalid('expected a non-empty JSON array');
  const known: Known[] = parsed.map((item: unknown, index) => {
    const where = `client ${index}`;
    if (typeof item !== 'object' || item === null) throw ApiClientsInvalid(`${where} is not an object`);
    const { token, actor, roles, department } = item as Record<string, unknown>;
    if (typeof token !== 'string' || token.length < 24)
      throw ApiClientsInvalid(`${where}: token must be ≥ 24 characters`);
    if (typeof actor !== 'string' || actor.trim() === '')
      throw ApiClientsInvalid(`${where}: actor is required`);
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => ROLES.includes(r as Role))) {
      throw ApiClientsInvalid(`${where}: roles must be a non-empty subset of ${ROLES.join(', ')}`);
    }
    if (department !== undefined && typeof department !== 'string') {
      throw ApiClientsInvalid(`${where}: department must be a string`);
    }
    if (roles.includes('designator') && department === undefined) {
      throw ApiClientsInvalid(`${where}: a designator needs its department`);
    }
    return { actor, roles: roles as Role[], department: department ?? null, digest: digest(token) };
  });
  return {
    identify(token) {
      const given = digest(token);
      const match = known.find((client) => timingSafeEqual(client.digest, given));
      return match === undefined
        ? undefined
        : { actor: match.actor, roles: match.roles, department: match.department };
    },
  };
}
