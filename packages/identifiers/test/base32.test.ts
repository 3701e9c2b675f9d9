import { describe, expect, it } from 'vitest';
import { encodeBase32 } from '../src/base32.ts';

describe('encodeBase32', () => {
  it.each([
    ['', ''],
    ['f', 'my'],
    ['fo', 'mzxq'],
    ['foo', 'mzxw6'],
    ['foob', 'mzxw6yq'],
    ['fooba', 'mzxw6ytb'],
    ['foobar', 'mzxw6ytboi'],
  ])('encodes the RFC 4648 test vector %j as %j, lower-case and unpadded', (text, encoded) => {
    expect(encodeBase32(new TextEncoder().encode(text))).toBe(encoded);
  });

  it('encodes 32 bytes as 52 characters', () => {
    expect(encodeBase32(new Uint8Array(32).fill(0xff))).toBe(`${'7'.repeat(51)}q`);
  });
});
