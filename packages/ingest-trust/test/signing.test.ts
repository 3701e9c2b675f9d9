import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  algorithmOf,
  createSigner,
  generateSigningKeyPair,
  type RegisteredKey,
  SIGNATURE_HEADERS,
  signedBytes,
  verifyIngestSignature,
  verifySignature,
} from '../src/index.ts';

const value = Buffer.from([0xc3, 0x01, 1, 2, 3, 4]);

function registered(
  pair: ReturnType<typeof generateSigningKeyPair>,
  department: string,
  revokedAt: Date | null = null,
): RegisteredKey {
  return {
    keyId: pair.keyId,
    department,
    algorithm: pair.algorithm,
    publicKey: createPublicKey(pair.publicKeyPem),
    holder: 'department',
    registeredAt: new Date(0),
    revokedAt,
  };
}

function message(headers: Record<string, string>, key = 'XK-1', body = value, timestamp = Date.now()) {
  return {
    key: Buffer.from(key),
    value: body,
    headers: Object.fromEntries(Object.entries(headers).map(([name, text]) => [name, Buffer.from(text)])),
    timestamp,
  };
}

describe.each(['ed25519', 'sm2'] as const)('%s signatures', (algorithm) => {
  const pair = generateSigningKeyPair(algorithm);
  const signer = createSigner('tax', pair.privateKeyPem);
  const registry = { get: (id: string) => (id === pair.keyId ? registered(pair, 'tax') : undefined) };

  it('signs the department, key and value, and verifies with the registered key', () => {
    expect(signer).toMatchObject({ department: 'tax', keyId: pair.keyId, algorithm });
    expect(algorithmOf(createPublicKey(pair.publicKeyPem))).toBe(algorithm);
    const headers = signer.headers('XK-1', value);
    expect(headers[SIGNATURE_HEADERS.keyId]).toBe(pair.keyId);
    expect(verifyIngestSignature(message(headers), 'tax', registry)).toMatchObject({ ok: true });
  });

  it('refuses an altered value or key, another department, and a signature of another key', () => {
    const headers = signer.headers('XK-1', value);
    const altered = Buffer.from(value);
    altered[5] = 9;
    expect(verifyIngestSignature(message(headers, 'XK-1', altered), 'tax', registry)).toMatchObject({
      ok: false,
      code: 'SIGNATURE_INVALID',
    });
    expect(verifyIngestSignature(message(headers, 'XK-2'), 'tax', registry)).toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
    expect(verifyIngestSignature(message(headers), 'customs', registry)).toMatchObject({
      code: 'SIGNATURE_WRONG_DEPARTMENT',
      message: expect.stringContaining('belongs to department tax'),
    });
    const stranger = createSigner('tax', generateSigningKeyPair(algorithm).privateKeyPem);
    const forged = { ...stranger.headers('XK-1', value), [SIGNATURE_HEADERS.keyId]: pair.keyId };
    expect(verifyIngestSignature(message(forged), 'tax', registry)).toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
  });
});

describe('verifying ingest messages', () => {
  const pair = generateSigningKeyPair();
  const headers = createSigner('tax', pair.privateKeyPem).headers('XK-1', value);

  it('refuses an unsigned message and a key the catalogue does not register', () => {
    expect(verifyIngestSignature(message({}), 'tax', { get: () => undefined })).toMatchObject({
      code: 'SIGNATURE_MISSING',
    });
    expect(verifyIngestSignature(message(headers), 'tax', { get: () => undefined })).toMatchObject({
      code: 'SIGNATURE_UNKNOWN_KEY',
    });
  });

  it('accepts a revoked key for messages the broker took before the revocation, and refuses it after', () => {
    const revokedAt = new Date('2026-06-01T00:00:00Z');
    const registry = { get: () => registered(pair, 'tax', revokedAt) };
    expect(
      verifyIngestSignature(message(headers, 'XK-1', value, revokedAt.getTime() - 1), 'tax', registry),
    ).toMatchObject({
      ok: true,
    });
    expect(
      verifyIngestSignature(message(headers, 'XK-1', value, revokedAt.getTime()), 'tax', registry),
    ).toMatchObject({
      code: 'SIGNATURE_KEY_REVOKED',
    });
  });
});

describe('SM2 interoperability', () => {
  it('is the GB/T 32918 SM2 signature with SM3, which the openssl command line verifies and makes', () => {
    const pair = generateSigningKeyPair('sm2');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sm2-'));
    const file = (name: string) => path.join(dir, name);
    const data = signedBytes('tax', Buffer.from('XK-1'), value);
    writeFileSync(file('data'), data);
    writeFileSync(file('public.pem'), pair.publicKeyPem);
    writeFileSync(file('private.pem'), pair.privateKeyPem);
    const signature = Buffer.from(
      createSigner('tax', pair.privateKeyPem).headers('XK-1', value)[SIGNATURE_HEADERS.signature]!,
      'base64url',
    );
    writeFileSync(file('node.sig'), signature);
    const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: 'pipe' });
    expect(
      openssl(
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        file('public.pem'),
        '-rawin',
        '-digest',
        'sm3',
        '-in',
        file('data'),
        '-sigfile',
        file('node.sig'),
      ),
    ).toContain('Signature Verified Successfully');
    openssl(
      'pkeyutl',
      '-sign',
      '-inkey',
      file('private.pem'),
      '-rawin',
      '-digest',
      'sm3',
      '-in',
      file('data'),
      '-out',
      file('openssl.sig'),
    );
    expect(
      verifySignature(
        createPublicKey(pair.publicKeyPem),
        'sm2',
        'tax',
        Buffer.from('XK-1'),
        value,
        readFileSync(file('openssl.sig')),
      ),
    ).toBe(true);
  });
});
