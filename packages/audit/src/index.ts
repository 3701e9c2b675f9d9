export { canonicalJson, type JsonObject, type JsonValue } from './canonical.ts';
export {
  AuditEntryInvalid,
  AuditMigrationFailed,
  AuditQueryInvalid,
  AuditSchemaName,
  NotCanonicalJson,
} from './errors.ts';
export { auditRowHash, GENESIS_HASH, type HashedFields } from './hash.ts';
export {
  AUDIT_MIGRATIONS_DIR,
  type AuditChainVerdict,
  type AuditEntry,
  type AuditLog,
  type AuditLogOptions,
  type AuditRow,
  appendAuditEntries,
  createAuditLog,
  type ForSubjectOptions,
  migrateAudit,
  type VerifyOptions,
  verifyAuditChain,
} from './log.ts';
