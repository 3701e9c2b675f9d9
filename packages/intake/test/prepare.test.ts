import { createSealer, generateSealingKeyPair } from '@credit/ingest-trust';
import { createCodec, samples } from '@credit/schemas';
import { describe, expect, it } from 'vitest';
import { prepareRecord, toWire } from '../src/index.ts';
import { catalogue, contextFor, KINDS, NOW, prepare, wire } from './helpers.ts';

const codec = createCodec();

describe('prepareRecord', () => {
  it.each(KINDS)('accepts the %s sample sent in wire form, and its bytes decode to the sample', (kind) => {
    const result = prepareRecord(JSON.parse(JSON.stringify(toWire(kind, samples[kind]))), contextFor(kind));
    expect(result).toMatchObject({
      ok: true,
      kind,
      key: samples[kind].envelope.sourceRecordId,
      recordId: samples[kind].envelope.sourceRecordId,
      version: 1,
      sealedFor: null,
    });
    if (!result.ok) return;
    expect(result.value).toEqual(samples[kind]);
    expect(codec.decode(result.bytes)).toMatchObject({ kind, version: 2, value: samples[kind] });
  });

  it("keys by the department's record id, and keeps the subject's code as sent", () => {
    const result = prepare('administrative-penalty', (r) => {
      r.envelope.subject.code = ' 91350100 m000100y43 ';
    });
    expect(result).toMatchObject({ ok: true, key: 'CF-2024-001207' });
    expect(result.ok && result.value.envelope.subject.code).toBe(' 91350100 m000100y43 ');
  });

  it('seals identity numbers with a sealer: the bytes hold none in clear, the value answered keeps them', async () => {
    const platform = generateSealingKeyPair();
    const sealer = await createSealer(platform.publicKey);
    const kind = 'administrative-penalty';
    const representative = samples[kind].envelope.subject.legalRepresentative!.idNumber!;
    const result = prepareRecord(toWire(kind, samples[kind]), { ...contextFor(kind), sealer });
    sealer.close();
    expect(result).toMatchObject({ ok: true, sealedFor: platform.keyId });
    if (!result.ok) return;
    expect(result.value.envelope.subject.legalRepresentative?.idNumber).toBe(representative);
    expect(result.bytes.toString('latin1')).not.toContain(representative);
    expect(codec.decode(result.bytes).value.envelope.sealed?.keyId).toBe(platform.keyId);
  });

  it('refuses a wire record that fills envelope.sealed itself: only the SDK and the gateway seal', () => {
    const result = prepare('honour', (r) => {
      (r.envelope as Record<string, unknown>).sealed = { keyId: 'x', encapsulatedKey: 'AAAA' };
    });
    expect(result).toMatchObject({
      ok: false,
      rejections: [
        expect.objectContaining({
          field: 'envelope.sealed',
          message: expect.stringContaining('filled by the SDK and the gateway'),
        }),
      ],
    });
    expect(
      prepare('honour', (r) => {
        (r.envelope as Record<string, unknown>).sealed = null;
      }).ok,
    ).toBe(true);
  });

  it('refuses a resident identity number in free text, naming the field and masking the number', () => {
    const number = '350102198001011233';
    const result = prepare('administrative-penalty', (r) => {
      r.violationFacts = `当事人（身份证号 ${number}）未按规定...`;
      r.envelope.sourceRecordId = `CF-${number}`;
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(
      result.rejections
        .filter((r) => r.code === 'INTAKE_IDENTITY_NUMBER_IN_TEXT')
        .map((r) => r.field)
        .sort(),
    ).toEqual(['envelope.sourceRecordId', 'violationFacts']);
    expect(JSON.stringify(result)).not.toContain(number);
    // An 18-digit number that is no valid resident identity number (an account, a case number) is not refused.
    expect(
      prepare('administrative-penalty', (r) => {
        r.violationFacts = '账户 123456789012345678';
      }).ok,
    ).toBe(true);
  });

  it('names the record it refused when its id and version can be read', () => {
    const schemaFailure = prepare('administrative-penalty', (r) => {
      r.envelope.version = 3;
      r.fineAmount = 1;
    });
    expect(schemaFailure).toMatchObject({
      ok: false,
      kind: 'administrative-penalty',
      recordId: 'CF-2024-001207',
      version: 3,
    });
    const ruleFailure = prepare('administrative-penalty', (r) => {
      r.fineAmount = '-1';
    });
    expect(ruleFailure).toMatchObject({
      ok: false,
      kind: 'administrative-penalty',
      recordId: 'CF-2024-001207',
      version: 1,
    });
    const unknownKind = prepareRecord(
      { kind: 'parking-ticket', record: { envelope: { sourceRecordId: 'P-1' } } },
      contextFor('honour'),
    );
    expect(unknownKind).toMatchObject({ ok: false, recordId: 'P-1', version: 1 });
    expect(unknownKind.ok === false && unknownKind.kind).toBeUndefined();
    expect(prepareRecord(42, contextFor('honour'))).toEqual({
      ok: false,
      rejections: [expect.objectContaining({ code: 'INTAKE_NOT_AN_OBJECT' })],
    });
  });

  it('fills reportedAt with the clock of the intake path', () => {
    const result = prepareRecord(
      wire('honour', (r) => void delete r.envelope.reportedAt),
      { department: contextFor('honour').department, catalogue, now: NOW },
    );
    expect(result.ok && codec.decode(result.bytes).value).toMatchObject({ envelope: { reportedAt: NOW } });
  });
});
