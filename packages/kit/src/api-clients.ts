import { createHash, timingSafeEqual } from 'node:crypto';
import { defineError } from '@credit/errors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const ApiClientsInvalid = defineError<[variable: string, why: string]>(
  'API_CLIENTS_INVALID',
  500,
  '%s is invalid: %s',
);
export const Unauthenticated = defineError<[why: string]>(
  'API_UNAUTHENTICATED',
  401,
  'this API needs a bearer token: %s',
);

/** A caller of a service's API: who it is, what it may do, and for which department it acts (if any). */
export interface ApiClient<Role extends string = string> {
  actor: string;
  roles: Role[];
  department: string | null;
}

export interface ApiClients<Role extends string = string> {
  identify(token: string): ApiClient<Role> | undefined;
  /** The client an `Authorization: Bearer <token>` header names, or a 401 saying what is wrong. */
  authenticate(header: string | undefined): ApiClient<Role>;
}

export interface ApiClientsOptions<Role extends string> {
  /** The environment variable the JSON came from, for the error message. */
  variable: string;
  roles: readonly Role[];
  /** Roles that act for one department and so need `department`. */
  departmentRoles?: readonly Role[];
}

const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * Parses a JSON array of API clients (`[{"token", "actor", "roles", "department"?}]`), as services take them from a
 * secret. A malformed list stops the service at start-up with what is wrong. Tokens are compared by SHA-256 digest
 * in constant time.
 */
export function parseApiClients<Role extends string>(
  json: string,
  options: ApiClientsOptions<Role>,
): ApiClients<Role> {
  const invalid = (why: string) => ApiClientsInvalid(options.variable, why);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw invalid(`not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw invalid('expected a non-empty JSON array');
  const known = parsed.map((item: unknown, index) => {
    const where = `client ${index}`;
    if (typeof item !== 'object' || item === null) throw invalid(`${where} is not an object`);
    const { token, actor, roles, department } = item as Record<string, unknown>;
    if (typeof token !== 'string' || token.length < 24)
      throw invalid(`${where}: token must be ≥ 24 characters`);
    if (typeof actor !== 'string' || actor.trim() === '') throw invalid(`${where}: actor is required`);
    if (
      !Array.isArray(roles) ||
      roles.length === 0 ||
      !roles.every((r) => options.roles.includes(r as Role))
    ) {
      throw invalid(`${where}: roles must be a non-empty subset of ${options.roles.join(', ')}`);
    }
    if (department !== undefined && typeof department !== 'string') {
      throw invalid(`${where}: department must be a string`);
    }
    if (department === undefined && roles.some((role) => options.departmentRoles?.includes(role as Role))) {
      throw invalid(`${where}: a ${roles.join('/')} client needs its department`);
    }
    return { actor, roles: roles as Role[], department: department ?? null, digest: digest(token) };
  });
  const identify = (token: string): ApiClient<Role> | undefined => {
    const given = digest(token);
    const match = known.find((client) => timingSafeEqual(client.digest, given));
    return match === undefined
      ? undefined
      : { actor: match.actor, roles: match.roles, department: match.department };
  };
  return {
    identify,
    authenticate(header) {
      if (header === undefined) throw Unauthenticated('no Authorization header');
      const match = /^Bearer (\S+)$/.exec(header);
      if (match?.[1] === undefined) throw Unauthenticated('expected "Authorization: Bearer <token>"');
      const client = identify(match[1]);
      if (client === undefined) throw Unauthenticated('unknown token');
      return client;
    },
  };
}

/**
 * Authenticates every request of `app` (a plugin scope) before its body is validated, so an unauthenticated caller
 * learns nothing about what a valid request looks like; returns the accessor for a request's client.
 */
export function authenticateRequests<Role extends string>(
  app: FastifyInstance,
  clients: ApiClients<Role>,
): (request: FastifyRequest) => ApiClient<Role> {
  const identified = new WeakMap<FastifyRequest, ApiClient<Role>>();
  app.addHook('onRequest', async (request) => {
    identified.set(request, clients.authenticate(request.headers.authorization));
  });
  return (request) => {
    const client = identified.get(request);
    if (client === undefined) throw new Error('the onRequest hook identifies every client');
    return client;
  };
}
