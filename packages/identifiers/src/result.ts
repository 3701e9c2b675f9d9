export type Reason<Code extends string> = { code: Code; message: string };

/** Every validator's failure shape: what was given, what it became after normalisation, and why it failed. */
export type Invalid<Code extends string> = {
  valid: false;
  input: string;
  normalised: string;
  reason: Reason<Code>;
};

export function invalid<Code extends string>(
  input: string,
  normalised: string,
  code: Code,
  message: string,
): Invalid<Code> {
  return { valid: false, input, normalised, reason: { code, message } };
}

/** Quotes the character at `index`, whole even when it is outside the Basic Multilingual Plane. */
export function quoteCharacterAt(text: string, index: number): string {
  return `'${String.fromCodePoint(text.codePointAt(index) ?? 0)}'`;
}
