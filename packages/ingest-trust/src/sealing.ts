import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
} from 'node:crypto';
import { maskDocumentNumber, maskResidentId } from '@credit/identifiers';
import type { Envelope, IdDocumentType, RecordKind, RecordKinds, Sealed } from '@credit/schemas';
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { refuse, TRUST_CODES, type TrustRefusal } from './codes.ts';

/**
 * Identity numbers sealed for the platform before a record leaves the department (envelope encryption). A producer
 * draws a random 32-byte data key, seals it once for the platform's public key with HPKE (RFC 9180, base mode:
 * DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM; the @hpke/core library), and encrypts each number with
 * AES-256-GCM under that data key; the clear fields carry the numbers masked to their last 4 characters. It keeps
 * a data key for a while (RFC 9180's single-shot seal costs about a millisecond, too much per record), so the
 * platform opens each data key once and caches it. Only the aggregator holds the platform's private key.
 */
const suite = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes256Gcm(),
});
const INFO = new TextEncoder().encode('credit-platform sealed identity numbers v1');
const ENC_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

type SealedField = 'subjectCode' | 'legalRepresentativeIdNumber';

const aad = (field: SealedField) => Buffer.from(`credit-sealed/v1:${field}`);

/** A sealing key's id: the first 16 bytes of the SHA-256 of its raw X25519 public key, hex. */
export function sealingKeyId(publicKey: Buffer): string {
  return createHash('sha256').update(publicKey).digest('hex').slice(0, 32);
}

/** A new platform sealing key pair, raw X25519 keys as base64url (what the configuration holds). */
export function generateSealingKeyPair(): { keyId: string; publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return {
    keyId: sealingKeyId(pub),
    publicKey: pub.toString('base64url'),
    privateKey: privateKey.export({ format: 'jwk' }).d!,
  };
}

/** The public key (base64url) of a private one. */
export function sealingPublicKeyOf(privateKey: string): string {
  return publicRawOf(raw32(privateKey, 'the platform sealing private key')).toString('base64url');
}

/** The raw X25519 public key of a raw private key. */
function publicRawOf(privateRaw: Buffer): Buffer {
  // Wrapped as PKCS#8 (RFC 8410), from which Node derives the public key.
  const der = Buffer.concat([X25519_PKCS8_PREFIX, privateRaw]);
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x!, 'base64url');
}

const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

function raw32(text: string, what: string): Buffer {
  const bytes = Buffer.from(text.trim(), 'base64url');
  if (bytes.length !== 32) throw new Error(`${what} must be 32 bytes, base64url (got ${bytes.length} bytes)`);
  return bytes;
}

function isResident(type: IdDocumentType | null | undefined): boolean {
  return type === 'RESIDENT_IDENTITY_CARD';
}

function maskFor(type: IdDocumentType | null | undefined, number: string): string {
  return isResident(type) ? maskResidentId(number) : maskDocumentNumber(number);
}

/** The identity numbers of a record that must not travel in clear. */
function identityNumbers(envelope: Envelope): Partial<Record<SealedField, string>> {
  const numbers: Partial<Record<SealedField, string>> = {};
  const { subject } = envelope;
  if (subject.codeType !== 'USCC') numbers.subjectCode = subject.code;
  const id = subject.legalRepresentative?.idNumber;
  if (id) numbers.legalRepresentativeIdNumber = id;
  return numbers;
}

/** True when the record carries an identity number that must be sealed before it leaves (a person, a representative). */
export function holdsIdentityNumbers(envelope: Envelope): boolean {
  const numbers = identityNumbers(envelope);
  return numbers.subjectCode !== undefined || numbers.legalRepresentativeIdNumber !== undefined;
}

/** Seals records for the platform on the producer's side (the SDK, the ingest gateway). */
export interface Sealer {
  /** The platform key the data keys are sealed for. */
  readonly keyId: string;
  /** That key itself (X25519, base64url): what departments that seal with the SDK fetch from the gateway. */
  readonly publicKey: string;
  /** The record as it goes on the topic: numbers masked in their fields, sealed in envelope.sealed. */
  seal<K extends RecordKind>(value: RecordKinds[K]): RecordKinds[K];
  /** Resolves when a data key being made in the background (a rotation) is in use. */
  rotated(): Promise<void>;
  /** Stops the data key's rotation timer. */
  close(): void;
}

