import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseCode, normaliseText } from '../src/index.ts';

describe('normaliseText', () => {
  it('turns full-width ASCII into half-width', () => {
    expect(normaliseText('９１３５０１００Ｍ０００１００Ｙ４３')).toBe('91350100M000100Y43');
    expect(normaliseText('！～ａＺ')).toBe('!~aZ');
  });

  it('turns the ideographic space into a space and trims, keeping inner spaces and case', () => {
    expect(normaliseText('\u3000 abc\u3000def \u3000')).toBe('abc def');
  });
});

describe('normaliseCode', () => {
  it('removes inner spaces, ideographic spaces, hyphens and dashes and upper-cases', () => {
    expect(normaliseCode(' d2143569-x ')).toBe('D2143569X');
    expect(normaliseCode('9135 0100\u3000M000－100Y43')).toBe('91350100M000100Y43');
    expect(normaliseCode('110101—19900307‐4573')).toBe('110101199003074573');
  });

  it('is idempotent on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (input) => {
        const once = normaliseCode(input);
        expect(normaliseCode(once)).toBe(once);
        expect(normaliseText(normaliseText(input))).toBe(normaliseText(input));
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent on strings made of full-width characters, spaces, hyphens and letters', () => {
    const unit = fc.constantFrom('Ａ', 'ｚ', '９', '－', '\u3000', ' ', '-', 'a', 'X', '\t', '—');
    fc.assert(
      fc.property(fc.string({ unit }), (input) => {
        const once = normaliseCode(input);
        expect(normaliseCode(once)).toBe(once);
        expect(once).toMatch(/^[A-Z0-9]*$/);
      }),
    );
  });
});
