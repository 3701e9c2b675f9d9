import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RUN_DIR } from './paths.ts';

/** Keys the platform's services need that a local run can make up: random once, then kept under .run/. */
export interface LocalSecrets {
  SUBJECT_TOKEN_KEY: string;
  IDENTITY_ENCRYPTION_KEY: string;
}

const SECRETS_FILE = path.join(RUN_DIR, 'secrets.json');

/**
 * The local platform's keys, made on first use and reused after (tokens and encrypted numbers in the database
 * stay readable across restarts). Production takes them from its secret store instead (deploy/k8s).
 */
export function localSecrets(): LocalSecrets {
  if (existsSync(SECRETS_FILE)) return JSON.parse(readFileSync(SECRETS_FILE, 'utf8')) as LocalSecrets;
  const secrets: LocalSecrets = {
    SUBJECT_TOKEN_KEY: randomBytes(32).toString('hex'),
    IDENTITY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  };
  mkdirSync(RUN_DIR, { recursive: true });
  writeFileSync(SECRETS_FILE, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
