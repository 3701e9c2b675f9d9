import path from 'node:path';
import { scanBeforeRemoval, testLogFile, testLogger, uniqueName } from '@credit/testing';
import { describe, expect, inject, it } from 'vitest';
import { runCrashScenario } from './crash-scenario.ts';

describe('aggregator killed while records flow', () => {
  it('ends with exactly the records sent, each announced, after repeated SIGKILLs', async () => {
    const name = uniqueName('crash').replaceAll('-', '_');
    const result = await runCrashScenario({
      brokers: inject('kafkaBrokers'),
      kafkaEnv: inject('kafkaEnv'),
      serverUrl: inject('databaseUrl'),
      records: 3000,
      kills: 3,
      killEveryMs: 2500,
      logger: testLogger,
      // In the run's directory, where the privacy scan reads it.
      logFile: testLogFile(`${name}-aggregator`) ?? path.join(process.env.TMPDIR ?? '/tmp', `${name}.log`),
      name,
      beforeCleanup: scanBeforeRemoval,
    });
    console.log(JSON.stringify(result));
    expect(result).toMatchObject({
      in: 3000,
      out: 3000,
      lost: 0,
      duplicated: 0,
      kills: 3,
      events_missing: 0,
      summaries_wrong: 0,
    });
    expect(result.dead_lettered).toBeGreaterThanOrEqual(result.poison);
    expect(result).not.toHaveProperty('error_rows');
  }, 300_000);
});
