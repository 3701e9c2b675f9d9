import { explainIncompatibility } from './explain-incompatibility.ts';
import { lockProblems } from './fingerprint-lock.ts';
import type { CompatibilityProblem } from './problem.ts';
import type { KindSchemas, SchemaRegistry } from './registry.ts';
import {
  documentationProblems,
  duplicateFingerprintProblems,
  layoutProblems,
  recordShapeProblems,
} from './schema-rules.ts';
import { canRead } from './type-views.ts';

export type { CompatibilityProblem, ProblemRule } from './problem.ts';

/**
 * Everything `pnpm schemas:check` enforces, for the registry given (the repository's, or a test fixture's):
 * full transitive compatibility (every version of a kind reads every other, both ways), v1..vN with no
 * gaps, a stable top-level name, the envelope first, docs everywhere, known logical types, distinct and
 * pinned fingerprints. An empty list means all is well.
 */
export function checkCompatibility(registry: SchemaRegistry): CompatibilityProblem[] {
  const problems: CompatibilityProblem[] = [];
  for (const kind of registry.kinds.values()) {
    problems.push(...layoutProblems(kind), ...recordShapeProblems(kind), ...resolutionProblems(kind));
  }
  problems.push(
    ...documentationProblems(registry),
    ...duplicateFingerprintProblems(registry),
    ...lockProblems(registry),
  );
  return problems;
}

function resolutionProblems({ kind, versions }: KindSchemas): CompatibilityProblem[] {
  const problems: CompatibilityProblem[] = [];
  for (const reader of versions) {
    for (const writer of versions) {
      if (reader === writer || canRead(reader.type, writer.type)) continue;
      const direction = `v${reader.version} (reader) cannot read data written with v${writer.version} (writer)`;
      const reasons = explainIncompatibility(reader.type, writer.type, reader.version > writer.version);
      if (reasons.length === 0) reasons.push({ field: '', reason: resolverError(reader, writer) });
      for (const { field, reason } of reasons) {
        problems.push({
          kind,
          rule: 'incompatible',
          message: `${kind}: ${direction}: ${reason}`,
          ...(field === '' ? {} : { field }),
        });
      }
    }
  }
  return problems;
}

function resolverError(reader: KindSchemas['current'], writer: KindSchemas['current']): string {
  try {
    reader.type.createResolver(writer.type);
    return 'unknown reason';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
