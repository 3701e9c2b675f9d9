import { refuse, TRUST_CODES, type TrustRefusal } from './codes.ts';
import type { RegisteredKey, SigningKeyRegistry } from './key-registry.ts';
import { SIGNATURE_HEADERS, verifySignature } from './signing.ts';

/** What verification needs of a consumed message. */
export interface SignedMessage {
  key: Buffer | null;
  value: Buffer;
  headers: Record<string, Buffer | undefined>;
  /** The broker's time for the message (LogAppendTime on ingest topics). */
  timestamp: number;
}

/** The signing key a message names, for SigningKeyRegistry.ensure before a batch is verified. */
export function signingKeyIdOf(message: Pick<SignedMessage, 'headers'>): string | undefined {
  return message.headers[SIGNATURE_HEADERS.keyId]?.toString('utf8');
}

/**
 * Checks that `department` (whose topic the message came from) signed it: the named key is registered to that
 * department, was not revoked when the broker took the message, and its signature over the department, key and value
 * verifies. The registry must already hold the key if it is registered (SigningKeyRegistry.ensure).
 */
export function verifyIngestSignature(
  message: SignedMessage,
  department: string,
  registry: Pick<SigningKeyRegistry, 'get'>,
): { ok: true; key: RegisteredKey } | TrustRefusal {
  const keyId = signingKeyIdOf(message);
  const signature = message.headers[SIGNATURE_HEADERS.signature];
  if (keyId === undefined || signature === undefined) {
    return refuse(
      TRUST_CODES.unsigned,
      `the message has no ${SIGNATURE_HEADERS.keyId} and ${SIGNATURE_HEADERS.signature} headers: department ${department} must sign what it reports (the SDK and the gateway do)`,
    );
  }
  const key = registry.get(keyId);
  if (!key) {
    return refuse(
      TRUST_CODES.unknownKey,
      `signing key ${keyId.slice(0, 40)} is not registered in the catalogue (credit signing-keys register)`,
    );
  }
  if (key.department !== department) {
    return refuse(
      TRUST_CODES.wrongDepartment,
      `signing key ${keyId} belongs to department ${key.department}, but the message came from department ${department}'s topic`,
    );
  }
  if (key.revokedAt !== null && message.timestamp >= key.revokedAt.getTime()) {
    return refuse(
      TRUST_CODES.revokedKey,
      `signing key ${keyId} of department ${department} was revoked at ${key.revokedAt.toISOString()}, before the broker took this message (${new Date(message.timestamp).toISOString()})`,
    );
  }
  const bytes = Buffer.from(signature.toString('utf8'), 'base64url');
  if (!verifySignature(key.publicKey, key.algorithm, department, message.key, message.value, bytes)) {
    return refuse(
      TRUST_CODES.invalid,
      `the ${key.algorithm} signature of key ${keyId} does not verify: the message's key or value was altered, or another key signed it`,
    );
  }
  return { ok: true, key };
}
