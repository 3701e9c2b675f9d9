import { createPublicKey } from 'node:crypto';
import type { Catalogue, Department } from '@credit/catalogue';
import { createSealer, createUnsealer, type RegisteredKey, type Sealer } from '@credit/ingest-trust';
import { encodeRecord, ingestMessage, type KindValue } from '@credit/intake';
import type { IncomingMessage } from '@credit/kit';
import type { RecordKind, RecordKinds } from '@credit/schemas';
import { TEST_PLATFORM_KEYS, testSigner, testSigningKey } from '@credit/testing';
import type { NormaliseContext } from '../src/normalise.ts';

/**
 * For tests that normalise without a database: every catalogue department's test key as the catalogue would
 * register it, the platform's test unsealer, and messages made as the SDK makes them.
 */
export interface TestTrust {
  trust: NormaliseContext['trust'];
  sealer: Sealer;
  /** The record as the SDK sends it on `department`'s topic: sealed, encoded, keyed by record id, signed. */
  sent<K extends RecordKind>(
    kind: K,
    value: RecordKinds[K],
    department: Department,
    at?: Pick<IncomingMessage, 'topic' | 'partition' | 'offset' | 'timestamp'>,
  ): IncomingMessage;
  close(): void;
}

export async function testTrust(catalogue: Catalogue, topicPrefix = 'credit.ingest.'): Promise<TestTrust> {
  const registered = new Map<string, RegisteredKey>(
    catalogue.departments.map((department) => {
      const pair = testSigningKey(department.code);
      const key: RegisteredKey = {
        keyId: pair.keyId,
        department: department.code,
        algorithm: pair.algorithm,
        publicKey: createPublicKey(pair.publicKeyPem),
        holder: 'department',
        registeredAt: new Date(0),
        revokedAt: null,
      };
      return [pair.keyId, key];
    }),
  );
  const sealer = await createSealer(TEST_PLATFORM_KEYS.publicKey);
  return {
    trust: {
      registry: { get: (keyId) => registered.get(keyId), ensure: async () => {} },
      unsealer: await createUnsealer([TEST_PLATFORM_KEYS.privateKey]),
    },
    sealer,
    sent(kind, value, department, at) {
      const out = ingestMessage(
        encodeRecord({ kind, value } as KindValue, { sealer }),
        department,
        testSigner(department.code),
      );
      return {
        topic: at?.topic ?? `${topicPrefix}${department.code}`,
        partition: at?.partition ?? 2,
        offset: at?.offset ?? '41',
        timestamp: at?.timestamp ?? Date.parse('2025-06-15T00:00:00Z'),
        key: Buffer.from(out.key),
        value: out.value,
        headers: Object.fromEntries(
          Object.entries(out.headers).map(([name, text]) => [name, Buffer.from(text)]),
        ),
      };
    },
    close: () => sealer.close(),
  };
}
