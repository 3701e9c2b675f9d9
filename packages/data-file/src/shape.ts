import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Problem } from './problems.ts';

export type ShapeCheck<T> = (value: unknown) => { data: T; problems: [] } | { problems: Problem[] };

/**
 * A check of parsed data against a JSON Schema file (draft 2020-12, compiled on first use); each problem names
 * the path and the rule broken.
 */
export function shapeCheck<T>(schemaFile: string): ShapeCheck<T> {
  let validator: ValidateFunction<T> | undefined;
  return (value) => {
    if (!validator) {
      const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as object;
      validator = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile<T>(schema);
    }
    const validate = validator;
    if (validate(value)) return { data: value, problems: [] };
    return {
      problems: (validate.errors ?? []).map((error) => ({
        path: pointerToPath(error.instancePath),
        message: `${error.message ?? 'is invalid'} (rule ${error.keyword}${ruleDetail(error)})`,
      })),
    };
  };
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function ruleDetail(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `: ${String(params.additionalProperty)}`;
  if (error.keyword === 'enum') return `: ${(params.allowedValues as unknown[]).join(', ')}`;
  return '';
}
