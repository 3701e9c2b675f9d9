import { createHash } from 'node:crypto';
import { canonicalJson, type JsonObject } from './canonical.ts';

/** The prev_hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a row's hash covers (besides the previous row's hash). */
export interface HashedFields {
  /** The bigserial id, as a decimal string (exact beyond 2^53). */
  id: string;
  at: Date;
  actor: string;
  purpose: string | null;
  subjectCode: string | null;
  action: string;
  detail: JsonObject;
}

/**
 * `sha256(prevHash + '\n' + canonicalJson({id, at, actor, purpose, subjectCode, action, detail}))` in lower-case
 * hex, `at` as an ISO-8601 UTC string with milliseconds (rows are stored at millisecond precision).
 */
export function auditRowHash(prevHash: string, fields: HashedFields): string {
  const payload = canonicalJson({
    id: fields.id,
    at: fields.at.toISOString(),
    actor: fields.actor,
    purpose: fields.purpose,
    subjectCode: fields.subjectCode,
    action: fields.action,
    detail: fields.detail,
  });
  return createHash('sha256').update(`${prevHash}\n${payload}`).digest('hex');
}
