/**
 * Why the platform refuses an ingest message it cannot trust. The same codes appear in the dead-letter header, the
 * aggregator's error table and the refusal metric.
 */
export const TRUST_CODES = {
  /** No signature headers: the producer did not sign. */
  unsigned: 'SIGNATURE_MISSING',
  /** The signing key is not registered (or was removed). */
  unknownKey: 'SIGNATURE_UNKNOWN_KEY',
  /** The key is registered to another department than the topic's. */
  wrongDepartment: 'SIGNATURE_WRONG_DEPARTMENT',
  /** The key was revoked before the message reached the broker. */
  revokedKey: 'SIGNATURE_KEY_REVOKED',
  /** The signature does not verify: the key, value or department was altered, or another key signed. */
  invalid: 'SIGNATURE_INVALID',
  /** An identity number travels in clear (an old or hostile producer). */
  notSealed: 'SEALED_IDENTITY_IN_CLEAR',
  /** The data key is sealed for a platform key this aggregator does not hold. */
  unknownSealingKey: 'SEALED_UNKNOWN_KEY',
  /** The sealed data or the data key does not open (altered, or sealed for another key). */
  unreadable: 'SEALED_UNREADABLE',
} as const;

export type TrustCode = (typeof TRUST_CODES)[keyof typeof TRUST_CODES];

export interface TrustRefusal {
  ok: false;
  code: TrustCode;
  /** Names the key, department and rule; never an identity number. */
  message: string;
}

/** The answer of a check that refuses a message. */
export function refuse(code: TrustCode, message: string): TrustRefusal {
  return { ok: false, code, message };
}
