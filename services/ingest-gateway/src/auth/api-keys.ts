import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';

/**
 * Department API keys: `cdx_<key id>_<secret>`. The key id is public (it names the key in logs and in the
 * credentials table); the secret is 32 random bytes shown once at issue. Only SHA-256 of the secret is stored:
 * with 256 bits of entropy a slow password hash adds nothing but per-request cost.
 */
const KEY_FORMAT = /^cdx_([a-z2-7]{16})_([A-Za-z0-9_-]{43})$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export interface StoredKey {
  keyId: string;
  department: string;
  secretSha256: Buffer;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface ParsedKey {
  keyId: string;
  secret: string;
}

export function parseApiKey(presented: string): ParsedKey | null {
  const match = KEY_FORMAT.exec(presented.trim());
  return match ? { keyId: match[1]!, secret: match[2]! } : null;
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export type KeyVerdict = { ok: true; department: string; keyId: string } | { ok: false; reason: string };

export function verifyKey(parsed: ParsedKey, stored: StoredKey | undefined, now: Date): KeyVerdict {
  // Compare against a fixed digest when the key id is unknown, so timing does not tell which ids exist.
  const expected = stored?.secretSha256 ?? sha256('no such key');
  const matches = timingSafeEqual(sha256(parsed.secret), expected) && stored !== undefined;
  if (!matches) return { ok: false, reason: 'not recognised' };
  if (stored.revokedAt && stored.revokedAt <= now)
    return { ok: false, reason: `revoked (key ${stored.keyId})` };
  if (stored.expiresAt && stored.expiresAt <= now)
    return { ok: false, reason: `expired (key ${stored.keyId})` };
  return { ok: true, department: stored.department, keyId: stored.keyId };
}

function randomKeyId(): string {
  return [...randomBytes(16)].map((byte) => BASE32[byte % 32]).join('');
}

export interface IssuedKey {
  keyId: string;
  department: string;
  /** The whole key; shown once, never stored. */
  apiKey: string;
  expiresAt: Date | null;
}

export async function issueKey(
  pool: pg.Pool,
  department: string,
  options: { label?: string; expiresAt?: Date | null } = {},
): Promise<IssuedKey> {
  const keyId = randomKeyId();
  const secret = randomBytes(32).toString('base64url');
  await pool.query(
    `insert into intake.credentials (key_id, department, secret_sha256, label, expires_at) values ($1, $2, $3, $4, $5)`,
    [keyId, department, sha256(secret), options.label ?? '', options.expiresAt ?? null],
  );
  return { keyId, department, apiKey: `cdx_${keyId}_${secret}`, expiresAt: options.expiresAt ?? null };
}

export async function revokeKey(pool: pg.Pool, keyId: string, at: Date = new Date()): Promise<boolean> {
  const result = await pool.query(
    `update intake.credentials set revoked_at = $2 where key_id = $1 and revoked_at is null`,
    [keyId, at],
  );
  return result.rowCount === 1;
}

export interface KeySummary {
  keyId: string;
  department: string;
  label: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export async function listKeys(pool: pg.Pool, department?: string): Promise<KeySummary[]> {
  const { rows } = await pool.query(
    `select key_id as "keyId", department, label, created_at as "createdAt", expires_at as "expiresAt",
            revoked_at as "revokedAt"
       from intake.credentials where $1::text is null or department = $1 order by department, created_at`,
    [department ?? null],
  );
  return rows as KeySummary[];
}

/** Looks keys up in PostgreSQL, trusting an answer for `cacheSeconds` (the delay before a revocation bites). */
export function createKeyStore(pool: pg.Pool, cacheSeconds: number) {
  const cache = new Map<string, { key: StoredKey | undefined; until: number }>();
  return {
    async find(keyId: string): Promise<StoredKey | undefined> {
      const cached = cache.get(keyId);
      if (cached && cached.until > Date.now()) return cached.key;
      const { rows } = await pool.query(
        `select key_id, department, secret_sha256, expires_at, revoked_at from intake.credentials where key_id = $1`,
        [keyId],
      );
      const row = rows[0] as
        | {
            key_id: string;
            department: string;
            secret_sha256: Buffer;
            expires_at: Date | null;
            revoked_at: Date | null;
          }
        | undefined;
      const key = row && {
        keyId: row.key_id,
        department: row.department,
        secretSha256: row.secret_sha256,
        expiresAt: row.expires_at,
        revokedAt: row.revoked_at,
      };
      if (cache.size > 10_000) cache.clear();
      cache.set(keyId, { key, until: Date.now() + cacheSeconds * 1000 });
      return key;
    },
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;
