const DIGITS = /^\d+$/;

/** ISO 7064 MOD 11,10 (hybrid system): the check digit to append to `digits`. */
export function computeMod1110CheckDigit(digits: string): string {
  if (!DIGITS.test(digits)) throw new RangeError(`ISO 7064 MOD 11,10 works on digits, got '${digits}'`);
  let product = 10;
  for (const digit of digits) {
    const sum = (product + Number(digit)) % 10 || 10;
    product = (sum * 2) % 11;
  }
  return String((11 - product) % 10);
}
