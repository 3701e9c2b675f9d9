import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSealingKeyPair } from '@credit/ingest-trust';
import { RUN_DIR } from './paths.ts';

/** Keys the platform's services need that a local run can make up: random once, then kept under .run/. */
export interface LocalSecrets {
  SUBJECT_TOKEN_KEY: string;
  IDENTITY_ENCRYPTION_KEY: string;
  /** The list-designation reviewer API's clients (JSON), one per role of the local demo. */
  LIST_API_TOKENS: string;
  /** The sanctions service's API clients (JSON): implementing departments, an approval system, the credit office. */
  SANCTIONS_API_TOKENS: string;
  /** The query API's authorised clients (JSON), one per scope mix of the local demo. */
  QUERY_API_CLIENTS: string;
  /** The query API's own approval-system token at the sanctions service (checks pass through it). */
  SANCTIONS_TOKEN: string;
  /** The ops monitor's operators (JSON): reading dead letters needs a token, replaying them the role operator. */
  OPS_API_TOKENS: string;
  /** The platform's sealing key pair (X25519, base64url): the aggregator alone gets the private key. */
  PLATFORM_SEALING_PRIVATE_KEYS: string;
  PLATFORM_SEALING_PUBLIC_KEY: string;
}

const SECRETS_FILE = path.join(RUN_DIR, 'secrets.json');

/**
 * The local platform's keys, made on first use and reused after (tokens and encrypted numbers in the database
 * stay readable across restarts). Production takes them from its secret store instead (deploy/k8s).
 */
