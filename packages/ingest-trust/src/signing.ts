import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Signatures over ingest messages, so that what a department reports stays bound to it (谁提供谁负责, and
 * non-repudiation): Kafka does not tell a consumer who produced a message, so the producer signs and the consumer
 * verifies with the key the catalogue registers for that department.
 *
 * Two algorithms: Ed25519, and SM2 with SM3 (GB/T 32918, GM/T 0003), which a Chinese cryptography review
 * (密评) expects. Node's crypto signs real SM2 only with keys read from PEM (a key it generates on the SM2 curve is
 * used for plain ECDSA): keys are therefore always passed through PEM, and a test checks the signatures against
 * the openssl command line.
 */
export type SigningAlgorithm = 'ed25519' | 'sm2';

export const SIGNATURE_HEADERS = {
  /** The signing key's id (signingKeyId). */
  keyId: 'signature-key-id',
  /** The signature, base64url. */
  signature: 'signature',
} as const;

const DOMAIN = Buffer.from('credit-ingest-signature/v1\u0000');

/** The SM2 curve's OID (1.2.156.10197.1.301) as DER, found in an SM2 key's SubjectPublicKeyInfo. */
const SM2_CURVE_OID = Buffer.from('06082a811ccf5501822d', 'hex');

/**
 * What is signed: a domain tag, the department, the message key and the value, each length-prefixed. Headers are not
 * signed (they only describe the value); the topic is not either, since the department is (the consumer checks the
 * topic is that department's).
 */
export function signedBytes(department: string, key: Buffer | null, value: Buffer): Buffer {
  const departmentBytes = Buffer.from(department, 'utf8');
  const keyBytes = key ?? Buffer.alloc(0);
  const lengths = Buffer.alloc(12);
  lengths.writeUInt32BE(departmentBytes.length, 0);
  lengths.writeUInt32BE(keyBytes.length, 4);
  lengths.writeUInt32BE(value.length, 8);
  return Buffer.concat([DOMAIN, lengths, departmentBytes, keyBytes, value]);
}

/** A key's id: the first 16 bytes of the SHA-256 of its SubjectPublicKeyInfo, hex. */
export function signingKeyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 32);
}

export function algorithmOf(publicKey: KeyObject): SigningAlgorithm {
  if (publicKey.asymmetricKeyType === 'ed25519') return 'ed25519';
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  if (spki.includes(SM2_CURVE_OID)) return 'sm2';
  throw new Error(
    `unsupported signing key (${publicKey.asymmetricKeyType ?? 'unknown type'}): use Ed25519 or SM2`,
  );
}

/** The digest sign() and verify() are given: SM2 signs an SM3 digest; Ed25519 hashes the message itself (null). */
function digestOf(algorithm: SigningAlgorithm): 'sm3' | null {
  return algorithm === 'sm2' ? 'sm3' : null;
}

export interface SigningKeyPair {
  algorithm: SigningAlgorithm;
  keyId: string;
  /** PKCS#8 PEM: stays with the department (or the gateway, for departments that report over HTTPS). */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo PEM: what the catalogue registers. */
  publicKeyPem: string;
}

export function generateSigningKeyPair(algorithm: SigningAlgorithm = 'ed25519'): SigningKeyPair {
  const pair =
    algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: 'SM2' });
  // Through PEM, so an SM2 key comes back as an SM2 key (see the module comment).
  const privateKeyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKey = createPublicKey(createPrivateKey(privateKeyPem));
  return {
    algorithm,
    keyId: signingKeyId(publicKey),
    privateKeyPem,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Signs for one department with one private key. */
export interface Signer {
  readonly department: string;
  readonly keyId: string;
  readonly algorithm: SigningAlgorithm;
  /** The signature headers of a message with this key and value. */
  headers(key: Buffer | string | null, value: Buffer): Record<string, string>;
}

export function createSigner(department: string, privateKeyPem: string): Signer {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const algorithm = algorithmOf(publicKey);
  const keyId = signingKeyId(publicKey);
  const digest = digestOf(algorithm);
  return {
    department,
    keyId,
    algorithm,
    headers(key, value) {
      const keyBytes = key === null ? null : Buffer.isBuffer(key) ? key : Buffer.from(key, 'utf8');
      const signature = sign(digest, signedBytes(department, keyBytes, value), privateKey);
      return {
        [SIGNATURE_HEADERS.keyId]: keyId,
        [SIGNATURE_HEADERS.signature]: signature.toString('base64url'),
      };
    },
  };
}

/** True when `signature` is `publicKey`'s over the message. */
export function verifySignature(
  publicKey: KeyObject,
  algorithm: SigningAlgorithm,
  department: string,
  key: Buffer | null,
  value: Buffer,
  signature: Buffer,
): boolean {
  try {
    return verify(digestOf(algorithm), signedBytes(department, key, value), publicKey, signature);
  } catch {
    return false;
  }
}

/**
 * The signers of the departments a holder (the ingest gateway) signs for: one PKCS#8 PEM file per department in
 * `dir`, named `<department code>.pem`. Other files (a misnamed key, a department not in `departments`) are
 * returned as `ignored`, for the holder to say so at start rather than when that department first reports.
 */
export function loadSigners(
  dir: string,
  departments: readonly string[],
): { signers: Map<string, Signer>; ignored: string[] } {
  const signers = new Map<string, Signer>();
  const ignored: string[] = [];
  for (const file of readdirSync(dir)) {
    const department = file.endsWith('.pem') ? file.slice(0, -'.pem'.length) : '';
    if (departments.includes(department)) {
      signers.set(department, createSigner(department, readFileSync(path.join(dir, file), 'utf8')));
    } else if (!file.startsWith('.')) {
      ignored.push(file);
    }
  }
  return { signers, ignored };
}
