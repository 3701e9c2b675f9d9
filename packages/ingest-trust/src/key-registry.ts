import { createPublicKey, type KeyObject } from 'node:crypto';
import { appendAuditEntries, type JsonObject, migrateAudit } from '@credit/audit';
import { CATALOGUE_DB_SCHEMA, MIGRATIONS_DIR } from '@credit/catalogue';
import { inTransaction, migrate } from '@credit/db';
import type pg from 'pg';
import { algorithmOf, type SigningAlgorithm, signingKeyId } from './signing.ts';

/** A department's signing key as the catalogue registers it. */
export interface RegisteredKey {
  keyId: string;
  department: string;
  algorithm: SigningAlgorithm;
  publicKey: KeyObject;
  /** `department`: its own SDK's key; `gateway`: the key the ingest gateway signs with for it. */
  holder: 'department' | 'gateway';
  registeredAt: Date;
  revokedAt: Date | null;
}

interface KeyRow {
  key_id: string;
  department: string;
  algorithm: SigningAlgorithm;
  public_key: string;
  holder: 'department' | 'gateway';
  registered_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = 'key_id, department, algorithm, public_key, holder, registered_at, revoked_at';

function fieldsOf(row: KeyRow): Omit<RegisteredKey, 'publicKey'> {
  return {
    keyId: row.key_id,
    department: row.department,
    algorithm: row.algorithm,
    holder: row.holder,
    registeredAt: row.registered_at,
    revokedAt: row.revoked_at,
  };
}

function fromRow(row: KeyRow): RegisteredKey {
  return { ...fieldsOf(row), publicKey: createPublicKey(row.public_key) };
}

/** The catalogue's schema, with its signing_keys table: migrated by whoever reads or writes keys first. */
export async function migrateSigningKeys(pool: pg.Pool): Promise<void> {
  await migrate(pool, CATALOGUE_DB_SCHEMA, MIGRATIONS_DIR);
}

/** What registering and revoking write to: signing_keys and the catalogue's audit log. */
async function migrateKeyChanges(pool: pg.Pool): Promise<void> {
  await migrateSigningKeys(pool);
  await migrateAudit(pool, CATALOGUE_DB_SCHEMA);
}

/**
 * Every registration and revocation is one row of the catalogue's hash-chained audit log, appended in the
 * transaction of the change: both commit or neither.
 */
async function audit(
  client: pg.ClientBase,
  entry: { actor: string; purpose: string | null; action: string; detail: JsonObject },
): Promise<void> {
  await appendAuditEntries(client, [{ ...entry, subjectCode: null }], { schema: CATALOGUE_DB_SCHEMA });
}

/**
 * The registered keys in memory, for verifying every message without a query: loaded at start, refreshed every
 * `refreshMs` (a revocation takes effect within that), and at once when a batch names a key not seen yet.
 */
export interface SigningKeyRegistry {
  get(keyId: string): RegisteredKey | undefined;
  /** Loads the keys among `keyIds` not known yet (one query); call before verifying a batch. */
  ensure(keyIds: Iterable<string>): Promise<void>;
  refresh(): Promise<void>;
  stop(): void;
}

/** What signingKeyId makes: 16 bytes of SHA-256, hex. */
const KEY_ID = /^[0-9a-f]{32}$/;

export async function createSigningKeyRegistry(
  pool: pg.Pool,
  options: { refreshMs?: number } = {},
): Promise<SigningKeyRegistry> {
  await migrateSigningKeys(pool);
  let keys = new Map<string, RegisteredKey>();
  const refresh = async () => {
    const { rows } = await pool.query<KeyRow>(`select ${COLUMNS} from ${CATALOGUE_DB_SCHEMA}.signing_keys`);
    keys = new Map(rows.map((row) => [row.key_id, fromRow(row)]));
  };
  await refresh();
  const timer = setInterval(() => void refresh().catch(() => {}), options.refreshMs ?? 30_000);
  timer.unref();
  return {
    get: (keyId) => keys.get(keyId),
    async ensure(keyIds) {
      // Only what signingKeyId makes can be registered. Anything else a header names (a NUL in it would fail the
      // query, and with it every batch that names it) is simply not a registered key.
      const unknown = [...new Set(keyIds)].filter((id) => KEY_ID.test(id) && !keys.has(id));
      if (unknown.length === 0) return;
      const { rows } = await pool.query<KeyRow>(
        `select ${COLUMNS} from ${CATALOGUE_DB_SCHEMA}.signing_keys where key_id = any($1::text[])`,
        [unknown],
      );
      if (rows.length === 0) return;
      const next = new Map(keys);
      for (const row of rows) next.set(row.key_id, fromRow(row));
      keys = next;
    },
    refresh,
    stop: () => clearInterval(timer),
  };
}

/**
 * Registers a department's public key (idempotent: the same key again changes nothing). Refuses a key registered to
 * another department, and a key that is not Ed25519 or SM2.
 */
export async function registerSigningKey(
  pool: pg.Pool,
  key: { department: string; publicKeyPem: string; holder: 'department' | 'gateway'; registeredBy: string },
): Promise<{ keyId: string; algorithm: SigningAlgorithm; created: boolean }> {
  await migrateKeyChanges(pool);
  const publicKey = createPublicKey(key.publicKeyPem);
  const algorithm = algorithmOf(publicKey);
  const keyId = signingKeyId(publicKey);
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const created = await inTransaction(pool, async (client) => {
    const inserted = await client.query(
      `insert into ${CATALOGUE_DB_SCHEMA}.signing_keys (key_id, department, algorithm, public_key, holder, registered_by)
       values ($1, $2, $3, $4, $5, $6) on conflict (key_id) do nothing`,
      [keyId, key.department, algorithm, pem, key.holder, key.registeredBy],
    );
    if (inserted.rowCount === 1) {
      await audit(client, {
        actor: key.registeredBy,
        purpose: null,
        action: 'register-signing-key',
        detail: { keyId, department: key.department, algorithm, holder: key.holder },
      });
      return true;
    }
    const { rows } = await client.query<{ department: string }>(
      `select department from ${CATALOGUE_DB_SCHEMA}.signing_keys where key_id = $1`,
      [keyId],
    );
    if (rows[0]?.department !== key.department) {
      throw new Error(
        `key ${keyId} is registered to department ${rows[0]?.department}, not ${key.department}`,
      );
    }
    return false;
  });
  return { keyId, algorithm, created };
}

/** Revokes a key from now on (or from `at`); a key revoked already keeps its first revocation. */
export async function revokeSigningKey(
  pool: pg.Pool,
  keyId: string,
  revocation: { by: string; reason: string; at?: Date },
): Promise<boolean> {
  await migrateKeyChanges(pool);
  const at = revocation.at ?? new Date();
  return inTransaction(pool, async (client) => {
    const result = await client.query<{ department: string }>(
      `update ${CATALOGUE_DB_SCHEMA}.signing_keys set revoked_at = $2, revoked_by = $3, revocation_reason = $4
       where key_id = $1 and revoked_at is null returning department`,
      [keyId, at, revocation.by, revocation.reason],
    );
    const revoked = result.rows[0];
    if (!revoked) return false;
    await audit(client, {
      actor: revocation.by,
      purpose: revocation.reason,
      action: 'revoke-signing-key',
      detail: { keyId, department: revoked.department, revokedAt: at.toISOString() },
    });
    return true;
  });
}

export async function listSigningKeys(
  pool: pg.Pool,
): Promise<(Omit<RegisteredKey, 'publicKey'> & { registeredBy: string; revocationReason: string | null })[]> {
  await migrateSigningKeys(pool);
  const { rows } = await pool.query<KeyRow & { registered_by: string; revocation_reason: string | null }>(
    `select ${COLUMNS}, registered_by, revocation_reason from ${CATALOGUE_DB_SCHEMA}.signing_keys
     order by department, registered_at`,
  );
  return rows.map((row) => ({
    ...fieldsOf(row),
    registeredBy: row.registered_by,
    revocationReason: row.revocation_reason,
  }));
}
