import { defineError } from '@credit/errors';

export const MigrationFileName = defineError(
  'DB_MIGRATION_FILE_NAME',
  500,
  'migration file %s must be named NNNN_description.sql (four or more digits, then an underscore)',
);
export const MigrationEdited = defineError(
  'DB_MIGRATION_EDITED',
  500,
  'migration %s of schema %s was applied with checksum %s but the file now has %s: applied migrations are never edited; add a new one',
);
export const MigrationMissing = defineError(
  'DB_MIGRATION_MISSING',
  500,
  'migration %s is recorded as applied in schema %s but its file is gone from %s',
);
export const MigrationFailed = defineError(
  'DB_MIGRATION_FAILED',
  500,
  'migration %s of schema %s failed: %s',
);
export const InvalidSchemaName = defineError(
  'DB_INVALID_SCHEMA_NAME',
  500,
  'schema name %s must be lower-case letters, digits and underscores, starting with a letter',
);
