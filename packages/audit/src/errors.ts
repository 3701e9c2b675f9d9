import { defineError } from '@credit/errors';

export const AuditSchemaName = defineError(
  'AUDIT_INVALID_SCHEMA_NAME',
  500,
  'audit schema name %s must be lower-case letters, digits and underscores, starting with a letter',
);
export const AuditEntryInvalid = defineError<[number, string]>(
  'AUDIT_ENTRY_INVALID',
  500,
  'audit entry %d is invalid: %s',
);
export const NotCanonicalJson = defineError(
  'AUDIT_NOT_JSON',
  500,
  'audit detail is not plain JSON at %s: %s',
);
export const AuditMigrationFailed = defineError(
  'AUDIT_MIGRATION_FAILED',
  500,
  'audit migration %s into schema %s failed: %s',
);
export const AuditQueryInvalid = defineError('AUDIT_QUERY_INVALID', 400, 'audit query is invalid: %s');
