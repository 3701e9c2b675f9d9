export {
  createTestDatabase,
  createTestTopics,
  type TestDatabase,
  testBus,
  testLogger,
  uniqueName,
} from './fixtures.ts';
export { resolveTestInfra, type TestInfra } from './resolve-infra.ts';
