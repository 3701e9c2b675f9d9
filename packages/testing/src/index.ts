export { codedErrorOf } from './assertions.ts';
export { type CapturedLogger, capturedLogger } from './captured-logger.ts';
export { shiftDate, type TestClock, testClock } from './clock.ts';
export {
  createPrefixedTopics,
  createTestDatabase,
  createTestTopics,
  declareHostileInput,
  scanBeforeRemoval,
  type TestDatabase,
  testBus,
  testKafkaEnv,
  testKafkaSecurity,
  testLogFile,
  testLogger,
  testRunDir,
  uniqueName,
} from './fixtures.ts';
export {
  type DatabaseScan,
  findIdentityNumbers,
  findIdentityNumbersInJson,
  type LogScan,
  scanDatabase,
  scanLogFiles,
  scanTopics,
  type TopicScan,
} from './privacy-scan.ts';
export { freePort, startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
export {
  registerTestSigningKeys,
  TEST_PLATFORM_KEYS,
  testSigner,
  testSigningKey,
  testSigningKeysDir,
} from './trust.ts';
