import { type Catalogue, isRecordKind, RECORD_KINDS, SEVERITIES } from '@credit/catalogue';
import { changeLogProblems, type Problem } from '@credit/data-file';
import type { ListColour, ListTypeRegistry } from '@credit/list-types';
import type { Severity } from '@credit/schemas';
import type { RuleData, RulesData } from './rule-set.ts';

/** The colour a rule of each type designates onto; department designations are checked per item instead. */
const COLOUR_OF_TYPE: Readonly<Record<string, ListColour>> = {
  'key-field-breach': 'watch',
  'repeated-breaches': 'watch',
  escalation: 'black',
  'derived-warning': 'warning',
  'grade-red': 'red',
};

/** Record kinds a department designation may rest on. */
const DESIGNATION_KINDS = ['list-designation', 'dishonest-judgment-debtor'];

/**
 * Whether a record of `severity` may put a subject on a list of `colour`: dishonesty onto black (serious only)
 * or watch lists, positive records onto red lists; nothing onto the derived warning list.
 */
export function colourFitsSeverity(colour: ListColour, severity: Severity): boolean {
  switch (colour) {
    case 'black':
      return severity === 'SERIOUS_DISHONESTY';
    case 'watch':
      return severity === 'SERIOUS_DISHONESTY' || severity === 'GENERAL_DISHONESTY';
    case 'red':
      return severity === 'POSITIVE';
    default:
      return false;
  }
}

export interface CrossCheckSources {
  registry: ListTypeRegistry;
  catalogue: Catalogue;
}

/**
 * What the JSON Schema cannot say: the change log, unique ids and codes, and every reference into the list-type
 * registry, the catalogue and @credit/schemas.
 */
export function crossCheck(data: RulesData, sources: CrossCheckSources): Problem[] {
  return [
    ...changeLogProblems(data.changes, data.version, "the rules'"),
    ...keyFieldProblems(data, sources.catalogue),
    ...data.rules.flatMap((_, index) => ruleProblems(data, index, sources)),
    ...redEligibilityCount(data),
  ];
}

/** The catalogue items of a key field: its items plus every item of its departments. */
export function resolveKeyField(field: RulesData['keyFields'][number], catalogue: Catalogue): string[] {
  const codes = new Set(field.items ?? []);
  for (const department of field.departments ?? []) {
    for (const item of catalogue.items) if (item.department === department) codes.add(item.code);
  }
  return [...codes].sort();
}

function keyFieldProblems(data: RulesData, catalogue: Catalogue): Problem[] {
  const problems: Problem[] = [];
  const owner = new Map<string, string>();
  data.keyFields.forEach((field, index) => {
    const at = (...path: (string | number)[]) => ['keyFields', index, ...path];
    const first = data.keyFields.findIndex((other) => other.code === field.code);
    if (first !== index) {
      problems.push({
        path: at('code'),
        message: `key field code ${field.code} is used twice (first at keyFields[${first}])`,
      });
    }
    if (field.items === undefined && field.departments === undefined) {
      problems.push({
        path: at(),
        message: `key field ${field.code} names neither items nor departments`,
      });
    }
    (field.items ?? []).forEach((code, position) => {
      if (!catalogue.item(code)) {
        problems.push({
          path: at('items', position),
          message: `catalogue item ${code} of key field ${field.code} is not in the catalogue ${catalogue.version}`,
        });
      }
    });
    (field.departments ?? []).forEach((code, position) => {
      if (!catalogue.department(code)) {
        problems.push({
          path: at('departments', position),
          message: `department ${code} of key field ${field.code} is not in the catalogue ${catalogue.version}`,
        });
      } else if (!catalogue.items.some((item) => item.department === code)) {
        problems.push({
          path: at('departments', position),
          message: `department ${code} of key field ${field.code} has no item in the catalogue ${catalogue.version}`,
        });
      }
    });
    for (const code of resolveKeyField(field, catalogue)) {
      const other = owner.get(code);
      if (other !== undefined && other !== field.code) {
        problems.push({
          path: at(),
          message: `catalogue item ${code} falls into key fields ${other} and ${field.code}; a record belongs to one field at most`,
        });
      } else owner.set(code, field.code);
    }
  });
  return problems;
}

