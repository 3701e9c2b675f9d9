export { codedErrorOf } from './assertions.ts';
export {
  createPrefixedTopics,
  createTestDatabase,
  createTestTopics,
  type TestDatabase,
  testBus,
  testKafkaEnv,
  testKafkaSecurity,
  testLogger,
  uniqueName,
} from './fixtures.ts';
