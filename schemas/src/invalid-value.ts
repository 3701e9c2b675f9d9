import type { Type } from 'avsc';
import { explainsInvalidValues } from './logical-types.ts';
import { isArray, isEnum, isMap, isRecord, unionBranches } from './type-views.ts';

/** Where a value first fails its schema, and why, in words a department's developer can act on. */
export interface InvalidValueReport {
  readonly path: string;
  readonly value: string;
  readonly reason: string;
}

export function findInvalidValue(type: Type, value: unknown): InvalidValueReport | undefined {
  let report: InvalidValueReport | undefined;
  type.isValid(value, {
    noUndeclaredFields: true,
    errorHook: (path: string[], invalid: unknown, invalidType: Type) => {
      report ??= {
        path: formatPath(path),
        value: describeValue(invalid),
        reason: explain(invalidType, invalid),
      };
    },
  });
  return report;
}

/** How a value is quoted in an error message: short, and unambiguous about its JS type. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : `Date(${value.toISOString()})`;
  if (Buffer.isBuffer(value)) return `<Buffer of ${value.length} bytes>`;
  if (typeof value === 'bigint') return `${value}n`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function formatPath(path: readonly string[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}

function explain(type: Type, value: unknown): string {
  if (explainsInvalidValues(type)) return type.explainInvalid(value);
  if (value === undefined) return `missing; expected ${expected(type)}`;
  if (isRecord(type) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const declared = new Set(type.fields.map((field) => field.name));
    const undeclared = Object.keys(value).filter((key) => !declared.has(key));
    if (undeclared.length > 0) return `${type.name} has no field ${undeclared.join(', ')}`;
  }
  // A union of null and a logical type: say what is wrong with the value for the logical branch.
  for (const branch of unionBranches(type)) {
    if (explainsInvalidValues(branch) && value !== null) return branch.explainInvalid(value);
  }
  return `expected ${expected(type)}`;
}

function expected(type: Type): string {
  const branches = unionBranches(type);
  if (branches.length > 0) return branches.map(expected).join(' or ');
  if (isRecord(type)) return `a ${type.name} object`;
  if (isEnum(type)) return `one of ${type.symbols.join(', ')}`;
  if (isArray(type)) return 'an array';
  if (isMap(type)) return 'an object';
  switch (type.typeName) {
    case 'int':
      return 'a 32-bit integer';
    case 'long':
      // avsc's bound for longs held as JS numbers: one short of Number.MAX_SAFE_INTEGER.
      return 'an integer within ±9007199254740990';
    case 'bytes':
    case 'fixed':
      return 'a Buffer';
    default:
      return `a ${type.typeName}`;
  }
}
