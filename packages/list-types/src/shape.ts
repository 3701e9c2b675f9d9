import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { LIST_TYPES_SCHEMA_FILE } from './paths.ts';
import type { ListTypesData, Problem } from './types.ts';

let validator: ValidateFunction<ListTypesData> | undefined;

function compiled(): ValidateFunction<ListTypesData> {
  if (!validator) {
    const schema = JSON.parse(readFileSync(LIST_TYPES_SCHEMA_FILE, 'utf8')) as object;
    validator = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile<ListTypesData>(
      schema,
    );
  }
  return validator;
}

/** Checks the parsed file against data/list-types.schema.json; each problem names the path and the rule broken. */
export function checkShape(value: unknown): { data: ListTypesData; problems: [] } | { problems: Problem[] } {
  const validate = compiled();
  if (validate(value)) return { data: value, problems: [] };
  return {
    problems: (validate.errors ?? []).map((error) => ({
      path: pointerToPath(error.instancePath),
      message: `${error.message ?? 'is invalid'} (rule ${error.keyword}${ruleDetail(error)})`,
    })),
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
