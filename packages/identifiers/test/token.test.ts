import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeResidentId, subjectKey, tokeniseResidentId } from '../src/index.ts';
import { residentIdParts, TODAY } from './arbitraries.ts';

const KEY = new Uint8Array(32).fill(0x2a);
const OTHER_KEY = new Uint8Array(32).fill(0x2b);
const NUMBER = '110101199003074573';
const TOKEN = /^p_[a-z2-7]{26}$/;
const options = { today: TODAY };
const validNumber = residentIdParts.map(makeResidentId);
const key = fc.uint8Array({ minLength: 32, maxLength: 64 });

describe('tokeniseResidentId', () => {
  it('gives p_ and 26 lower-case base32 characters of the HMAC-SHA-256 of the normalised number', () => {
    const token = tokeniseResidentId(NUMBER, KEY);
    expect(token).toMatch(TOKEN);
    const digest = createHmac('sha256', KEY).update(NUMBER).digest();
    expect(token.slice(2)).toBe(base32(digest).slice(0, 26));
  });

  it('gives the same token for the same number in another written form', () => {
    const token = tokeniseResidentId('44030519851123018X', KEY);
    expect(tokeniseResidentId(' 44030519851123018x ', KEY)).toBe(token);
    expect(tokeniseResidentId('４４０３０５１９８５１１２３０１８Ｘ', KEY)).toBe(token);
  });

  it('refuses a key shorter than 32 bytes with a clear message', () => {
    expect(() => tokeniseResidentId(NUMBER, new Uint8Array(31))).toThrow(
      'the tokenisation key must be at least 32 bytes, got 31',
    );
  });

  it('refuses an invalid number without quoting it', () => {
    let message = '';
    try {
      tokeniseResidentId('110101199003074578', KEY);
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toContain('cannot tokenise an invalid resident identity number');
    expect(message).not.toContain('19900307');
    expect(message).not.toContain('110101199003074578');
  });

  it('gives the same token for the same number and key, and never contains the number', () => {
    fc.assert(
      fc.property(validNumber, key, (number, secret) => {
        const token = tokeniseResidentId(number, secret, options);
        expect(token).toMatch(TOKEN);
        expect(tokeniseResidentId(number, Uint8Array.from(secret), options)).toBe(token);
        expect(token).not.toContain(number.slice(6, 14));
      }),
    );
  });

  it('gives different tokens for different numbers under one key', () => {
    fc.assert(
      fc.property(fc.uniqueArray(validNumber, { minLength: 2, maxLength: 200 }), (numbers) => {
        const tokens = new Set(numbers.map((number) => tokeniseResidentId(number, KEY, options)));
        expect(tokens.size).toBe(numbers.length);
      }),
      { numRuns: 50 },
    );
  });

  it('gives a different token for the same number under a different key', () => {
    expect(tokeniseResidentId(NUMBER, OTHER_KEY)).not.toBe(tokeniseResidentId(NUMBER, KEY));
    fc.assert(
      fc.property(validNumber, key, key, (number, first, second) => {
        fc.pre(Buffer.compare(first, second) !== 0);
        expect(tokeniseResidentId(number, first, options)).not.toBe(
          tokeniseResidentId(number, second, options),
        );
      }),
    );
  });

  it('works with a random key as produced by crypto.randomBytes', () => {
    expect(tokeniseResidentId(NUMBER, randomBytes(32))).toMatch(TOKEN);
  });
});

// An independent RFC 4648 base32 (lower-case) through a string of bits, to check the package's one.
function base32(bytes: Uint8Array): string {
  const bits = [...bytes].map((byte) => byte.toString(2).padStart(8, '0')).join('');
  const chunks = bits.match(/.{1,5}/g) ?? [];
  return chunks
    .map((chunk) => 'abcdefghijklmnopqrstuvwxyz234567'.charAt(Number.parseInt(chunk.padEnd(5, '0'), 2)))
    .join('');
}

describe('subjectKey', () => {
  const key = new Uint8Array(32).fill(5);
  it('turns a resident identity number into its token and passes the token through unchanged', () => {
    const number = '11010519491231002X';
    const token = tokeniseResidentId(number, key);
    expect(subjectKey(` ${number.toLowerCase()} `, key)).toBe(token);
    expect(subjectKey(token, key)).toBe(token);
    expect(subjectKey('91350100m000100y43', key)).toBe('91350100M000100Y43');
  });
});
