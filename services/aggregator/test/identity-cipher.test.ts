import { randomBytes } from 'node:crypto';
import { CodedError } from '@credit/errors';
import { describe, expect, it } from 'vitest';
import { createIdentityCipher } from '../src/identity-cipher.ts';

const KEY = Buffer.alloc(32, 9);
const NUMBER = 'RESIDENT_IDENTITY_CARD:350102198005171234';

/** The error `run` throws; fails the test when it throws nothing. */
function thrown(run: () => unknown): CodedError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CodedError);
    return error as CodedError;
  }
  throw new Error('expected an error, none was thrown');
}

/** `sealed` with one byte of its part `index` (1 iv, 2 tag, 3 body) flipped. */
function alter(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('identity cipher', () => {
  it('decrypts what it encrypted, non-ASCII text included', () => {
    const cipher = createIdentityCipher(KEY);
    expect(cipher.decrypt(cipher.encrypt(NUMBER))).toBe(NUMBER);
    expect(cipher.decrypt(cipher.encrypt('PASSPORT:E12345678 张三'))).toBe('PASSPORT:E12345678 张三');
  });

  it('seals a value as v1.<iv>.<tag>.<ciphertext> without the plain text in it', () => {
    const sealed = createIdentityCipher(KEY).encrypt(NUMBER);
    const [version, iv, tag, body, ...rest] = sealed.split('.');
    expect(version).toBe('v1');
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(body!, 'base64url')).toHaveLength(Buffer.byteLength(NUMBER));
    expect(rest).toEqual([]);
    expect(sealed).not.toContain('350102198005171234');
  });

  it('encrypts the same value differently each time (random IV), and both decrypt', () => {
    const cipher = createIdentityCipher(KEY);
    const first = cipher.encrypt(NUMBER);
    const second = cipher.encrypt(NUMBER);
    expect(first).not.toBe(second);
    expect(first.split('.')[1]).not.toBe(second.split('.')[1]);
    expect(cipher.decrypt(first)).toBe(NUMBER);
    expect(cipher.decrypt(second)).toBe(NUMBER);
  });

  it('decrypts with another cipher built from the same key', () => {
    const sealed = createIdentityCipher(Buffer.from(KEY)).encrypt(NUMBER);
    expect(createIdentityCipher(Buffer.from(KEY)).decrypt(sealed)).toBe(NUMBER);
  });

  it('refuses to decrypt under a wrong key with AGG_UNDECRYPTABLE_IDENTITY', () => {
    const sealed = createIdentityCipher(KEY).encrypt(NUMBER);
    const error = thrown(() => createIdentityCipher(randomBytes(32)).decrypt(sealed));
    expect(error.code).toBe('AGG_UNDECRYPTABLE_IDENTITY');
    expect(error.message).toContain('wrong key or altered value');
  });

  it.each([
    ['the IV', 1],
    ['the authentication tag', 2],
    ['the ciphertext', 3],
  ])('refuses a value whose %s was altered with AGG_UNDECRYPTABLE_IDENTITY', (_, index) => {
    const cipher = createIdentityCipher(KEY);
    const altered = alter(cipher.encrypt(NUMBER), index);
    expect(thrown(() => cipher.decrypt(altered)).code).toBe('AGG_UNDECRYPTABLE_IDENTITY');
  });

  it('refuses a truncated ciphertext with AGG_UNDECRYPTABLE_IDENTITY', () => {
    const cipher = createIdentityCipher(KEY);
    const sealed = cipher.encrypt(NUMBER);
    expect(thrown(() => cipher.decrypt(sealed.slice(0, -4))).code).toBe('AGG_UNDECRYPTABLE_IDENTITY');
  });

  it.each([
    ['another version', (sealed: string) => sealed.replace(/^v1\./, 'v2.')],
    ['a missing part', (sealed: string) => sealed.split('.').slice(0, 3).join('.')],
    ['plain text', () => '350102198005171234'],
    ['an empty string', () => ''],
  ])('refuses %s as an unknown format with AGG_UNDECRYPTABLE_IDENTITY', (_, corrupt) => {
    const cipher = createIdentityCipher(KEY);
    const error = thrown(() => cipher.decrypt(corrupt(cipher.encrypt(NUMBER))));
    expect(error.code).toBe('AGG_UNDECRYPTABLE_IDENTITY');
    expect(error.message).toContain('unknown format');
  });

  it.each([0, 16, 31, 33, 64])('refuses a key of %d bytes with AGG_BAD_ENCRYPTION_KEY', (bytes) => {
    const error = thrown(() => createIdentityCipher(Buffer.alloc(bytes, 1)));
    expect(error.code).toBe('AGG_BAD_ENCRYPTION_KEY');
    expect(error.message).toContain(`got ${bytes}`);
  });
});
