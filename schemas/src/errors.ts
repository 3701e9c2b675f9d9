import { defineError } from '@credit/errors';

export const NotSingleObject = defineError(
  'SCHEMA_NOT_SINGLE_OBJECT',
  400,
  'not an Avro single-object encoded message: %s',
);
export const UnknownFingerprint = defineError(
  'SCHEMA_UNKNOWN_FINGERPRINT',
  400,
  'no known schema has fingerprint %s',
);
export const Undecodable = defineError<[kind: string, version: number, fingerprint: string, reason: string]>(
  'SCHEMA_UNDECODABLE',
  400,
  'the body of a %s v%d message (fingerprint %s) cannot be decoded: %s',
);
export const InvalidValue = defineError<
  [kind: string, version: number, path: string, value: string, reason: string]
>('SCHEMA_INVALID_VALUE', 400, 'invalid %s v%d value at %s: %s (%s)');
export const UnknownKind = defineError<[kind: string, known: string]>(
  'SCHEMA_UNKNOWN_KIND',
  404,
  'unknown record kind %s; known kinds: %s',
);
export const UnknownVersion = defineError<[kind: string, version: number, known: string]>(
  'SCHEMA_UNKNOWN_VERSION',
  404,
  '%s has no version %d; known versions: %s',
);
export const Incompatible = defineError<
  [kind: string, writerVersion: number, readerVersion: number, reason: string]
>('SCHEMA_INCOMPATIBLE', 500, '%s v%d data cannot be read as v%d: %s. Run pnpm schemas:check');
export const InvalidDefinition = defineError<[file: string, reason: string]>(
  'SCHEMA_INVALID_DEFINITION',
  500,
  'schema file %s: %s',
);
