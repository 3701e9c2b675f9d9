import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeUscc, USCC_CHARSET, validateUscc } from '../src/index.ts';
import { usccCharacter, usccParts } from './arbitraries.ts';

const validUscc = usccParts.map(({ pair, division, organisationBody }) =>
  makeUscc({ ...pair, division, organisationBody }),
);

describe('USCC properties', () => {
  it('accepts every code built by makeUscc from a known authority, entity type and division', () => {
    fc.assert(
      fc.property(validUscc, (code) => {
        expect(validateUscc(code)).toMatchObject({ valid: true, code });
      }),
      { numRuns: 500 },
    );
  });

  it('accepts every such code in lower case and full width too', () => {
    const toFullWidth = (text: string) =>
      [...text].map((character) => String.fromCharCode(character.charCodeAt(0) + 0xfee0)).join('');
    fc.assert(
      fc.property(validUscc, (code) => {
        expect(validateUscc(code.toLowerCase())).toMatchObject({ valid: true, code });
        expect(validateUscc(toFullWidth(code))).toMatchObject({ valid: true, code });
      }),
    );
  });

  it('rejects any single substitution of a character by another charset character', () => {
    fc.assert(
      fc.property(validUscc, fc.integer({ min: 0, max: 17 }), usccCharacter, (code, index, replacement) => {
        fc.pre(code[index] !== replacement);
        const changed = `${code.slice(0, index)}${replacement}${code.slice(index + 1)}`;
        expect(validateUscc(changed).valid).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects any character outside the charset, naming its position', () => {
    const outside = fc.constantFrom(...'IOSVZ#*.'.split(''));
    fc.assert(
      fc.property(validUscc, fc.integer({ min: 0, max: 17 }), outside, (code, index, replacement) => {
        const changed = `${code.slice(0, index)}${replacement}${code.slice(index + 1)}`;
        const result = validateUscc(changed);
        expect(result).toMatchObject({ valid: false, reason: { code: 'USCC_CHARSET' } });
        expect(USCC_CHARSET).not.toContain(replacement);
        expect(JSON.stringify(result)).toContain(`at position ${index + 1}`);
      }),
    );
  });
});
