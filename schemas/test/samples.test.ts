import { describe, expect, it } from 'vitest';
import { createCodec } from '../src/codec.ts';
import type { RecordKind } from '../src/generated/types.ts';
import { loadRegistry } from '../src/registry.ts';
import { SAMPLE_AUTHORITY_CODES, SAMPLE_SUBJECT_CODE, sampleRecord, samples } from '../src/samples.ts';

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015 check character (only to vouch for the sample codes; @credit/identifiers owns validation). */
function usccCheckCharacter(code: string): string | undefined {
  const sum = USCC_WEIGHTS.reduce(
    (total, weight, index) => total + USCC_CHARS.indexOf(code[index] ?? '') * weight,
    0,
  );
  return USCC_CHARS[(31 - (sum % 31)) % 31];
}

describe('samples', () => {
  const registry = loadRegistry();

  it('has one sample for every kind of the registry', () => {
    expect(Object.keys(samples).sort()).toEqual([...registry.kinds.keys()]);
  });

  it('uses unified social credit codes with correct check characters', () => {
    for (const code of [SAMPLE_SUBJECT_CODE, ...Object.values(SAMPLE_AUTHORITY_CODES)]) {
      expect(code).toMatch(/^[0-9A-HJ-NPQRTUWXY]{18}$/);
      expect(code.at(-1), code).toBe(usccCheckCharacter(code));
    }
  });

  it.each(Object.keys(samples) as RecordKind[])('%s is a valid value of the current version', (kind) => {
    expect(() => createCodec(registry).encode(kind, samples[kind])).not.toThrow();
    expect(samples[kind].envelope.subject.code).toBe(SAMPLE_SUBJECT_CODE);
  });

  it('hands out copies that can be changed freely', () => {
    const copy = sampleRecord('administrative-penalty');
    copy.envelope.subject.name = '改名';
    copy.envelope.reportedAt.setUTCFullYear(2000);
    expect(samples['administrative-penalty'].envelope.subject.name).toBe('福州闽江智联科技有限公司');
    expect(samples['administrative-penalty'].envelope.reportedAt.getUTCFullYear()).toBe(2024);
  });
});
