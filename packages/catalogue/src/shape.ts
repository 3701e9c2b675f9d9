import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { CatalogueData, Problem } from './data.ts';
import { CATALOGUE_SCHEMA_FILE } from './paths.ts';

let validator: ValidateFunction<CatalogueData> | undefined;

function compiled(): ValidateFunction<CatalogueData> {
  if (!validator) {
    const schema = JSON.parse(readFileSync(CATALOGUE_SCHEMA_FILE, 'utf8')) as object;
    validator = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile<CatalogueData>(
      schema,
    );
  }
  return validator;
}

/** Checks the parsed file against data/catalogue.schema.json; each problem names the path and the rule broken. */
export function checkShape(value: unknown): { data: CatalogueData; problems: [] } | { problems: Problem[] } {
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
