import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { BadEncryptionKey, UndecryptableIdentity } from './errors.ts';

const VERSION = 'v1';

/**
 * Identity numbers at rest: AES-256-GCM with a random 96-bit IV per value, stored as `v1.<iv>.<tag>.<ciphertext>`
 * (base64url). The version prefix lets the key or the algorithm change later without guessing.
 */
export interface IdentityCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export function createIdentityCipher(key: Buffer): IdentityCipher {
  if (key.byteLength !== 32) throw BadEncryptionKey(key.byteLength);
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), body].map(part).join('.');
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) {
        throw UndecryptableIdentity('unknown format');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw UndecryptableIdentity('wrong key or altered value');
      }
    },
  };
}

function part(value: string | Buffer): string {
  return typeof value === 'string' ? value : value.toString('base64url');
}
