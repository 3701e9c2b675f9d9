import avro, { type Type, type types } from 'avsc';
import { fromEpochDays, toEpochDays } from './calendar-date.ts';
import {
  type DecimalSpec,
  fromTwosComplement,
  fromUnscaled,
  toTwosComplement,
  toUnscaled,
} from './decimal.ts';
import { jsTypeOf } from './js-type.ts';

/**
 * The logical types the contracts use. avsc only converts logical types it is given, so every Type of this
 * package is built with LOGICAL_TYPES (see avro-type.ts). JS representation:
 *   decimal           ↔ canonical decimal string with exactly `scale` fraction digits ('1250.500000')
 *   date              ↔ 'YYYY-MM-DD' string
 *   timestamp-millis  ↔ Date
 */

type AvroSchemaArgument = ConstructorParameters<typeof avro.types.LogicalType>[0];
type Identity = (value: unknown) => unknown;
const identity: Identity = (value) => value;

/** A logical type that can say why a value does not fit it, for SCHEMA_INVALID_VALUE messages. */
export interface ExplainsInvalidValues {
  explainInvalid(value: unknown): string;
}

export function explainsInvalidValues(type: unknown): type is ExplainsInvalidValues {
  return (
    type instanceof DecimalType || type instanceof CalendarDateType || type instanceof TimestampMillisType
  );
}

function requireUnderlying(type: types.LogicalType, expected: string, logicalType: string): void {
  if (type.underlyingType.typeName !== expected) {
    throw new Error(
      `logicalType ${logicalType} must annotate ${expected}, not ${type.underlyingType.typeName}`,
    );
  }
}

function attributes(schema: AvroSchemaArgument): Record<string, unknown> {
  // The schema of a logical type is always an object; avsc's typing is wider than that.
  return schema as unknown as Record<string, unknown>;
}

export class DecimalType extends avro.types.LogicalType implements ExplainsInvalidValues {
  readonly spec: DecimalSpec;

  constructor(schema: AvroSchemaArgument, options?: unknown) {
    super(schema, options);
    requireUnderlying(this, 'bytes', 'decimal');
    const { precision, scale = 0 } = attributes(schema);
    if (typeof precision !== 'number' || !Number.isInteger(precision) || precision < 1) {
      throw new Error(`decimal precision must be a positive integer, got ${JSON.stringify(precision)}`);
    }
    if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 0 || scale > precision) {
      throw new Error(
        `decimal scale must be an integer from 0 to the precision, got ${JSON.stringify(scale)}`,
      );
    }
    this.spec = { precision, scale };
  }

  explainInvalid(value: unknown): string {
    const result = toUnscaled(value, this.spec);
    return result.ok ? 'a valid decimal' : result.problem;
  }

  protected override _fromValue(bytes: Buffer): string {
    const unscaled = fromTwosComplement(bytes);
    if ((unscaled < 0n ? -unscaled : unscaled).toString().length > this.spec.precision) {
      throw new Error(`decimal ${unscaled} exceeds precision ${this.spec.precision}`);
    }
    return fromUnscaled(unscaled, this.spec.scale);
  }

  // Returning undefined (not throwing) is how avsc is told a value is invalid: its checks try every branch of a
  // union, so a nullable decimal meets null on most records and an exception there costs a stack trace each time.
  // explainInvalid() says why when a caller needs the reason.
  protected override _toValue(value: unknown): Buffer | undefined {
    const result = toUnscaled(value, this.spec);
    return result.ok ? toTwosComplement(result.unscaled) : undefined;
  }

  /** Same scale, and a precision no larger than ours: the value reads unchanged. */
  protected override _resolve(writer: Type): Identity | undefined {
    if (writer instanceof DecimalType && writer.spec.scale === this.spec.scale) {
      return writer.spec.precision <= this.spec.precision ? identity : undefined;
    }
    return undefined;
  }

  protected override _export(schema: AvroSchemaArgument): void {
    Object.assign(attributes(schema), this.spec);
  }
}

export class CalendarDateType extends avro.types.LogicalType implements ExplainsInvalidValues {
  constructor(schema: AvroSchemaArgument, options?: unknown) {
    super(schema, options);
    requireUnderlying(this, 'int', 'date');
  }

  explainInvalid(value: unknown): string {
    return typeof value === 'string'
      ? `'${value}' is not a calendar date in the form YYYY-MM-DD`
      : `expected a 'YYYY-MM-DD' date string, got ${jsTypeOf(value)}`;
  }

  protected override _fromValue(days: number): string {
    return fromEpochDays(days);
  }

  protected override _toValue(value: unknown): number | undefined {
    return toEpochDays(value);
  }

  protected override _resolve(writer: Type): Identity | undefined {
    return writer instanceof CalendarDateType ? identity : undefined;
  }
}

export class TimestampMillisType extends avro.types.LogicalType implements ExplainsInvalidValues {
  constructor(schema: AvroSchemaArgument, options?: unknown) {
    super(schema, options);
    requireUnderlying(this, 'long', 'timestamp-millis');
  }

  explainInvalid(value: unknown): string {
    return value instanceof Date ? 'an invalid Date' : `expected a Date, got ${jsTypeOf(value)}`;
  }

  protected override _fromValue(millis: number): Date {
    const date = new Date(millis);
    // Otherwise an Invalid Date decodes without complaint and throws later, wherever it is first formatted.
    if (Number.isNaN(date.getTime())) {
      throw new Error(`timestamp ${millis} ms from 1970-01-01 is outside the range a date can hold`);
    }
    return date;
  }

  protected override _toValue(value: unknown): number | undefined {
    return value instanceof Date && !Number.isNaN(value.getTime()) ? value.getTime() : undefined;
  }

  protected override _resolve(writer: Type): Identity | undefined {
    return writer instanceof TimestampMillisType ? identity : undefined;
  }
}

/**
 * Checking is exception-free (see DecimalType._toValue), but writing an invalid value must still fail with the
 * reason, not with avsc's bare 'invalid "bytes": undefined'. avsc's _write is internal, hence the cast.
 */
for (const Logical of [DecimalType, CalendarDateType, TimestampMillisType]) {
  interface Writable {
    _toValue(value: unknown): unknown;
    explainInvalid(value: unknown): string;
    underlyingType: { _write(tap: unknown, value: unknown): void };
  }
  const prototype = Logical.prototype as unknown as Writable & { _write(tap: unknown, value: unknown): void };
  prototype._write = function write(this: Writable, tap: unknown, value: unknown): void {
    const converted = this._toValue(value);
    if (converted === undefined) throw new Error(this.explainInvalid(value));
    this.underlyingType._write(tap, converted);
  };
}

export const LOGICAL_TYPES = {
  decimal: DecimalType,
  date: CalendarDateType,
  'timestamp-millis': TimestampMillisType,
} as const;

export const SUPPORTED_LOGICAL_TYPES: ReadonlySet<string> = new Set(Object.keys(LOGICAL_TYPES));
