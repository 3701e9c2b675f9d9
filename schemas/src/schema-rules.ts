import { SUPPORTED_LOGICAL_TYPES } from './logical-types.ts';
import type { CompatibilityProblem } from './problem.ts';
import type { KindSchemas, SchemaRegistry } from './registry.ts';
import { fieldsOf, walkSchema } from './schema-json.ts';
import { isRecord } from './type-views.ts';

const ENVELOPE = 'credit.common.Envelope';

/** Versions start at 1 and have no gaps: v1..vN. */
export function layoutProblems({ kind, versions }: KindSchemas): CompatibilityProblem[] {
  const numbers = versions.map((version) => version.version);
  const problems: CompatibilityProblem[] = [];
  if (!numbers.includes(1)) {
    problems.push({
      kind,
      rule: 'missing-v1',
      message: `${kind}: has no v1.avsc (versions: ${list(numbers)})`,
    });
  }
  const highest = Math.max(...numbers);
  const missing = Array.from({ length: highest - 1 }, (_, index) => index + 2).filter(
    (n) => !numbers.includes(n),
  );
  if (missing.length > 0) {
    problems.push({
      kind,
      rule: 'version-gap',
      message: `${kind}: versions are not contiguous, ${list(missing)} missing (have ${list(numbers)}); every version file stays forever`,
    });
  }
  return problems;
}

/** Every version's top-level record has the first version's name, and starts with the envelope. */
export function recordShapeProblems({ kind, versions }: KindSchemas): CompatibilityProblem[] {
  const problems: CompatibilityProblem[] = [];
  const [first] = versions;
  for (const version of versions) {
    if (first && version.name !== first.name) {
      problems.push({
        kind,
        rule: 'name-changed',
        message: `${kind}: v${version.version}'s top-level record is ${version.name}, v${first.version}'s is ${first.name}; the name must stay the same across versions`,
      });
    }
    const [firstField] = isRecord(version.type) ? version.type.fields : [];
    if (firstField?.name !== 'envelope' || firstField.type.name !== ENVELOPE) {
      problems.push({
        kind,
        rule: 'envelope-first',
        field: firstField?.name,
        message: `${kind} v${version.version}: the first field must be envelope: ${ENVELOPE}, found ${firstField?.name ?? 'no field'}`,
      });
    }
  }
  return problems;
}

/** Every named type and every field carries a doc; only logical types the codec implements are used. */
export function documentationProblems(registry: SchemaRegistry): CompatibilityProblem[] {
  const problems: CompatibilityProblem[] = [];
  const reported = new Set<string>();
  const report = (key: string, problem: CompatibilityProblem): void => {
    if (reported.has(key)) return;
    reported.add(key);
    problems.push(problem);
  };
  for (const { kind, versions } of registry.kinds.values()) {
    for (const { version, schema } of versions) {
      const where = `${kind} v${version}`;
      walkSchema(schema, {
        definition(definition, fullName) {
          if (!hasDoc(definition.doc)) {
            report(fullName, { kind, rule: 'missing-doc', message: `${where}: type ${fullName} has no doc` });
          }
          if (definition.type !== 'record') return;
          for (const field of fieldsOf(definition)) {
            const name = String(field.name);
            if (hasDoc(field.doc)) continue;
            report(`${fullName}.${name}`, {
              kind,
              rule: 'missing-doc',
              field: name,
              message: `${where}: field ${name} of ${fullName} has no doc; write what it is in Chinese and English and where it comes from`,
            });
          }
        },
        node(node) {
          const { logicalType } = node;
          if (typeof logicalType === 'string' && !SUPPORTED_LOGICAL_TYPES.has(logicalType)) {
            report(`${where}:${logicalType}`, {
              kind,
              rule: 'unsupported-logical-type',
              message: `${where}: logicalType ${logicalType} is not implemented by the codec (supported: ${[...SUPPORTED_LOGICAL_TYPES].join(', ')})`,
            });
          }
        },
      });
    }
  }
  return problems;
}

/** Two versions with one fingerprint cannot be told apart on the wire. */
export function duplicateFingerprintProblems(registry: SchemaRegistry): CompatibilityProblem[] {
  const problems: CompatibilityProblem[] = [];
  for (const { kind, versions } of registry.kinds.values()) {
    for (const version of versions) {
      const first = registry.byFingerprint.get(version.fingerprint);
      if (first && first !== version) {
        problems.push({
          kind,
          rule: 'duplicate-fingerprint',
          message: `${kind} v${version.version} has the same fingerprint ${version.fingerprint} as ${first.kind} v${first.version}: a new version must change the schema`,
        });
      }
    }
  }
  return problems;
}

function hasDoc(doc: unknown): boolean {
  return typeof doc === 'string' && doc.trim() !== '';
}

function list(numbers: readonly number[]): string {
  return numbers.map((n) => `v${n}`).join(', ');
}
