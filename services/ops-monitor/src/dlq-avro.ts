import { maskDocumentNumber, maskIdentityNumbers, maskResidentId } from '@credit/identifiers';
import {
  type Codec,
  createCodec,
  type IdDocumentType,
  type RecordKind,
  type RecordKinds,
  SINGLE_OBJECT_MAGIC,
} from '@credit/schemas';

/**
 * A department record in Avro single-object encoding as people may see it: decoded with the platform's codec and
 * written as JSON with every identity number masked.
 */

/** A value as JSON writes it. */
type Shown = null | boolean | number | string | Shown[] | { [name: string]: Shown };

export interface ShownRecord {
  kind: string;
  /** The version the value was written with. */
  version: number;
  /** JSON of the record, identity numbers masked. */
  json: string;
}

let loadedCodec: Codec | undefined;

/** Loading the registry reads every schema file: only once, and only when a dead letter is Avro. */
function platformCodec(): Codec {
  loadedCodec ??= createCodec();
  return loadedCodec;
}

export function isSingleObject(bytes: Buffer): boolean {
  return bytes.subarray(0, SINGLE_OBJECT_MAGIC.length).equals(SINGLE_OBJECT_MAGIC);
}

/**
 * Throws the codec's CodedError when the fingerprint is unknown or the body does not decode. `codec`: the
 * platform's, unless a test brings one of other schemas.
 */
export function showRecord(bytes: Buffer, codec: Codec = platformCodec()): ShownRecord {
  const decoded = codec.decode(bytes);
  return {
    kind: decoded.kind,
    version: decoded.version,
    json: JSON.stringify(shown(withSubjectMasked(decoded.value))),
  };
}

/**
 * A resident identity number keeps its last 4 characters; another document's number what maskDocumentNumber keeps.
 * A number of no stated type is masked as a resident number, which hides all of it unless it has 18 characters.
 */
function maskNumber(number: string, type: IdDocumentType | null): string {
  return type === null || type === 'RESIDENT_IDENTITY_CARD'
    ? maskResidentId(number)
    : maskDocumentNumber(number);
}

/**
 * The subject's code (a person's document number unless it is a USCC) and the legal representative's number
 * masked whatever their shape: a passport number or a number typed with spaces escapes the generic masking.
 */
function withSubjectMasked(record: RecordKinds[RecordKind]): RecordKinds[RecordKind] {
  const { subject } = record.envelope;
  const representative = subject.legalRepresentative;
  return {
    ...record,
    envelope: {
      ...record.envelope,
      subject: {
        ...subject,
        code: subject.codeType === 'USCC' ? subject.code : maskNumber(subject.code, subject.codeType),
        legalRepresentative:
          representative === null || representative.idNumber === null
            ? representative
            : { ...representative, idNumber: maskNumber(representative.idNumber, representative.idType) },
      },
    },
  };
}

/**
 * The decoded value as JSON: strings with identity numbers masked, dates as ISO strings, bytes by their length only
 * (ciphertext, or anything else nobody reads in base64), a `sealed` block by the key it is sealed for only.
 */
function shown(value: unknown): Shown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return maskIdentityNumbers(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return { bytes: value.length };
  if (Array.isArray(value)) return value.map(shown);
  if (typeof value === 'object') {
    const fields: { [name: string]: Shown } = {};
    for (const [name, field] of Object.entries(value)) {
      // Map keys are data too.
      fields[maskIdentityNumbers(name)] = name === 'sealed' ? sealedFor(field) : shown(field);
    }
    return fields;
  }
  return null;
}

/** Identity numbers encrypted for the platform: which key they are sealed for, never the ciphertexts. */
function sealedFor(sealed: unknown): Shown {
  if (sealed === null || sealed === undefined) return null;
  const keyId = typeof sealed === 'object' ? (sealed as { keyId?: unknown }).keyId : undefined;
  return { sealedFor: typeof keyId === 'string' ? maskIdentityNumbers(keyId) : null };
}
