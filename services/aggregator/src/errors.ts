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
export const ErasureRequestInvalid = defineError<[why: string]>(
  'AGG_ERASE_INVALID_REQUEST',
  400,
  'the erasure request is invalid: %s',
);
export const ErasureSubjectUnknown = defineError<[subject: string]>(
  'AGG_ERASE_UNKNOWN_SUBJECT',
  404,
  'subject %s is not in the unified database and was never erased: check the number or the token (and the SUBJECT_TOKEN_KEY it was made with)',
);
export const ErasureAlreadyDone = defineError<[subject: string, erasedAt: string, tombstone: string]>(
  'AGG_ERASE_ALREADY_ERASED',
  409,
  'subject %s was already erased at %s (tombstone %s); nothing about it has been reported since',
);
export const ErasureNotNaturalPerson = defineError<[subject: string, kind: string]>(
  'AGG_ERASE_NOT_NATURAL_PERSON',
  422,
  'subject %s is of kind %s: only a natural person (kind natural_person) is erased this way; an organisation never is',
);
export const ErasureTablesMissing = defineError<[schema: string]>(
  'AGG_ERASE_NOT_MIGRATED',
  503,
  'schema %s has no erasures table or audit log yet: start the aggregator of this version once (it migrates), then erase',
);
/** The refusals of an erasure: the request is answered with the code, nothing was erased. */
export const ERASURE_REFUSALS = [
  ErasureAlreadyDone,
  ErasureSubjectUnknown,
  ErasureNotNaturalPerson,
  ErasureRequestInvalid,
  ErasureTablesMissing,
] as const;
export const ReplayBeyondRetention = defineError<
  [topic: string, partition: string, from: string, earliest: string]
>(
  'AGG_REPLAY_BEYOND_RETENTION',
  409,
  '%s partition %s would be replayed from offset %s, but retention has deleted everything before %s: rebuild from a snapshot taken since (credit snapshot create, then credit replay --from-snapshot <schema>)',
);