interface DataKey {
  key: Buffer;
  encapsulatedKey: Buffer;
  uses: number;
}

export async function createSealer(
  platformPublicKey: string,
  options: { rotateAfterMs?: number; rotateAfterUses?: number } = {},
): Promise<Sealer> {
  const publicRaw = raw32(platformPublicKey, 'the platform sealing public key');
  const keyId = sealingKeyId(publicRaw);
  const recipientPublicKey = await suite.kem.deserializePublicKey(publicRaw);
  const rotateAfterMs = options.rotateAfterMs ?? 600_000;
  const rotateAfterUses = options.rotateAfterUses ?? 1_000_000;

  async function newDataKey(): Promise<DataKey> {
    const key = randomBytes(32);
    const { enc, ct } = await suite.seal({ recipientPublicKey, info: INFO }, key);
    return { key, encapsulatedKey: Buffer.concat([Buffer.from(enc), Buffer.from(ct)]), uses: 0 };
  }

  let current = await newDataKey();
  let rotating: Promise<void> | undefined;
  // seal() is synchronous (it runs inside the intake's validation): a stale key is replaced in the background
  // and used a little longer meanwhile.
  const rotate = () => {
    rotating ??= newDataKey()
      .then((next) => {
        current = next;
      })
      .catch(() => {})
      .finally(() => {
        rotating = undefined;
      });
  };
  const timer = setInterval(rotate, rotateAfterMs);
  timer.unref();

  function encrypt(dataKey: DataKey, field: SealedField, clear: string): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', dataKey.key, nonce);
    cipher.setAAD(aad(field));
    const body = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  }

  return {
    keyId,
    publicKey: publicRaw.toString('base64url'),
    seal(value) {
      const { envelope } = value;
      const numbers = identityNumbers(envelope);
      if (numbers.subjectCode === undefined && numbers.legalRepresentativeIdNumber === undefined) {
        return { ...value, envelope: { ...envelope, sealed: null } };
      }
      const dataKey = current;
      dataKey.uses += 1;
      if (dataKey.uses >= rotateAfterUses) rotate();
      const { subject } = envelope;
      const representative = subject.legalRepresentative;
      const sealed: Sealed = {
        keyId,
        encapsulatedKey: dataKey.encapsulatedKey,
        subjectCode:
          numbers.subjectCode === undefined ? null : encrypt(dataKey, 'subjectCode', numbers.subjectCode),
        legalRepresentativeIdNumber:
          numbers.legalRepresentativeIdNumber === undefined
            ? null
            : encrypt(dataKey, 'legalRepresentativeIdNumber', numbers.legalRepresentativeIdNumber),
      };
      return {
        ...value,
        envelope: {
          ...envelope,
          sealed,
          subject: {
            ...subject,
            code: numbers.subjectCode === undefined ? subject.code : maskFor(subject.codeType, subject.code),
            legalRepresentative:
              representative && numbers.legalRepresentativeIdNumber !== undefined
                ? {
                    ...representative,
                    idNumber: maskFor(representative.idType, numbers.legalRepresentativeIdNumber),
                  }
                : representative,
          },
        },
      };
    },
    rotated: async () => {
      await rotating;
    },
    close: () => clearInterval(timer),
  };
}

/** Opens sealed records on the platform's side (the aggregator alone). */
export interface Unsealer {
  /** Opens the data keys of these sealed blocks not opened yet (HPKE, asynchronous); call before unseal(). */
  prepare(blocks: Iterable<Sealed | null | undefined>): Promise<void>;
  /** The record with its identity numbers in clear again and envelope.sealed null, or why it cannot be. */
  unseal<K extends RecordKind>(value: RecordKinds[K]): { ok: true; value: RecordKinds[K] } | TrustRefusal;
}

const CACHED_DATA_KEYS = 10_000;

