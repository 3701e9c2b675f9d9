import type { Department } from '@credit/catalogue';
import {
  createSigner,
  generateSigningKeyPair,
  registerSigningKey,
  revokeSigningKey,
  type Signer,
  type SigningAlgorithm,
} from '@credit/ingest-trust';
import { encodeRecord, ingestMessage, type KindValue } from '@credit/intake';
import { demoRecord, demoSubjects, sampleDepartment } from '@credit/sample-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AggregatorHarness, startAggregatorHarness } from './aggregator-harness.ts';

let h: AggregatorHarness;
let grades: Department;
let topic: string;
let run = 0;

beforeAll(async () => {
  h = await startAggregatorHarness();
  grades = sampleDepartment(h.catalogue, 'credit-grade');
  topic = await h.ingestTopic(grades.code);
}, 90_000);
afterAll(async () => {
  await h?.close();
});

async function registered(algorithm: SigningAlgorithm): Promise<Signer> {
  const pair = generateSigningKeyPair(algorithm);
  await registerSigningKey(h.pool, {
    department: grades.code,
    publicKeyPem: pair.publicKeyPem,
    holder: 'department',
    registeredBy: 'signing-keys test',
  });
  return createSigner(grades.code, pair.privateKeyPem);
}

/** A grade record signed by `signer`, sealed as the SDK seals it; returns its record id. */
async function sendSigned(signer: Signer): Promise<string> {
  run += 1;
  const subject = demoSubjects(run + 2)[run + 1]!;
  const value = demoRecord('credit-grade', grades, h.catalogue, subject, `key-${Date.now()}-${run}`, 3);
  const prepared = encodeRecord({ kind: 'credit-grade', value } as KindValue, { sealer: h.trust.sealer });
  await h.send(topic, [ingestMessage(prepared, grades, signer)]);
  return value.envelope.sourceRecordId;
}

async function outcome(recordId: string): Promise<string> {
  const [row] = await h.waitFor<{ outcome: string }>(
    `select 'stored' as outcome from records where source_record_id = '${recordId}'
     union all select reason_code from ingest_errors where message_key = '${recordId}'`,
    (rows) => rows.length === 1,
  );
  return row!.outcome;
}

describe('signing keys registered in the catalogue', () => {
  it('accepts Ed25519 and SM2 signatures of keys registered to the department', async () => {
    expect(await outcome(await sendSigned(await registered('ed25519')))).toBe('stored');
    expect(await outcome(await sendSigned(await registered('sm2')))).toBe('stored');
  });

  it('refuses what a revoked key signs once it is revoked, and a key that was never registered', async () => {
    const signer = await registered('ed25519');
    expect(await outcome(await sendSigned(signer))).toBe('stored');
    expect(
      await revokeSigningKey(h.pool, signer.keyId, { by: 'signing-keys test', reason: 'lost laptop' }),
    ).toBe(true);
    // The aggregator reads the keys again every SIGNING_KEYS_REFRESH_MS; the test does not wait for it.
    await h.trust.registry.refresh();
    expect(await outcome(await sendSigned(signer))).toBe('SIGNATURE_KEY_REVOKED');
    const stranger = createSigner(grades.code, generateSigningKeyPair().privateKeyPem);
    expect(await outcome(await sendSigned(stranger))).toBe('SIGNATURE_UNKNOWN_KEY');
  });

  it('audits every registration and revocation in the catalogue’s hash-chained log', async () => {
    const signer = await registered('ed25519');
    await revokeSigningKey(h.pool, signer.keyId, { by: 'security officer', reason: 'rotation' });
    const { rows } = await h.pool.query<{ actor: string; action: string; purpose: string | null }>(
      `select actor, action, purpose from catalogue.audit_log where detail->>'keyId' = $1 order by id`,
      [signer.keyId],
    );
    expect(rows).toEqual([
      { actor: 'signing-keys test', action: 'register-signing-key', purpose: null },
      { actor: 'security officer', action: 'revoke-signing-key', purpose: 'rotation' },
    ]);
  });
});
