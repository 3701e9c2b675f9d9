import { samples } from '@credit/schemas';
import { describe, expect, it } from 'vitest';
import { fromWire, toWire } from '../src/index.ts';
import { KINDS, NOW, wire } from './helpers.ts';

describe('toWire / fromWire', () => {
  it.each(KINDS)('round-trips the %s sample', (kind) => {
    const form = toWire(kind, samples[kind]);
    expect(JSON.parse(JSON.stringify(form))).toEqual(form);
    expect(fromWire(JSON.parse(JSON.stringify(form)), { now: NOW })).toEqual({
      ok: true,
      kind,
      value: samples[kind],
    });
  });

  it('writes timestamps as ISO-8601 strings and reads any offset back to the same instant', () => {
    const form = wire('administrative-penalty', (record) => {
      record.envelope.reportedAt = '2024-05-21T09:45:00+08:00';
    });
    const result = fromWire(form, { now: NOW });
    expect(result.ok && result.value.envelope.reportedAt).toEqual(new Date('2024-05-21T01:45:00Z'));
    expect(
      toWire('administrative-penalty', samples['administrative-penalty']).record.envelope.reportedAt,
    ).toBe('2024-05-21T01:45:00.000Z');
  });

  it('fills reportedAt with the receipt time, version with 1, operation with UPSERT, absent nullables with null', () => {
    const result = fromWire(
      wire('administrative-penalty', (record) => {
        delete record.envelope.reportedAt;
        delete record.envelope.version;
        delete record.envelope.operation;
        delete record.envelope.changeReason;
        delete record.remarks;
        delete record.envelope.subject.lei;
      }),
      { now: NOW },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.envelope).toMatchObject({
      reportedAt: NOW,
      version: 1,
      operation: 'UPSERT',
      changeReason: null,
    });
    expect(result.value).toMatchObject({ remarks: null });
    expect(result.value.envelope.subject.lei).toBeNull();
  });

  it('gives decimals their canonical form, as the codec decodes them', () => {
    const result = fromWire(
      wire('administrative-penalty', (record) => {
        record.fineAmount = '0007.5';
        record.confiscatedAmount = '-0';
      }),
      { now: NOW },
    );
    expect(
      result.ok &&
        result.kind === 'administrative-penalty' && [result.value.fineAmount, result.value.confiscatedAmount],
    ).toEqual(['7.500000', '0.000000']);
  });

  it('does not change its input', () => {
    const form = wire('administrative-penalty', (record) => void delete record.envelope.reportedAt);
    const copy = structuredClone(form);
    fromWire(form, { now: NOW });
    expect(form).toEqual(copy);
  });
});

describe('fromWire rejections', () => {
  it('refuses what is not a JSON object, and a record that is not one', () => {
    const notObject = fromWire(['administrative-penalty'], { now: NOW });
    expect(!notObject.ok && notObject.rejections).toEqual([
      expect.objectContaining({ code: 'INTAKE_NOT_AN_OBJECT' }),
    ]);
    const record = fromWire({ kind: 'honour', record: 'x' }, { now: NOW });
    expect(record).toMatchObject({
      ok: false,
      kind: 'honour',
      rejections: [{ code: 'INTAKE_NOT_AN_OBJECT', field: 'record', value: 'x' }],
    });
  });

  it('refuses an unknown or missing kind, naming the known ones', () => {
    const result = fromWire({ kind: 'parking-ticket', record: {} }, { now: NOW });
    expect(result).toMatchObject({
      ok: false,
      rejections: [{ code: 'INTAKE_UNKNOWN_KIND', field: 'kind', value: 'parking-ticket' }],
    });
    expect(!result.ok && result.rejections[0]?.rule).toContain('administrative-penalty');
    const missing = fromWire({ record: {} }, { now: NOW });
    expect(!missing.ok && missing.rejections[0]?.code).toBe('INTAKE_UNKNOWN_KIND');
  });

  it('refuses a timestamp that is not ISO-8601 with a zone, naming the field', () => {
    for (const reportedAt of ['yesterday', '2024-05-21T09:45:00', '2024-02-30T09:45:00Z', 1716255900000]) {
      const result = fromWire(
        wire('administrative-penalty', (record) => {
          record.envelope.reportedAt = reportedAt;
        }),
        {
          now: NOW,
        },
      );
      expect(!result.ok && result.rejections).toEqual([
        expect.objectContaining({ code: 'INTAKE_INVALID_TIMESTAMP', field: 'envelope.reportedAt' }),
      ]);
    }
  });

  it('names every schema problem, not just the first, with field, value and rule', () => {
    const result = fromWire(
      wire('administrative-penalty', (record) => {
        delete record.violationFacts;
        record.fineAmount = 12.5;
        record.confiscatedAmount = '0.1234567';
        record.penaltyCategories = ['FINE', 'FLOGGING'];
        record.envelope.severity = 'VERY_BAD';
        record.envelope.subject.nickname = '小林';
        record.colour = 'red';
      }),
      { now: NOW },
    );
    expect(result.ok).toBe(false);
    const rejections = result.ok ? [] : result.rejections;
    expect(rejections.every((r) => r.code === 'INTAKE_SCHEMA')).toBe(true);
    expect(rejections.map((r) => [r.field, r.value, r.rule])).toEqual(
      expect.arrayContaining([
        ['violationFacts', undefined, 'required field missing'],
        ['fineAmount', '12.5', expect.stringContaining('decimal string with at most 6 fraction digits')],
        ['confiscatedAmount', '0.1234567', expect.stringContaining('at most 6 fraction digits')],
        [
          'penaltyCategories[1]',
          'FLOGGING',
          expect.stringContaining('one of WARNING, PUBLIC_CRITICISM, FINE'),
        ],
        [
          'envelope.severity',
          'VERY_BAD',
          'expected one of BASIC, POSITIVE, GENERAL_DISHONESTY, SERIOUS_DISHONESTY',
        ],
        ['envelope.subject.nickname', '小林', 'unknown field'],
        ['colour', 'red', 'unknown field'],
      ]),
    );
    expect(rejections).toHaveLength(7);
    const fine = rejections.find((r) => r.field === 'fineAmount');
    expect(fine?.message).toMatch(/^fineAmount 12\.5: expected a decimal string/);
  });

  it('explains a wrongly shaped nested record once, not once per field inside it', () => {
    const result = fromWire(
      wire('administrative-penalty', (record) => {
        record.envelope.subject.legalRepresentative = '林建华' as never;
      }),
      { now: NOW },
    );
    expect(!result.ok && result.rejections).toEqual([
      expect.objectContaining({
        field: 'envelope.subject.legalRepresentative',
        rule: 'expected a LegalRepresentative object or null',
      }),
    ]);
  });

  it('truncates long values to 200 characters', () => {
    const result = fromWire(
      wire('honour', (record) => {
        record.honourLevel = 'X'.repeat(5000);
      }),
      { now: NOW },
    );
    const value = !result.ok ? result.rejections[0]?.value : undefined;
    expect([...(value ?? '')].length).toBe(200);
  });

  it('refuses text that cannot be stored as UTF-8', () => {
    const result = fromWire(
      wire('honour', (record) => {
        record.content = 'a\uD800b';
      }),
      { now: NOW },
    );
    expect(!result.ok && result.rejections[0]).toMatchObject({ code: 'INTAKE_SCHEMA', field: 'content' });
  });
});
