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
      key: samples[kind].envelope.subject.code,
      recordId: samples[kind].envelope.sourceRecordId,
      version: 1,
    });
    if (!result.ok) return;
    expect(result.value).toEqual(samples[kind]);
    expect(codec.decode(result.bytes)).toMatchObject({ kind, version: 1, value: samples[kind] });
  });

  it('keys by the normalised subject code and keeps the code as sent', () => {
    const result = prepare('administrative-penalty', (r) => {
      r.envelope.subject.code = ' 91350100 m000100y43 ';
    });
    expect(result).toMatchObject({ ok: true, key: '91350100M000100Y43' });
    expect(result.ok && result.value.envelope.subject.code).toBe(' 91350100 m000100y43 ');
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
