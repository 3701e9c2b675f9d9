import { defineError } from '@credit/errors';

/** Why a message was refused; each code travels in the DLQ header, the error table and the metric label. */
export const REFUSAL_CODES = {
  noValue: 'AGG_NO_VALUE',
  unknownDepartment: 'AGG_UNKNOWN_DEPARTMENT',
  databaseRejected: 'AGG_DATABASE_REJECTED',
} as const;

export const BadEncryptionKey = defineError<[bytes: number]>(
  'AGG_BAD_ENCRYPTION_KEY',
  500,
  'IDENTITY_ENCRYPTION_KEY must be 32 bytes for AES-256-GCM, got %d',
);
export const UndecryptableIdentity = defineError<[why: string]>(
  'AGG_UNDECRYPTABLE_IDENTITY',
  500,
  'an encrypted identity number cannot be decrypted: %s',
);
export const ReplayTargetLive = defineError<[schema: string]>(
  'AGG_REPLAY_TARGET_LIVE',
  400,
  'replay would rebuild schema %s, which the running aggregator writes; pass --force after stopping it, or another --schema',
);
