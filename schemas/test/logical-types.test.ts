import { describe, expect, it } from 'vitest';
import { toAvroType } from '../src/avro-type.ts';
import { fromEpochDays, toEpochDays } from '../src/calendar-date.ts';
import { fromTwosComplement, fromUnscaled, toTwosComplement, toUnscaled } from '../src/decimal.ts';

const amount = toAvroType({ type: 'bytes', logicalType: 'decimal', precision: 18, scale: 6 });
const date = toAvroType({ type: 'int', logicalType: 'date' });
const instant = toAvroType({ type: 'long', logicalType: 'timestamp-millis' });

describe('decimal ↔ canonical decimal string', () => {
  it.each([
    ['1250.5', '1250.500000'],
    ['1250.500000', '1250.500000'],
    ['0.000001', '0.000001'],
    ['-0.000001', '-0.000001'],
    ['007', '7.000000'],
    ['-0', '0.000000'],
    ['999999999999.999999', '999999999999.999999'],
    ['-999999999999.999999', '-999999999999.999999'],
  ])('%s encodes exactly and decodes as %s', (input, canonical) => {
    expect(amount.fromBuffer(amount.toBuffer(input))).toBe(canonical);
  });

  it('writes the unscaled integer as big-endian two’s complement, like Java’s BigInteger', () => {
    // 1.25 at scale 6 is 1250000 = 0x1312d0: three bytes, after the Avro length 3 (zig-zag 0x06).
    expect(amount.toBuffer('1.250000')).toEqual(Buffer.from([0x06, 0x13, 0x12, 0xd0]));
    expect(toTwosComplement(0n)).toEqual(Buffer.from([0x00]));
    expect(toTwosComplement(127n)).toEqual(Buffer.from([0x7f]));
    expect(toTwosComplement(128n)).toEqual(Buffer.from([0x00, 0x80]));
    expect(toTwosComplement(-1n)).toEqual(Buffer.from([0xff]));
    expect(toTwosComplement(-128n)).toEqual(Buffer.from([0x80]));
    expect(toTwosComplement(-129n)).toEqual(Buffer.from([0xff, 0x7f]));
    for (const n of [0n, 1n, -1n, 255n, -256n, 10n ** 18n - 1n, -(10n ** 18n) + 1n]) {
      expect(fromTwosComplement(toTwosComplement(n))).toBe(n);
    }
    expect(fromUnscaled(-5n, 2)).toBe('-0.05');
    expect(fromUnscaled(42n, 0)).toBe('42');
  });

  it('rejects more fraction digits than the scale, and more digits than the precision, saying which', () => {
    expect(toUnscaled('1.0000001', { precision: 18, scale: 6 })).toEqual({
      ok: false,
      problem: "7 fraction digits exceed the schema's scale of 6",
    });
    expect(toUnscaled('1000000000000', { precision: 18, scale: 6 })).toEqual({
      ok: false,
      problem: "19 digits exceed the schema's precision of 18 (at most 12 before the point)",
    });
    expect(amount.isValid('1.0000001')).toBe(false);
    expect(() => amount.toBuffer('1.0000001')).toThrow(/scale of 6/);
  });

  it.each([1250.5, '1,250.50', '1e3', '.5', '5.', ' 1', '', null, undefined])(
    'rejects %j: only plain decimal strings, never floats',
    (value) => {
      expect(amount.isValid(value)).toBe(false);
    },
  );

  it('refuses a decimal declaration it cannot honour', () => {
    expect(() => toAvroType({ type: 'bytes', logicalType: 'decimal', precision: 4, scale: 6 })).toThrow(
      /scale/,
    );
    expect(() => toAvroType({ type: 'string', logicalType: 'decimal', precision: 4 })).toThrow(/bytes/);
  });
});

describe("date ↔ 'YYYY-MM-DD'", () => {
  it.each([
    ['1970-01-01', 0],
    ['1969-12-31', -1],
    ['2024-02-29', 19782],
    ['2099-12-31', 47481],
    ['0001-01-01', -719162],
  ])('%s is day %i', (text, days) => {
    expect(toEpochDays(text)).toBe(days);
    expect(fromEpochDays(days)).toBe(text);
    expect(date.fromBuffer(date.toBuffer(text))).toBe(text);
  });

  it.each(['2023-02-29', '2024-13-01', '2024-04-31', '2024-4-1', '2024-04-01T00:00:00Z', '24-04-01'])(
    'rejects %s',
    (text) => {
      expect(toEpochDays(text)).toBeUndefined();
      expect(date.isValid(text)).toBe(false);
    },
  );

  it('rejects Date objects: a calendar date has no time zone to get wrong', () => {
    expect(date.isValid(new Date('2024-04-01'))).toBe(false);
  });

  it('refuses to decode a day outside years 0000–9999', () => {
    expect(() => fromEpochDays(3_000_000)).toThrow(/outside years/);
  });
});

describe('timestamp-millis ↔ Date', () => {
  it('keeps the instant to the millisecond', () => {
    const at = new Date('2024-05-21T01:45:00.123Z');
    const decoded: unknown = instant.fromBuffer(instant.toBuffer(at));
    expect(decoded).toBeInstanceOf(Date);
    expect(decoded).toEqual(at);
  });

  it('rejects numbers, strings and invalid dates', () => {
    expect(instant.isValid(1716255900123)).toBe(false);
    expect(instant.isValid('2024-05-21T01:45:00Z')).toBe(false);
    expect(instant.isValid(new Date('nope'))).toBe(false);
  });

  it('refuses to decode a long no Date can hold, rather than give an Invalid Date', () => {
    const long = toAvroType('long');
    expect(() => instant.fromBuffer(long.toBuffer(9_000_000_000_000_000))).toThrow(/outside the range/);
    expect(() => instant.fromBuffer(long.toBuffer(-9_000_000_000_000_000))).toThrow(/outside the range/);
    expect(instant.fromBuffer(long.toBuffer(8_640_000_000_000_000))).toEqual(new Date(8_640_000_000_000_000));
  });
});

describe('schema resolution of logical types', () => {
  it('reads a decimal written with the same scale and a smaller precision, and nothing else', () => {
    const narrow = toAvroType({ type: 'bytes', logicalType: 'decimal', precision: 10, scale: 6 });
    const rescaled = toAvroType({ type: 'bytes', logicalType: 'decimal', precision: 18, scale: 4 });
    expect(amount.fromBuffer(narrow.toBuffer('12.5'), amount.createResolver(narrow))).toBe('12.500000');
    expect(() => amount.createResolver(rescaled)).toThrow();
    expect(() => narrow.createResolver(amount)).toThrow();
  });

  it('does not read a plain int as a date', () => {
    expect(() => date.createResolver(toAvroType('int'))).toThrow();
  });
});
