import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeResidentId, maskName, maskResidentId } from '../src/index.ts';
import { residentIdParts } from './arbitraries.ts';

describe('maskResidentId', () => {
  it('keeps the first 6 and the last 4 characters of an 18-character number', () => {
    expect(maskResidentId('110101199003074578')).toBe('110101********4578');
    expect(maskResidentId('44030519851123018x')).toBe('440305********018X');
  });

  it('masks every character of input that is not 18 characters long', () => {
    expect(maskResidentId('11010119900307457')).toBe('*'.repeat(17));
    expect(maskResidentId('')).toBe('');
  });

  it('never contains the middle digits', () => {
    fc.assert(
      fc.property(residentIdParts, (parts) => {
        const number = makeResidentId(parts);
        const masked = maskResidentId(number);
        expect(masked).toHaveLength(18);
        expect(masked.slice(6, 14)).toBe('********');
        expect(masked).toBe(`${number.slice(0, 6)}********${number.slice(14)}`);
        expect(masked).not.toContain(number.slice(6, 14));
      }),
    );
  });

  it('never reveals more than 10 characters of any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789Xx -'), maxLength: 30 }), (input) => {
        const masked = maskResidentId(input);
        expect(masked.replaceAll('*', '').length).toBeLessThanOrEqual(10);
      }),
    );
  });
});

describe('maskName', () => {
  it('keeps only the first character', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李四')).toBe('李*');
    expect(maskName(' 欧阳娜娜 ')).toBe('欧***');
  });

  it('masks a one-character name entirely and leaves an empty name empty', () => {
    expect(maskName('张')).toBe('*');
    expect(maskName('')).toBe('');
  });

  it('counts characters outside the Basic Multilingual Plane as one', () => {
    expect(maskName('𠀀三')).toBe('𠀀*');
    expect(maskName('王𠀀')).toBe('王*');
  });
});
