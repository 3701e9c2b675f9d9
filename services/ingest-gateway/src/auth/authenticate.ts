import type { TLSSocket } from 'node:tls';
import type { Catalogue, Department } from '@credit/catalogue';
import type { FastifyRequest } from 'fastify';
import { BadCredential, Unauthenticated, UnknownDepartment } from '../errors.ts';
import { type KeyStore, parseApiKey, verifyKey } from './api-keys.ts';

export interface Principal {
  department: Department;
  /** The API key id, or `mtls:<certificate subject>`. */
  credential: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * A department proves who it is with an API key (`Authorization: Bearer cdx_...` or `X-Api-Key`), or, when the
 * server runs with a client CA, with a client certificate whose subject CN is its department code.
 */
export async function authenticate(
  request: FastifyRequest,
  keys: KeyStore,
  catalogue: Catalogue,
  now: Date,
): Promise<Principal> {
  const certificate = clientCertificateDepartment(request);
  if (certificate) return principalFor(certificate, `mtls:${certificate}`, catalogue);

  const header = request.headers.authorization;
  const presented = header?.startsWith('Bearer ') ? header.slice(7) : request.headers['x-api-key'];
  if (typeof presented !== 'string' || presented === '') throw Unauthenticated();
  const parsed = parseApiKey(presented);
  if (!parsed) throw BadCredential('malformed: expected cdx_<16 characters>_<43 characters>');
  const verdict = verifyKey(parsed, await keys.find(parsed.keyId), now);
  if (!verdict.ok) throw BadCredential(verdict.reason);
  return principalFor(verdict.department, verdict.keyId, catalogue);
}

function principalFor(departmentCode: string, credential: string, catalogue: Catalogue): Principal {
  const department = catalogue.department(departmentCode);
  if (!department) throw UnknownDepartment(departmentCode, catalogue.version);
  return { department, credential };
}

function clientCertificateDepartment(request: FastifyRequest): string | undefined {
  const socket = request.raw.socket as Partial<TLSSocket>;
  if (!socket.authorized || typeof socket.getPeerCertificate !== 'function') return undefined;
  const subject = socket.getPeerCertificate().subject as { CN?: string | string[] } | undefined;
  const cn = Array.isArray(subject?.CN) ? subject.CN[0] : subject?.CN;
  return cn || undefined;
}