function ruleProblems(data: RulesData, index: number, { registry, catalogue }: CrossCheckSources): Problem[] {
  const rule = data.rules[index]!;
  const at = (...path: (string | number)[]) => ['rules', index, ...path];
  const problems: Problem[] = [];

  const first = data.rules.findIndex((other) => other.id === rule.id);
  if (first !== index) {
    problems.push({ path: at('id'), message: `rule id ${rule.id} is used twice (first at rules[${first}])` });
  }

  strings(rule, 'kinds').forEach((kind, position) => {
    if (!isRecordKind(kind)) {
      problems.push({
        path: at('kinds', position),
        message: `${kind} is not a record kind of @credit/schemas (${RECORD_KINDS.join(', ')})`,
      });
    }
  });
  const severities =
    rule.type === 'red-eligibility' ? strings(rule, 'severities') : strings(rule, 'severity');
  severities.forEach((severity, position) => {
    if (!(SEVERITIES as readonly string[]).includes(severity)) {
      problems.push({
        path: rule.type === 'red-eligibility' ? at('severities', position) : at('severity'),
        message: `${severity} is not a severity of @credit/schemas (${SEVERITIES.join(', ')})`,
      });
    }
  });

  const colour = COLOUR_OF_TYPE[rule.type];
  if (colour !== undefined) {
    const code = String(rule.listType);
    const type = registry.get(code);
    if (!type) {
      problems.push({
        path: at('listType'),
        message: `list type ${code} of rule ${rule.id} is not in the list-type registry ${registry.version}`,
      });
    } else {
      if (type.colour !== colour) {
        problems.push({
          path: at('listType'),
          message: `rule ${rule.id} of type ${rule.type} designates onto ${colour} lists, but ${code} is a ${type.colour} list`,
        });
      }
      if (rule.type === 'derived-warning' && !type.derivedFrom) {
        problems.push({
          path: at('listType'),
          message: `list type ${code} has no derivedFrom, so rule ${rule.id} cannot derive it`,
        });
      }
      const department = String(rule.designatingDepartment);
      if (!catalogue.department(department)) {
        problems.push({
          path: at('designatingDepartment'),
          message: `department ${department} of rule ${rule.id} is not in the catalogue ${catalogue.version}`,
        });
      } else if (!type.designatingDepartments.includes(department)) {
        problems.push({
          path: at('designatingDepartment'),
          message: `department ${department} may not designate onto ${code} (its designatingDepartments: ${type.designatingDepartments.join(', ')})`,
        });
      }
    }
  }

  if (rule.type === 'grade-red') {
    strings(rule, 'items').forEach((code, position) => {
      const item = catalogue.item(code);
      if (!item) {
        problems.push({
          path: at('items', position),
          message: `catalogue item ${code} of rule ${rule.id} is not in the catalogue ${catalogue.version}`,
        });
      } else if (item.kind !== 'credit-grade') {
        problems.push({
          path: at('items', position),
          message: `catalogue item ${code} of rule ${rule.id} is of kind ${item.kind}, not credit-grade`,
        });
      }
    });
  }

  if (rule.type === 'department-designation') {
    problems.push(...mappingProblems(rule, at, { registry, catalogue }));
  }
  return problems;
}

function mappingProblems(
  rule: RuleData,
  at: (...path: (string | number)[]) => (string | number)[],
  { registry, catalogue }: CrossCheckSources,
): Problem[] {
  const problems: Problem[] = [];
  const kinds = strings(rule, 'kinds');
  const mapping = (rule.mapping ?? {}) as Record<string, string>;
  for (const [code, listTypeCode] of Object.entries(mapping)) {
    const item = catalogue.item(code);
    if (!item) {
      problems.push({
        path: at('mapping', code),
        message: `catalogue item ${code} of rule ${rule.id} is not in the catalogue ${catalogue.version}`,
      });
      continue;
    }
    if (!kinds.includes(item.kind)) {
      problems.push({
        path: at('mapping', code),
        message: `catalogue item ${code} is of kind ${item.kind}, not one of the rule's kinds (${kinds.join(', ')})`,
      });
    }
    const type = registry.get(listTypeCode);
    if (!type) {
      problems.push({
        path: at('mapping', code),
        message: `list type ${listTypeCode} for ${code} is not in the list-type registry ${registry.version}`,
      });
    } else if (!item.severities.some((severity) => colourFitsSeverity(type.colour, severity))) {
      problems.push({
        path: at('mapping', code),
        message: `${code} (severities ${item.severities.join(', ')}) cannot put a subject on ${listTypeCode}, a ${type.colour} list`,
      });
    } else {
      if (!type.designatingDepartments.includes(item.department)) {
        problems.push({
          path: at('mapping', code),
          message: `${item.department} (item ${code}) may not designate onto ${listTypeCode}: its designating departments are ${type.designatingDepartments.join(', ')}`,
        });
      }
      if (!type.evidenceKinds.includes(item.kind)) {
        problems.push({
          path: at('mapping', code),
          message: `${listTypeCode} does not take ${item.kind} records (item ${code}) as evidence`,
        });
      }
    }
  }
  const missing = catalogue.items
    .filter((item) => DESIGNATION_KINDS.includes(item.kind) && kinds.includes(item.kind))
    .filter((item) => mapping[item.code] === undefined)
    .map((item) => item.code);
  if (missing.length > 0) {
    problems.push({
      path: at('mapping'),
      message: `the mapping of rule ${rule.id} leaves out designation items of the catalogue ${catalogue.version}: ${missing.join(', ')}`,
    });
  }
  return problems;
}

function redEligibilityCount(data: RulesData): Problem[] {
  const count = data.rules.filter((rule) => rule.type === 'red-eligibility').length;
  return count === 1
    ? []
    : [{ path: ['rules'], message: `there must be exactly one red-eligibility rule, found ${count}` }];
}

/** A string or string-array parameter as an array (empty when absent). */
function strings(rule: RuleData, key: string): string[] {
  const value = rule[key];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.map(String) : [];
}
