import { describe, expect, it } from 'vitest';
import { classifyLegacyCode } from '../src/index.ts';

describe('classifyLegacyCode', () => {
  it('classifies a valid GB 11714 organisation code, hyphenated or not', () => {
    expect(classifyLegacyCode('10000396-2')).toEqual({
      type: 'organisation_code',
      valid: true,
      code: '100003962',
      displayForm: '10000396-2',
    });
    expect(classifyLegacyCode('d2143569x')).toMatchObject({ type: 'organisation_code', valid: true });
  });

  it('classifies a valid 15-digit registration number', () => {
    expect(classifyLegacyCode('100000000003965')).toEqual({
      type: 'registration_number',
      valid: true,
      number: '100000000003965',
      divisionCode: '100000',
    });
  });

  it('reports an invalid organisation code with its reason', () => {
    expect(classifyLegacyCode('10000396-3')).toMatchObject({
      type: 'organisation_code',
      valid: false,
      reason: { code: 'ORG_CHECK_CHARACTER' },
    });
  });

  it('reports an invalid registration number with its reason', () => {
    expect(classifyLegacyCode('100000000003966')).toMatchObject({
      type: 'registration_number',
      valid: false,
      reason: { code: 'REG_CHECK_DIGIT' },
    });
  });

  it('reports any other length as unknown, saying what was expected', () => {
    expect(classifyLegacyCode('91350100M000100Y43')).toEqual({
      type: 'unknown',
      valid: false,
      input: '91350100M000100Y43',
      normalised: '91350100M000100Y43',
      reason: {
        code: 'LEGACY_FORMAT',
        message:
          'expected a 9-character organisation code or a 15-digit registration number, got 18 characters',
      },
    });
  });
});
