import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createPool } from '@credit/db';
import { generateSigningKeyPair, registerSigningKey } from '@credit/ingest-trust';
import { RUN_DIR } from './paths.ts';

/**
 * The local platform's signing keys, made on first use under .run/keys (0600) and registered in the catalogue:
 * one per department for the ingest gateway (it reports for departments that use HTTPS), and the keys of the
 * demo's departments that report with the SDK. A real department makes its own key
 * (`credit signing-keys generate`) and hands the credit office only the public one.
 */
export const LOCAL_KEYS_DIR = path.join(RUN_DIR, 'keys');
const GATEWAY_DIR = path.join(LOCAL_KEYS_DIR, 'gateway');
const DEPARTMENTS_DIR = path.join(LOCAL_KEYS_DIR, 'departments');

function keyFile(dir: string, department: string): { privateKeyPem: string; created: boolean } {
  const file = path.join(dir, `${department}.pem`);
  if (existsSync(file)) return { privateKeyPem: readFileSync(file, 'utf8'), created: false };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pair = generateSigningKeyPair();
  writeFileSync(file, pair.privateKeyPem, { mode: 0o600 });
  return { privateKeyPem: pair.privateKeyPem, created: true };
}

/**
 * Makes (when missing) and registers the gateway's key of every department and the department-held keys of
 * `sdkDepartments`; returns the gateway's key directory (SIGNING_KEYS_DIR) and the department-held keys.
 */
export async function ensureLocalSigningKeys(
  databaseUrl: string,
  departments: readonly string[],
  sdkDepartments: readonly string[],
): Promise<{ gatewayKeysDir: string; departmentKey: (department: string) => string }> {
  const pool = createPool(databaseUrl, { max: 1 });
  try {
    const { createPublicKey } = await import('node:crypto');
    const register = async (department: string, privateKeyPem: string, holder: 'department' | 'gateway') =>
      registerSigningKey(pool, {
        department,
        publicKeyPem: createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString(),
        holder,
        registeredBy: 'pnpm start (local platform)',
      });
    for (const department of departments) {
      await register(department, keyFile(GATEWAY_DIR, department).privateKeyPem, 'gateway');
    }
    const held = new Map<string, string>();
    for (const department of sdkDepartments) {
      const { privateKeyPem } = keyFile(DEPARTMENTS_DIR, department);
      await register(department, privateKeyPem, 'department');
      held.set(department, privateKeyPem);
    }
    return {
      gatewayKeysDir: GATEWAY_DIR,
      departmentKey: (department) => {
        const key = held.get(department);
        if (!key) throw new Error(`no local signing key was made for department ${department}`);
        return key;
      },
    };
  } finally {
    await pool.end();
  }
}
