import { makeResidentId } from '@credit/identifiers';
import { type AdministrativePenalty, sampleRecord } from '@credit/schemas';
import { describe, expect, it } from 'vitest';
import { createSealer, createUnsealer, generateSealingKeyPair, sealingPublicKeyOf } from '../src/index.ts';

const person = makeResidentId({ division: '350102', birthDate: '1990-03-07', sequence: 457 });
const representative = '350102198001011233';

function personRecord(): AdministrativePenalty {
  const record = sampleRecord('administrative-penalty');
  Object.assign(record.envelope.subject, {
    category: 'NATURAL_PERSON',
    codeType: 'RESIDENT_IDENTITY_CARD',
    code: person,
    name: '张三',
    legalRepresentative: null,
    legacyCodes: null,
  });
  return record;
}

describe('sealing identity numbers for the platform', () => {
  const platform = generateSealingKeyPair();

  it('derives the public key and its id from the private key', () => {
    expect(sealingPublicKeyOf(platform.privateKey)).toBe(platform.publicKey);
    expect(platform.keyId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("masks a person's number and a representative's number, seals them, and the platform opens them", async () => {
    const sealer = await createSealer(platform.publicKey);
    expect(sealer.publicKey).toBe(platform.publicKey);
    const unsealer = await createUnsealer([platform.privateKey]);
    const org = sampleRecord('administrative-penalty');
    const sealedOrg = sealer.seal(org);
    expect(sealedOrg.envelope.subject.code).toBe(org.envelope.subject.code);
    expect(sealedOrg.envelope.subject.legalRepresentative?.idNumber).toBe('**************1233');
    expect(sealedOrg.envelope.sealed).toMatchObject({ keyId: platform.keyId, subjectCode: null });
    const sealedPerson = sealer.seal(personRecord());
    expect(sealedPerson.envelope.subject.code).toBe(`**************${person.slice(-4)}`);
    expect(JSON.stringify(sealedPerson)).not.toContain(person);
    expect(JSON.stringify(sealedOrg)).not.toContain(representative);

    await unsealer.prepare([sealedOrg.envelope.sealed, sealedPerson.envelope.sealed]);
    const opened = unsealer.unseal(sealedPerson);
    expect(opened).toMatchObject({ ok: true });
    expect(opened.ok && opened.value).toEqual({
      ...personRecord(),
      envelope: { ...personRecord().envelope, sealed: null },
    });
    expect(unsealer.unseal(sealedOrg)).toMatchObject({
      ok: true,
      value: { envelope: { sealed: null, subject: { legalRepresentative: { idNumber: representative } } } },
    });
    sealer.close();
  });

  it('leaves a record with nothing to seal as it is', async () => {
    const sealer = await createSealer(platform.publicKey);
    const record = sampleRecord('honour');
    record.envelope.subject.legalRepresentative = null;
    expect(sealer.seal(record)).toEqual({ ...record, envelope: { ...record.envelope, sealed: null } });
    sealer.close();
  });

  it('refuses numbers in clear, another platform key, and an altered ciphertext or data key', async () => {
    const unsealer = await createUnsealer([platform.privateKey]);
    expect(unsealer.unseal(personRecord())).toMatchObject({
      ok: false,
      code: 'SEALED_IDENTITY_IN_CLEAR',
      message: expect.stringContaining('envelope.subject.code must be sealed'),
    });
    const other = await createSealer(generateSealingKeyPair().publicKey);
    const foreign = other.seal(personRecord());
    await unsealer.prepare([foreign.envelope.sealed]);
    expect(unsealer.unseal(foreign)).toMatchObject({ code: 'SEALED_UNKNOWN_KEY' });

    const sealer = await createSealer(platform.publicKey);
    const sealed = sealer.seal(personRecord());
    const tampered = structuredClone(sealed);
    tampered.envelope.sealed!.subjectCode = Buffer.from(sealed.envelope.sealed!.subjectCode!);
    flipByte(tampered.envelope.sealed!.subjectCode!, 14);
    await unsealer.prepare([tampered.envelope.sealed]);
    expect(unsealer.unseal(tampered)).toMatchObject({ code: 'SEALED_UNREADABLE' });
    const badKey = structuredClone(sealed);
    badKey.envelope.sealed!.encapsulatedKey = Buffer.from(sealed.envelope.sealed!.encapsulatedKey);
    flipByte(badKey.envelope.sealed!.encapsulatedKey, 40);
    await unsealer.prepare([badKey.envelope.sealed]);
    expect(unsealer.unseal(badKey)).toMatchObject({ code: 'SEALED_UNREADABLE' });
    for (const s of [other, sealer]) s.close();
  });

  it('opens a record prepared in one batch with a copy naming another platform key', async () => {
    const unsealer = await createUnsealer([platform.privateKey]);
    const sealer = await createSealer(platform.publicKey);
    const sealed = sealer.seal(personRecord());
    const renamed = {
      ...sealed,
      envelope: { ...sealed.envelope, sealed: { ...sealed.envelope.sealed!, keyId: 'not-ours' } },
    };
    // Same data key, the copy last: it must not take the original's place among the keys prepared.
    await unsealer.prepare([sealed.envelope.sealed, renamed.envelope.sealed]);
    expect(unsealer.unseal(sealed)).toMatchObject({ ok: true });
    expect(unsealer.unseal(renamed)).toMatchObject({ code: 'SEALED_UNKNOWN_KEY' });
    sealer.close();
  });

  it('rotates its data key after a number of uses, and every key still opens on a platform holding two keys', async () => {
    const sealer = await createSealer(platform.publicKey, { rotateAfterUses: 2 });
    const unsealer = await createUnsealer([generateSealingKeyPair().privateKey, platform.privateKey]);
    const sealed = [];
    for (let i = 0; i < 6; i += 1) {
      sealed.push(sealer.seal(personRecord()));
      await sealer.rotated();
    }
    const keys = new Set(sealed.map((s) => s.envelope.sealed!.encapsulatedKey.toString('hex')));
    expect(keys.size).toBe(3);
    await unsealer.prepare(sealed.map((s) => s.envelope.sealed));
    for (const s of sealed) expect(unsealer.unseal(s)).toMatchObject({ ok: true });
    sealer.close();
  });
});

function flipByte(bytes: Buffer, at: number): void {
  bytes.writeUInt8(bytes.readUInt8(at) ^ 1, at);
}
