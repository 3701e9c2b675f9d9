import net from 'node:net';
import { createTestDatabase, testBus, testKafkaEnv, testLogger } from '@credit/testing';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { infraStatus, infraUp } from '../src/infra.ts';
import { startBroker } from '../src/kafka-broker.ts';
import { ensureBrokerTls } from '../src/kafka-tls.ts';

// A private run directory (read when infra's modules load, hence hoisted above the imports), so these tests
// never see or touch the broker the rest of the suite uses.
await vi.hoisted(async () => {
  const [{ mkdtempSync }, os, path] = await Promise.all([
    import('node:fs'),
    import('node:os'),
    import('node:path'),
  ]);
  process.env.CREDIT_RUN_DIR = mkdtempSync(path.join(os.tmpdir(), 'credit-run-'));
});

// The admin's password, as infraUp gives it: startBroker makes the admin's client security from it.
const IDENTITIES = {
  broker: 'kafka-broker',
  admin: 'platform-admin',
  passwords: { 'platform-admin': 'p'.repeat(32) },
};

let squatter: net.Server;
let squattedPort: number;
const sockets = new Set<net.Socket>();
beforeAll(async () => {
  squatter = net.createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  squattedPort = (squatter.address() as net.AddressInfo).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => squatter.close(resolve));
});

describe('infra', () => {
  it('uses the broker and database the environment names, starts nothing, and creates the platform topics', async () => {
    const database = await createTestDatabase();
    try {
      const env = {
        ...testKafkaEnv(),
        DATABASE_URL: database.url,
      };
      const state = await infraUp(testLogger, env);
      expect(state.kafka).toEqual({ brokers: inject('kafkaBrokers'), source: 'environment' });
      expect(state.database).toEqual({ url: database.url, source: 'environment' });
      const again = await infraUp(testLogger, env);
      expect(again.kafka.brokers).toBe(state.kafka.brokers);

      const admin = await testBus().admin();
      try {
        expect(await admin.listTopics()).toEqual(
          expect.arrayContaining(['credit.dlq', 'credit.subject-changes']),
        );
      } finally {
        await admin.disconnect();
      }
      const report = await infraStatus(testLogger, env);
      expect(report.kafka.answering).toBe(true);
      expect(report.database.answering).toBe(true);
    } finally {
      await database.drop();
    }
  });

  it('says which port is taken by another process instead of starting a second broker', async () => {
    await expect(
      startBroker(
        { port: squattedPort, mtlsPort: squattedPort + 2, controllerPort: squattedPort + 1, heap: '256m' },
        IDENTITIES,
        testLogger,
      ),
    ).rejects.toMatchObject({
      code: 'INFRA_PORT_TAKEN',
      message: expect.stringContaining(`port ${squattedPort} (Kafka broker (SASL_SSL)) is already taken`),
    });
  });

  it('explains that Java is needed when it is not on PATH', async () => {
    // The broker's TLS comes before Java is looked for, and openssl is on the PATH this test takes away.
    ensureBrokerTls(IDENTITIES.broker);
    const savedPath = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const free = await freePort();
      await expect(
        startBroker(
          { port: free, mtlsPort: free + 2, controllerPort: free + 1, heap: '256m' },
          IDENTITIES,
          testLogger,
        ),
      ).rejects.toMatchObject({
        code: 'INFRA_JAVA_MISSING',
        message: expect.stringContaining('Java 17 or newer is needed'),
      });
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('reports a database URL that does not answer', async () => {
    const env = {
      ...testKafkaEnv(),
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${squattedPort}/x`,
    };
    await expect(infraUp(testLogger, env)).rejects.toMatchObject({ code: 'INFRA_POSTGRES_UNAVAILABLE' });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
