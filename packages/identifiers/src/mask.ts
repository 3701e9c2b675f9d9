import { normaliseCode, normaliseText } from './normalise.ts';

/** No mask keeps more than this many characters of an identity number: the last ones. */
const KEPT_SUFFIX = 4;

/**
 * Keeps only the last 4 characters of an 18-character number: `**************4578`. The division and the birth
 * date stay hidden: with them a masked number leaves only a few thousand candidates, which anyone holding an
 * unkeyed hash of the number could try. Anything else is masked entirely, since its layout is unknown.
 */
export function maskResidentId(number: string): string {
  const characters = [...normaliseCode(number)];
  if (characters.length !== 18) return '*'.repeat(characters.length);
  return '*'.repeat(18 - KEPT_SUFFIX) + characters.slice(-KEPT_SUFFIX).join('');
}

/**
 * Another identity document's number (passport, permits): the last 4 characters of a long one (12 or more), the last
 * 2 of a shorter one (6 to 11), none of a number of 5 or fewer: `********7890`.
 */
export function maskDocumentNumber(number: string): string {
  const characters = [...number];
  const kept = characters.length >= 12 ? KEPT_SUFFIX : characters.length >= 6 ? 2 : 0;
  return '*'.repeat(characters.length - kept) + characters.slice(characters.length - kept).join('');
}

/** Keeps the first character (the surname, usually): `张三丰` → `张**`. A one-character name becomes `*`. */
export function maskName(name: string): string {
  const characters = [...normaliseText(name)];
  if (characters.length <= 1) return '*'.repeat(characters.length);
  return `${characters[0]}${'*'.repeat(characters.length - 1)}`;
}

// 17 digits and a digit or X, not glued to other digits: the shape of a resident identity number, whatever its
// date or check character say (a mistyped number is still someone's).
const RESIDENT_ID_SHAPE = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])/g;

// In bytes, the next field may begin with a byte that reads as a digit (an Avro length of 24 is '0'): no lookaround,
// so a longer run of digits is masked too, which costs nothing in a copy people only look at.
const RESIDENT_ID_RUN = /[0-9]{17}[0-9Xx]/g;

/**
 * Every run in free text shaped like a resident identity number, in order: what masking hides, and what a check
 * that refuses numbers in text tries (validateResidentId tells a real number from an account or case number).
 */
export function identityNumberCandidates(text: string): string[] {
  return Array.from(text.matchAll(RESIDENT_ID_SHAPE), (match) => match[0]);
}

/** Masks everything shaped like a resident identity number in free text (messages, reasons, headers). */
export function maskIdentityNumbers(text: string): string {
  return text.replace(RESIDENT_ID_SHAPE, (match) => maskResidentId(match));
}

/**
 * The same for bytes (a message key, an Avro value, a header): each ASCII run shaped like a resident identity number
 * is masked in place, at the same length, so an Avro value stays decodable (a string's length prefix still holds).
 * Returns the bytes unchanged (the same Buffer) when there was nothing to mask.
 */
export function maskIdentityNumberBytes(bytes: Buffer): { bytes: Buffer; masked: number } {
  // latin1 maps each byte to one character, so offsets in the string are offsets in the buffer.
  const text = bytes.toString('latin1');
  let masked = 0;
  let copy: Buffer | undefined;
  for (const match of text.matchAll(RESIDENT_ID_RUN)) {
    copy ??= Buffer.from(bytes);
    copy.write(maskResidentId(match[0]), match.index, 'latin1');
    masked += 1;
  }
  return { bytes: copy ?? bytes, masked };
}
