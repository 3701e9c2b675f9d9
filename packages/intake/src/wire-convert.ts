import { parseTimestamp } from './calendar.ts';
import { INTAKE_CODES } from './codes.ts';
import { isPlainObject, jsTypeOf, own } from './plain.ts';
import { type Rejection, rejection } from './rejection.ts';
import {
  describeNode,
  formatPath,
  type RecordNode,
  type SchemaNode,
  unwrapNullable,
} from './schema-model.ts';
import { isIdentityNumberField } from './sensitive.ts';

/** What converting a wire record found: problems, and the paths they cover so the schema check skips them. */
export interface Conversion {
  readonly value: unknown;
  readonly rejections: Rejection[];
  readonly reportedPaths: Set<string>;
}

// Unpaired UTF-16 surrogates cannot be encoded as UTF-8: Avro would store U+FFFD instead.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Turns a wire record into the codec's representation: ISO timestamps to Dates, decimals to their canonical
 * form (exactly `scale` fraction digits, as they decode), absent fields with a default to that default.
 * Unknown fields are reported and dropped; everything else the schema check judges afterwards.
 */
export function convertWire(root: SchemaNode, record: Record<string, unknown>): Conversion {
  const rejections: Rejection[] = [];
  const reportedPaths = new Set<string>();
  const report = (path: Path, item: Rejection) => {
    rejections.push(item);
    reportedPaths.add(formatPath(segments(path)));
  };
  const schemaRejection = (path: Path, value: unknown, rule: string) => {
    const field = formatPath(segments(path));
    return rejection(INTAKE_CODES.schema, {
      field,
      value,
      rule,
      sensitive: isIdentityNumberField(field, record),
    });
  };

  const convert = (node: SchemaNode, value: unknown, path: Path): unknown => {
    switch (node.type) {
      case 'record': {
        if (!isPlainObject(value)) {
          if (value !== undefined)
            report(path, schemaRejection(path, value, `expected ${describeNode(node)}`));
          return value;
        }
        const declared = fieldNames(node);
        for (const key of Object.keys(value)) {
          if (declared.has(key)) continue;
          const at = { parent: path, key };
          const producerField = node.fields.some((field) => field.name === key && !field.wire);
          // A decoded record sent back as JSON carries the producers' field as null: harmless, so let through.
          if (producerField && value[key] === null) continue;
          report(
            at,
            schemaRejection(
              at,
              value[key],
              producerField
                ? 'filled by the SDK and the gateway, never sent: send the numbers in their own fields'
                : 'unknown field',
            ),
          );
        }
        const result: Record<string, unknown> = {};
        for (const field of node.fields) {
          const fieldValue = field.wire ? own(value, field.name) : undefined;
          if (fieldValue !== undefined) {
            result[field.name] = convert(field.type, fieldValue, { parent: path, key: field.name });
          } else if (field.default !== undefined) {
            const fallback = field.default.value;
            result[field.name] = typeof fallback === 'object' ? structuredClone(fallback) : fallback;
          }
        }
        return result;
      }
      case 'union': {
        if (value === null) return null;
        const { node: inner } = unwrapNullable(node);
        if (inner === node) return value;
        if (inner.type === 'record' && !isPlainObject(value)) {
          report(path, schemaRejection(path, value, `expected ${describeNode(node)}`));
          return value;
        }
        return convert(inner, value, path);
      }
      case 'array':
        return Array.isArray(value)
          ? value.map((item, index) => convert(node.items, item, { parent: path, key: String(index) }))
          : value;
      case 'decimal':
        return typeof value === 'string' ? (canonicalDecimal(value, node.scale) ?? value) : value;
      case 'timestamp': {
        if (value instanceof Date || value === undefined) return value;
        const parsed = typeof value === 'string' ? parseTimestamp(value) : undefined;
        if (parsed?.ok) return parsed.date;
        const field = formatPath(segments(path));
        report(
          path,
          rejection(INTAKE_CODES.invalidTimestamp, {
            field,
            value,
            rule: `expected ${describeNode(node)}`,
            explanation: parsed
              ? parsed.problem
              : `expected an ISO-8601 timestamp string, got ${jsTypeOf(value)}`,
          }),
        );
        return value;
      }
      case 'primitive':
        if (node.name === 'string' && typeof value === 'string' && LONE_SURROGATE.test(value)) {
          report(
            path,
            schemaRejection(path, value, 'expected well-formed Unicode text (no unpaired surrogates)'),
          );
        }
        return value;
      default:
        return value;
    }
  };

  return { value: convert(root, record, undefined), rejections, reportedPaths };
}

/** A path built only as far as needed: most values have no problem, and their path is never written out. */
type Path = { readonly parent: Path; readonly key: string } | undefined;

function segments(path: Path): string[] {
  const keys: string[] = [];
  for (let at = path; at !== undefined; at = at.parent) keys.unshift(at.key);
  return keys;
}

const declaredFields = new WeakMap<RecordNode, ReadonlySet<string>>();

function fieldNames(node: RecordNode): ReadonlySet<string> {
  let names = declaredFields.get(node);
  if (names === undefined) {
    names = new Set(node.fields.filter((field) => field.wire).map((field) => field.name));
    declaredFields.set(node, names);
  }
  return names;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** '0012.5' → '12.500000' for scale 6; undefined when it is not a plain decimal within the scale. */
export function canonicalDecimal(text: string, scale: number): string | undefined {
  const match = DECIMAL.exec(text);
  if (match === null) return undefined;
  const [, sign = '', digits = '', fraction = ''] = match;
  if (fraction.length > scale) return undefined;
  const integer = digits.replace(/^0+(?=\d)/, '');
  const padded = fraction.padEnd(scale, '0');
  const zero = /^0*$/.test(integer + padded);
  return `${zero ? '' : sign}${integer}${scale > 0 ? `.${padded}` : ''}`;
}