export function localSecrets(): LocalSecrets {
  const kept: Partial<LocalSecrets> = existsSync(SECRETS_FILE)
    ? (JSON.parse(readFileSync(SECRETS_FILE, 'utf8')) as Partial<LocalSecrets>)
    : {};
  const secrets: LocalSecrets = {
    SUBJECT_TOKEN_KEY: kept.SUBJECT_TOKEN_KEY ?? randomBytes(32).toString('hex'),
    IDENTITY_ENCRYPTION_KEY: kept.IDENTITY_ENCRYPTION_KEY ?? randomBytes(32).toString('hex'),
    LIST_API_TOKENS: kept.LIST_API_TOKENS ?? localListClients(),
    SANCTIONS_API_TOKENS: kept.SANCTIONS_API_TOKENS ?? localSanctionsClients(),
    QUERY_API_CLIENTS: checkClientsNameDepartments(kept.QUERY_API_CLIENTS) ?? localQueryClients(),
    SANCTIONS_TOKEN: kept.SANCTIONS_TOKEN ?? token(),
    OPS_API_TOKENS:
      kept.OPS_API_TOKENS ??
      JSON.stringify([{ token: token(), actor: 'operations-desk', roles: ['operator'] }]),
    ...sealingKeys(kept),
  };
  // The query API passes checks to the sanctions service with its own token; a file from before it gains the client.
  const sanctionsClients = JSON.parse(secrets.SANCTIONS_API_TOKENS) as { token: string; roles: string[] }[];
  const relay = sanctionsClients.find((client) => client.token === secrets.SANCTIONS_TOKEN);
  if (!relay?.roles.includes('relay')) {
    secrets.SANCTIONS_API_TOKENS = JSON.stringify([
      ...sanctionsClients.filter((client) => client !== relay),
      queryApiAtSanctions(secrets.SANCTIONS_TOKEN),
    ]);
  }
  // Keys added by a later version join the file; the ones there are kept (tokens and ciphertexts stay valid).
  if (JSON.stringify(kept) !== JSON.stringify(secrets)) {
    mkdirSync(RUN_DIR, { recursive: true });
    writeFileSync(SECRETS_FILE, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}

const token = () => randomBytes(24).toString('base64url');

function sealingKeys(
  kept: Partial<LocalSecrets>,
): Pick<LocalSecrets, 'PLATFORM_SEALING_PRIVATE_KEYS' | 'PLATFORM_SEALING_PUBLIC_KEY'> {
  if (kept.PLATFORM_SEALING_PRIVATE_KEYS && kept.PLATFORM_SEALING_PUBLIC_KEY) {
    return {
      PLATFORM_SEALING_PRIVATE_KEYS: kept.PLATFORM_SEALING_PRIVATE_KEYS,
      PLATFORM_SEALING_PUBLIC_KEY: kept.PLATFORM_SEALING_PUBLIC_KEY,
    };
  }
  const pair = generateSealingKeyPair();
  return { PLATFORM_SEALING_PRIVATE_KEYS: pair.privateKey, PLATFORM_SEALING_PUBLIC_KEY: pair.publicKey };
}

/**
 * The secrets each service is given, and no others (least privilege, as deploy/k8s mounts them): the platform's
 * sealing private key reaches the aggregator alone.
 */
const SECRETS_OF: Record<string, readonly (keyof LocalSecrets)[]> = {
  aggregator: ['SUBJECT_TOKEN_KEY', 'IDENTITY_ENCRYPTION_KEY', 'PLATFORM_SEALING_PRIVATE_KEYS'],
  'ingest-gateway': ['PLATFORM_SEALING_PUBLIC_KEY'],
  'list-designation': ['LIST_API_TOKENS'],
  sanctions: ['SUBJECT_TOKEN_KEY', 'SANCTIONS_API_TOKENS'],
  'query-api': ['SUBJECT_TOKEN_KEY', 'QUERY_API_CLIENTS', 'SANCTIONS_TOKEN'],
  'ops-monitor': ['OPS_API_TOKENS'],
};

export function localSecretsOf(service: string): Partial<LocalSecrets> {
  const all = localSecrets();
  const names = SECRETS_OF[service];
  if (!names) throw new Error(`no local secrets are defined for service ${service} (infra/src/secrets.ts)`);
  return Object.fromEntries(names.map((name) => [name, all[name]]));
}

/** The credit office, finance and market regulation as implementing departments, a procurement approval system. */
function localSanctionsClients(): string {
  return JSON.stringify([
    { token: token(), actor: 'credit-office', roles: ['office'] },
    { token: token(), actor: 'finance-orders', roles: ['department'], department: 'finance' },
    { token: token(), actor: 'market-orders', roles: ['department'], department: 'market-regulation' },
    { token: token(), actor: 'procurement-platform', roles: ['approval-system'], department: 'finance' },
  ]);
}

/** A reviewer (信用办), the court and tax as designators, an objection desk and an admin, each with its own token. */
function localListClients(): string {
  return JSON.stringify([
    { token: token(), actor: 'credit-office-reviewer', roles: ['reviewer'] },
    { token: token(), actor: 'court-designator', roles: ['designator'], department: 'intermediate-court' },
    { token: token(), actor: 'tax-designator', roles: ['designator'], department: 'tax' },
    {
      token: token(),
      actor: 'development-reform-designator',
      roles: ['designator'],
      department: 'development-reform',
    },
    { token: token(), actor: 'objection-desk', roles: ['objection-desk'] },
    { token: token(), actor: 'platform-admin', roles: ['admin'] },
  ]);
}

/** The query API at the sanctions service: a relay, naming the approval system each check is for. */
function queryApiAtSanctions(sanctionsToken: string) {
  return { token: sanctionsToken, actor: 'query-api', roles: ['relay'] };
}

/** The credit office's desk (every scope), a procurement portal (checks) and a housing office (histories). */
function localQueryClients(): string {
  return JSON.stringify([
    {
      token: token(),
      actor: 'credit-office-desk',
      roles: ['history', 'report', 'check', 'audit'],
      department: 'development-reform',
    },
    { token: token(), actor: 'procurement-portal', roles: ['check'], department: 'finance' },
    { token: token(), actor: 'housing-approvals', roles: ['history', 'report'] },
  ]);
}

/** Kept query clients, unless a checking client lacks its department (made before checks named one): then new ones. */
function checkClientsNameDepartments(json: string | undefined): string | undefined {
  if (json === undefined) return undefined;
  const clients = JSON.parse(json) as { roles: string[]; department?: string }[];
  return clients.every((client) => !client.roles.includes('check') || client.department) ? json : undefined;
}
