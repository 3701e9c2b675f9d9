import type { RecordKind } from '@credit/schemas';
import type { ListColour, ListType, ListTypeChange, ListTypeRegistry } from './types.ts';

/** The registry over list types that have passed the cross-checks. */
export function registryOf(version: string, changes: ListTypeChange[], types: ListType[]): ListTypeRegistry {
  const byCode = new Map(types.map((type) => [type.code, type]));
  return {
    version,
    changes: Object.freeze(changes),
    types: Object.freeze(types),
    get: (code: string) => byCode.get(code),
    byColour: (colour: ListColour) => types.filter((type) => type.colour === colour),
    forEvidenceKind: (kind: RecordKind) => types.filter((type) => type.evidenceKinds.includes(kind)),
  };
}
