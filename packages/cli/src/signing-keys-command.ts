import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { knownDepartment, withPool } from './command-context.ts';

/**
 * `credit signing-keys`: the keys that sign what departments report (谁提供谁负责). A department generates its key
 * pair and keeps the private key; the credit office registers the public key in the catalogue, which the
 * aggregator verifies every message against; a key that leaks is revoked. Every registration and revocation is a
 * row of the catalogue's audit log.
 */
export function signingKeysCommand(program: Command): void {
  const keys = program
    .command('signing-keys')
    .description("departments' message signing keys (Ed25519 or SM2), registered in the catalogue");

  keys
    .command('generate <department>')
    .description(
      'make a key pair for a department: <out>/<department>.pem (private, 0600: stays with the department or the gateway) and <department>.pub.pem (to register)',
    )
    .option('--algorithm <name>', 'ed25519 or sm2 (SM2 with SM3, GB/T 32918)', parseAlgorithm, 'ed25519')
    .option('--out <dir>', 'where to write the two files', '.')
    .action(async (department: string, options: { algorithm: 'ed25519' | 'sm2'; out: string }) => {
      const { generateSigningKeyPair } = await import('@credit/ingest-trust');
      await knownDepartment(department);
      const pair = generateSigningKeyPair(options.algorithm);
      mkdirSync(options.out, { recursive: true });
      const privateFile = path.join(options.out, `${department}.pem`);
      const publicFile = path.join(options.out, `${department}.pub.pem`);
      writeFileSync(privateFile, pair.privateKeyPem, { mode: 0o600 });
      chmodSync(privateFile, 0o600);
      writeFileSync(publicFile, pair.publicKeyPem);
      console.log(
        JSON.stringify({ department, keyId: pair.keyId, algorithm: pair.algorithm, privateFile, publicFile }),
      );
    });

  keys
    .command('register <department> <publicKeyFile>')
    .description(
      'register a department’s public key (PEM) in the catalogue; the aggregator accepts its signatures',
    )
    .option(
      '--holder <holder>',
      'department (its own SDK) or gateway (the ingest gateway signs for it)',
      'department',
    )
    .requiredOption('--by <who>', 'who registers it (the audit log names them)')
    .action((department: string, publicKeyFile: string, options: { holder: string; by: string }) =>
      withPool(async (pool) => {
        const { registerSigningKey } = await import('@credit/ingest-trust');
        await knownDepartment(department);
        if (options.holder !== 'department' && options.holder !== 'gateway') {
          throw new Error(`--holder must be department or gateway, got ${options.holder}`);
        }
        const registered = await registerSigningKey(pool, {
          department,
          publicKeyPem: readFileSync(publicKeyFile, 'utf8'),
          holder: options.holder,
          registeredBy: options.by,
        });
        console.log(JSON.stringify({ department, ...registered }));
      }),
    );

  keys
    .command('list')
    .description('registered keys, revoked ones included (a key is never deleted)')
    .option('--department <code>', 'only this department')
    .action((options: { department?: string }) =>
      withPool(async (pool) => {
        const { listSigningKeys } = await import('@credit/ingest-trust');
        for (const key of await listSigningKeys(pool)) {
          if (!options.department || key.department === options.department) console.log(JSON.stringify(key));
        }
      }),
    );

  keys
    .command('revoke <keyId>')
    .description(
      'revoke a key: messages the broker takes from now on with its signature are refused (SIGNATURE_KEY_REVOKED); aggregators notice within SIGNING_KEYS_REFRESH_MS',
    )
    .requiredOption('--reason <text>', 'why (the audit log keeps it)')
    .requiredOption('--by <who>', 'who revokes it')
    .action((keyId: string, options: { reason: string; by: string }) =>
      withPool(async (pool) => {
        const { revokeSigningKey } = await import('@credit/ingest-trust');
        if (!(await revokeSigningKey(pool, keyId, { by: options.by, reason: options.reason }))) {
          throw new Error(`no key ${keyId} that is registered and not revoked yet`);
        }
        console.log(JSON.stringify({ keyId, revoked: true }));
      }),
    );
}

function parseAlgorithm(value: string): 'ed25519' | 'sm2' {
  if (value !== 'ed25519' && value !== 'sm2') throw new InvalidArgumentError('ed25519 or sm2');
  return value;
}
