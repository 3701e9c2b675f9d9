import { NotSingleObject } from './errors.ts';

/** Avro single-object encoding: C3 01, the writer schema's 8-byte little-endian fingerprint, the binary body. */
export const SINGLE_OBJECT_MAGIC = Buffer.from([0xc3, 0x01]);
export const SINGLE_OBJECT_HEADER_LENGTH = SINGLE_OBJECT_MAGIC.length + 8;

export function frame(fingerprint: Buffer, body: Buffer): Buffer {
  return Buffer.concat([SINGLE_OBJECT_MAGIC, fingerprint, body]);
}

export interface Unframed {
  /** Hex of the 8 fingerprint bytes, as SchemaVersion.fingerprint writes it. */
  readonly fingerprint: string;
  readonly body: Buffer;
}

export function unframe(bytes: Uint8Array): Unframed {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < SINGLE_OBJECT_HEADER_LENGTH) {
    throw NotSingleObject(
      `${buffer.length} bytes, fewer than the ${SINGLE_OBJECT_HEADER_LENGTH}-byte header`,
    );
  }
  if (buffer[0] !== SINGLE_OBJECT_MAGIC[0] || buffer[1] !== SINGLE_OBJECT_MAGIC[1]) {
    throw NotSingleObject(`starts with ${buffer.subarray(0, 2).toString('hex')}, not the marker c301`);
  }
  return {
    fingerprint: buffer.subarray(2, SINGLE_OBJECT_HEADER_LENGTH).toString('hex'),
    body: buffer.subarray(SINGLE_OBJECT_HEADER_LENGTH),
  };
}

/** The writer schema's fingerprint of a message, without decoding it (for logs and dead-letter headers). */
export function readFingerprint(bytes: Uint8Array): string {
  return unframe(bytes).fingerprint;
}
