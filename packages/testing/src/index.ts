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
export {
  registerTestSigningKeys,
  TEST_PLATFORM_KEYS,
  testSigner,
  testSigningKey,
  testSigningKeysDir,
} from './trust.ts';
