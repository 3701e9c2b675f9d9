const FULL_WIDTH_ASCII = /[\uFF01-\uFF5E]/g;
const FULL_WIDTH_OFFSET = 0xfee0;
const IDEOGRAPHIC_SPACE = /\u3000/g;
// Besides the hyphen-minus, Chinese input methods often produce the Unicode dashes U+2010–U+2015.
const CODE_SEPARATORS = /[\s\u2010-\u2015-]/g;

/** Full-width ASCII (U+FF01–U+FF5E) to half-width, ideographic space to space, then trim. */
export function normaliseText(input: string): string {
  return input
    .replace(FULL_WIDTH_ASCII, (character) =>
      String.fromCharCode(character.charCodeAt(0) - FULL_WIDTH_OFFSET),
    )
    .replace(IDEOGRAPHIC_SPACE, ' ')
    .trim();
}

/** For codes and numbers: `normaliseText`, then drop every space and hyphen, then upper-case. Idempotent. */
export function normaliseCode(input: string): string {
  return normaliseText(input).replace(CODE_SEPARATORS, '').toUpperCase();
}
