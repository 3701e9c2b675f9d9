import { parsingCanonicalForm } from './canonical-form.ts';
import type { JsonValue } from './schema-json.ts';

/** CRC-64-AVRO: the 64-bit Rabin fingerprint of the Avro specification ("Schema Fingerprints"). */
const EMPTY = 0xc15d213aa4d7a795n;
const MASK_64 = 0xffffffffffffffffn;

const TABLE: readonly bigint[] = Array.from({ length: 256 }, (_, index) => {
  let fp = BigInt(index);
  for (let bit = 0; bit < 8; bit++) fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n) & MASK_64);
  return fp;
});

export function rabinFingerprint64(bytes: Uint8Array): bigint {
  let fp = EMPTY;
  for (const byte of bytes) fp = (fp >> 8n) ^ TABLE[Number((fp ^ BigInt(byte)) & 0xffn)]!;
  return fp;
}

/** The 8 fingerprint bytes as they appear in single-object encoding: little-endian. */
export function fingerprintBytes(canonicalForm: string): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(rabinFingerprint64(Buffer.from(canonicalForm, 'utf8')));
  return bytes;
}

/** Fingerprint of a schema as lower-case hex of its 8 little-endian bytes, e.g. "int" → 8f5c393f1ad57572. */
export function schemaFingerprint(schema: JsonValue): string {
  return fingerprintBytes(parsingCanonicalForm(schema)).toString('hex');
}
