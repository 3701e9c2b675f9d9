import { type Catalogue, loadCatalogue } from '@credit/catalogue';
import { loadDataFile, shapeCheck } from '@credit/data-file';
import { type ListTypeRegistry, loadListTypes } from '@credit/list-types';
import { crossCheck, resolveKeyField } from './cross-check.ts';
import { ListRulesInvalid } from './errors.ts';
import { RULES_FILE, RULES_SCHEMA_FILE } from './paths.ts';
import type { KeyField, Rule, RuleSet, RulesData } from './rule-set.ts';

const checkShape = shapeCheck<RulesData>(RULES_SCHEMA_FILE);

export interface LoadRulesOptions {
  /** Default: loadListTypes() (the repository's registry, checked against `catalogue`). */
  registry?: ListTypeRegistry;
  /** Default: loadCatalogue() (the repository's catalogue). */
  catalogue?: Catalogue;
}

/**
 * Reads and checks a rules file (default: services/list-designation/data/rules.yaml): YAML syntax, the JSON
 * Schema, then the cross-checks against the list-type registry, the catalogue and @credit/schemas. Any failure is
 * one LIST_RULES_INVALID error listing every problem with its path, entry and line.
 */
export function loadRules(file: string = RULES_FILE, options: LoadRulesOptions = {}): RuleSet {
  const catalogue = options.catalogue ?? loadCatalogue();
  const { data } = loadDataFile(file, {
    checkShape,
    invalid: ListRulesInvalid,
    describedAs: namedByRuleId,
    crossCheck: (parsed) =>
      crossCheck(parsed, {
        registry: options.registry ?? loadListTypes(undefined, { catalogue }),
        catalogue,
      }),
  });

  const keyFields: KeyField[] = data.keyFields.map((field) =>
    Object.freeze({
      code: field.code,
      name: field.name,
      nameEn: field.nameEn,
      items: Object.freeze([...(field.items ?? [])]),
      departments: Object.freeze([...(field.departments ?? [])]),
      itemCodes: Object.freeze(resolveKeyField(field, catalogue)),
    }),
  );
  // The schema has fixed each rule type's parameters and the cross-checks their kinds and severities.
  const rules = data.rules.map((rule) => deepFreeze(structuredClone(rule)) as unknown as Rule);
  return deepFreeze({
    version: data.version,
    changes: structuredClone(data.changes),
    keyFields,
    rules,
  });
}

/** The data as problem messages name it: a rule by its id (formatProblems names entries by `code`). */
function namedByRuleId(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('rules' in value) || !Array.isArray(value.rules))
    return value;
  return {
    ...value,
    rules: value.rules.map((rule: unknown) =>
      typeof rule === 'object' && rule !== null && 'id' in rule && typeof rule.id === 'string'
        ? { ...rule, code: rule.id }
        : rule,
    ),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
