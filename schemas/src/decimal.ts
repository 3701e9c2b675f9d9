import { jsTypeOf } from './js-type.ts';

/**
 * Avro `decimal` values as exact decimal strings. In memory a decimal is a string with exactly `scale`
 * fraction digits ('1250.500000' for scale 6); on the wire it is the unscaled integer (125050000000) as
 * big-endian two's complement bytes. No floating point anywhere.
 */

export interface DecimalSpec {
  readonly precision: number;
  readonly scale: number;
}

const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;

export type UnscaledResult =
  | { readonly ok: true; readonly unscaled: bigint }
  | { readonly ok: false; readonly problem: string };

/** Accepts '-12.5', '0012.50', '3' ...; rejects anything with more fraction digits than the scale or more digits than the precision. */
export function toUnscaled(value: unknown, spec: DecimalSpec): UnscaledResult {
  if (typeof value !== 'string') {
    return { ok: false, problem: `expected a decimal string such as '1250.5', got ${jsTypeOf(value)}` };
  }
  const match = DECIMAL_PATTERN.exec(value);
  if (!match) return { ok: false, problem: `'${value}' is not a plain decimal number such as '1250.5'` };
  const [, sign = '', integer = '', fraction = ''] = match;
  if (fraction.length > spec.scale) {
    return {
      ok: false,
      problem: `${fraction.length} fraction digits exceed the schema's scale of ${spec.scale}`,
    };
  }
  const magnitude = BigInt(integer + fraction.padEnd(spec.scale, '0'));
  const digits = magnitude.toString().length;
  if (digits > spec.precision) {
    return {
      ok: false,
      problem: `${digits} digits exceed the schema's precision of ${spec.precision} (at most ${spec.precision - spec.scale} before the point)`,
    };
  }
  return { ok: true, unscaled: sign === '-' ? -magnitude : magnitude };
}

/** The canonical string of an unscaled value: exactly `scale` fraction digits, no leading zeros, no '-0'. */
export function fromUnscaled(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const integer = digits.slice(0, digits.length - scale);
  const text = scale === 0 ? integer : `${integer}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

/** Minimal big-endian two's complement, as Java's BigInteger.toByteArray writes it. */
export function toTwosComplement(value: bigint): Buffer {
  let length = 1;
  while (value < -(1n << BigInt(8 * length - 1)) || value >= 1n << BigInt(8 * length - 1)) length++;
  const unsigned = value < 0n ? (1n << BigInt(8 * length)) + value : value;
  return Buffer.from(unsigned.toString(16).padStart(2 * length, '0'), 'hex');
}

export function fromTwosComplement(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  const unsigned = BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  return (bytes[0]! & 0x80) === 0 ? unsigned : unsigned - (1n << BigInt(8 * bytes.length));
}
