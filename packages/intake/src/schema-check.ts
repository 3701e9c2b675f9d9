import type { SchemaVersion } from '@credit/schemas';
import { INTAKE_CODES } from './codes.ts';
import { type Rejection, rejection } from './rejection.ts';
import { describeNode, formatPath, nodeAt, type SchemaNode } from './schema-model.ts';
import { isIdentityNumberField } from './sensitive.ts';

/**
 * Every place where `value` does not fit the kind's Avro schema, one rejection each. avsc's errorHook visits
 * every invalid leaf (the codec's own check stops at the first); undeclared fields were already reported by
 * the conversion, and paths it reported (or anything under them) are skipped here.
 */
export function schemaRejections(
  type: SchemaVersion['type'],
  model: SchemaNode,
  value: unknown,
  alreadyReported: ReadonlySet<string>,
): Rejection[] {
  // avsc checks much faster without a hook; the hook only runs to explain a value known to be invalid.
  if (type.isValid(value)) return [];
  // Most records are valid: avsc's plain check is fast; the errorHook pass that names every bad path is not.
  if (alreadyReported.size === 0 && type.isValid(value)) return [];
  const rejections: Rejection[] = [];
  type.isValid(value, {
    errorHook: (path: string[], invalid: unknown) => {
      const field = formatPath(path);
      if (isCovered(field, alreadyReported)) return;
      const node = nodeAt(model, path);
      const rule =
        invalid === undefined
          ? 'required field missing'
          : `expected ${node === undefined ? 'a value of the schema' : describeNode(node)}`;
      rejections.push(
        rejection(INTAKE_CODES.schema, {
          field,
          value: invalid,
          rule,
          sensitive: isIdentityNumberField(field, value),
        }),
      );
    },
  });
  return rejections;
}

function isCovered(field: string, reported: ReadonlySet<string>): boolean {
  if (reported.has(field)) return true;
  for (const path of reported) {
    if (field.startsWith(`${path}.`) || field.startsWith(`${path}[`)) return true;
  }
  return false;
}
