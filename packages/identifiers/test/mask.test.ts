import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  identityNumberCandidates,
  makeResidentId,
  maskDocumentNumber,
  maskIdentityNumberBytes,
  maskIdentityNumbers,
  maskName,
  maskResidentId,
} from '../src/index.ts';
import { residentIdParts } from './arbitraries.ts';

describe('maskResidentId', () => {
  it('keeps only the last 4 characters of an 18-character number', () => {
    expect(maskResidentId('110101199003074578')).toBe('**************4578');
    expect(maskResidentId('44030519851123018x')).toBe('**************018X');
  });

  it('masks every character of input that is not 18 characters long', () => {
    expect(maskResidentId('11010119900307457')).toBe('*'.repeat(17));
    expect(maskResidentId('')).toBe('');
  });

  it('never shows the division, the birth date or the sequence', () => {
    fc.assert(
      fc.property(residentIdParts, (parts) => {
        const number = makeResidentId(parts);
        const masked = maskResidentId(number);
        expect(masked).toBe(`${'*'.repeat(14)}${number.slice(14)}`);
        expect(masked).not.toContain(number.slice(0, 6));
      }),
    );
  });

  it('never reveals more than 4 characters of any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789Xx -'), maxLength: 30 }), (input) => {
        expect(maskResidentId(input).replaceAll('*', '').length).toBeLessThanOrEqual(4);
      }),
    );
  });
});

describe('maskDocumentNumber', () => {
  it.each([
    ['E12345678901', '********8901'],
    ['E1234567', '******67'],
    ['AB123', '*****'],
  ])('masks %s as %s', (number, masked) => {
    expect(maskDocumentNumber(number)).toBe(masked);
  });

  it('counts characters outside the Basic Multilingual Plane as one', () => {
    expect(maskDocumentNumber('𠀀𠀁号码𠀂𠀃')).toBe('****𠀂𠀃');
  });
});

describe('masking identity numbers in text and bytes', () => {
  it('masks numbers in free text, keeping longer digit runs (phone numbers with prefixes, amounts) alone', () => {
    expect(maskIdentityNumbers('subject 11010119900307457X rejected')).toBe(
      'subject **************457X rejected',
    );
    expect(maskIdentityNumbers('order 12345678901234567890 total 100')).toBe(
      'order 12345678901234567890 total 100',
    );
    expect(identityNumberCandidates('id 110101199003074578, 11010119900307457x.')).toEqual([
      '110101199003074578',
      '11010119900307457x',
    ]);
    expect(identityNumberCandidates('order 12345678901234567890')).toEqual([]);
  });

  it('masks bytes in place at the same length, and returns the same buffer when there is nothing to mask', () => {
    const clean = Buffer.from([0xc3, 0x01, 0x10, 0x41]);
    expect(maskIdentityNumberBytes(clean)).toEqual({ bytes: clean, masked: 0 });
    const value = Buffer.concat([
      Buffer.from([0xc3, 0x01, 0x24]),
      Buffer.from('110101199003074578'),
      Buffer.from([0]),
    ]);
    const { bytes, masked } = maskIdentityNumberBytes(value);
    expect(masked).toBe(1);
    expect(bytes).toHaveLength(value.length);
    expect(bytes.subarray(3, 21).toString('latin1')).toBe('**************4578');
    expect(value.subarray(3, 21).toString('latin1')).toBe('110101199003074578');
  });

  it('masks a number in bytes even when the next byte reads as a digit (an Avro length prefix of 24 to 28)', () => {
    const value = Buffer.concat([
      Buffer.from([0x24]),
      Buffer.from('110101199003074578'),
      Buffer.from([0x30, 0x41]),
    ]);
    expect(maskIdentityNumberBytes(value).bytes.subarray(1, 19).toString('latin1')).toBe(
      '**************4578',
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
