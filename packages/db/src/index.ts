export { createGroupCommit, type GroupCommit } from './group-commit.ts';
export { type Migration, type MigrationResult, migrate, readMigrations } from './migrate.ts';
export { createPool, pingDatabase } from './pool.ts';
export { findPrismaDrift, prismaAdapter } from './prisma.ts';
export { failsAgain, inTransaction, isDataError, sqlState } from './transaction.ts';
