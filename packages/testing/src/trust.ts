import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createSigner,
  generateSealingKeyPair,
  generateSigningKeyPair,
  registerSigningKey,
  type Signer,
  type SigningKeyPair,
} from '@credit/ingest-trust';
import type pg from 'pg';

/**
 * The keys tests sign and seal with, made once per test process: a platform sealing key pair, and a signing key
 * per department (Ed25519), which each test registers in its own database.
 */
export const TEST_PLATFORM_KEYS = generateSealingKeyPair();

const pairs = new Map<string, SigningKeyPair>();
const signers = new Map<string, Signer>();

export function testSigningKey(department: string): SigningKeyPair {
  let pair = pairs.get(department);
  if (!pair) {
    pair = generateSigningKeyPair();
    pairs.set(department, pair);
  }
  return pair;
}

export function testSigner(department: string): Signer {
  let signer = signers.get(department);
  if (!signer) {
    signer = createSigner(department, testSigningKey(department).privateKeyPem);
    signers.set(department, signer);
  }
  return signer;
}

/** Registers the departments' test keys in the catalogue of the database `pool` is on. */
export async function registerTestSigningKeys(pool: pg.Pool, departments: readonly string[]): Promise<void> {
  for (const department of departments) {
    await registerSigningKey(pool, {
      department,
      publicKeyPem: testSigningKey(department).publicKeyPem,
      holder: 'department',
      registeredBy: 'test',
    });
  }
}

/** A directory of the departments' private test keys (`<code>.pem`), as the gateway reads them. */
export function testSigningKeysDir(departments: readonly string[]): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'signing-keys-')), 'keys');
  mkdirSync(dir, { mode: 0o700 });
  for (const department of departments) {
    writeFileSync(path.join(dir, `${department}.pem`), testSigningKey(department).privateKeyPem, {
      mode: 0o600,
    });
  }
  return dir;
}
