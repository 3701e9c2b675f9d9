export { codedErrorOf } from './assertions.ts';
export {
  createTestDatabase,
  createTestTopics,
  type TestDatabase,
  testBus,
  testLogger,
  uniqueName,
} from './fixtures.ts';