export async function createUnsealer(privateKeys: readonly string[]): Promise<Unsealer> {
  const recipients = new Map<string, Awaited<ReturnType<typeof suite.kem.deserializePrivateKey>>>();
  for (const [index, text] of privateKeys.entries()) {
    const privateKey = raw32(text, `platform sealing private key #${index + 1}`);
    recipients.set(sealingKeyId(publicRawOf(privateKey)), await suite.kem.deserializePrivateKey(privateKey));
  }
  // Data keys by platform key and encapsulation, or null for one that does not open. Insertion-ordered, so the
  // oldest go first when the cache is full.
  const dataKeys = new Map<string, Buffer | null>();
  // By the platform key too: a block naming another key with the same encapsulation (a producer's error, or an
  // altered record) is another entry, not one that shadows the first so that unseal() finds nothing prepared.
  const cacheId = (block: Sealed) => `${block.keyId} ${block.encapsulatedKey.toString('base64')}`;

  /** `id`: the block's cacheId, its key in the cache. */
  async function open(id: string, block: Sealed): Promise<void> {
    if (dataKeys.has(id)) return;
    const recipientKey = recipients.get(block.keyId);
    if (!recipientKey) return;
    let key: Buffer | null = null;
    if (block.encapsulatedKey.length > ENC_BYTES) {
      try {
        const enc = block.encapsulatedKey.subarray(0, ENC_BYTES);
        const ct = block.encapsulatedKey.subarray(ENC_BYTES);
        key = Buffer.from(await suite.open({ recipientKey, enc, info: INFO }, ct));
      } catch {
        key = null;
      }
    }
    if (dataKeys.size >= CACHED_DATA_KEYS) dataKeys.delete(dataKeys.keys().next().value!);
    dataKeys.set(id, key !== null && key.length === 32 ? key : null);
  }

  function decrypt(key: Buffer, field: SealedField, sealed: Buffer): string | null {
    if (sealed.length < NONCE_BYTES + TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES));
      decipher.setAAD(aad(field));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return null;
    }
  }

  return {
    async prepare(blocks) {
      const pending = new Map<string, Sealed>();
      for (const block of blocks) if (block) pending.set(cacheId(block), block);
      await Promise.all([...pending].map(([id, block]) => open(id, block)));
    },
    unseal(value) {
      const { envelope } = value;
      const needed = identityNumbers(envelope);
      const block = envelope.sealed ?? null;
      const missing = (['subjectCode', 'legalRepresentativeIdNumber'] as const).filter(
        (field) => needed[field] !== undefined && !block?.[field],
      );
      if (missing.length > 0) {
        return refuse(
          TRUST_CODES.notSealed,
          `${missing.map((field) => (field === 'subjectCode' ? 'envelope.subject.code' : 'envelope.subject.legalRepresentative.idNumber')).join(' and ')} must be sealed for the platform (envelope.sealed), not sent in clear`,
        );
      }
      if (block === null) return { ok: true, value: { ...value, envelope: { ...envelope, sealed: null } } };
      if (!recipients.has(block.keyId)) {
        return refuse(
          TRUST_CODES.unknownSealingKey,
          `the identity numbers are sealed for platform key ${block.keyId.slice(0, 40)}, which this platform does not hold`,
        );
      }
      const dataKey = dataKeys.get(cacheId(block));
      if (dataKey === undefined) throw new Error('unseal() before prepare() for this record');
      const clear: Partial<Record<SealedField, string>> = {};
      for (const field of ['subjectCode', 'legalRepresentativeIdNumber'] as const) {
        const sealed = block[field];
        if (!sealed) continue;
        const text = dataKey === null ? null : decrypt(dataKey, field, sealed);
        if (text === null) {
          return refuse(
            TRUST_CODES.unreadable,
            `envelope.sealed.${field} does not open with platform key ${block.keyId}: the data key or the ciphertext was altered`,
          );
        }
        clear[field] = text;
      }
      const { subject } = envelope;
      const representative = subject.legalRepresentative;
      return {
        ok: true,
        value: {
          ...value,
          envelope: {
            ...envelope,
            sealed: null,
            subject: {
              ...subject,
              code: clear.subjectCode ?? subject.code,
              legalRepresentative:
                representative && clear.legalRepresentativeIdNumber !== undefined
                  ? { ...representative, idNumber: clear.legalRepresentativeIdNumber }
                  : representative,
            },
          },
        },
      };
    },
  };
}
