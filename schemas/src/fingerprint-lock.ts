import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CompatibilityProblem } from './problem.ts';
import type { SchemaRegistry } from './registry.ts';

/**
 * avro/fingerprints.json pins the fingerprint of every published version. Versions are composed from the
 * common types at load time, so editing a common type would silently change the fingerprint of every old
 * version and make its messages undecodable; the pin turns that into a check failure.
 */
export const LOCK_FILE_NAME = 'fingerprints.json';

const COMMENT =
  'Fingerprint of every published schema version, written by `pnpm schemas:types` for new versions only. ' +
  'A published version never changes: to evolve a kind add a version; to evolve a common type, first pin ' +
  'old versions by copying the old definition into their version files.';

interface LockFile {
  $comment: string;
  fingerprints: Record<string, string>;
}

export function lockKey(kind: string, version: number): string {
  return `${kind}/v${version}`;
}

/** The pinned fingerprints by `kind/vN`, or undefined when the registry folder has no lock file. */
export function readLock(registry: SchemaRegistry): ReadonlyMap<string, string> | undefined {
  const file = path.join(registry.dir, LOCK_FILE_NAME);
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockFile>;
  return new Map(Object.entries(parsed.fingerprints ?? {}));
}

/** Pins versions not yet in the lock file (never re-pins one); returns their `kind/vN` keys. */
export function recordNewFingerprints(registry: SchemaRegistry): string[] {
  const fingerprints = Object.fromEntries(readLock(registry) ?? []);
  const added: string[] = [];
  for (const { versions } of registry.kinds.values()) {
    for (const { kind, version, fingerprint } of versions) {
      const key = lockKey(kind, version);
      if (fingerprints[key] === undefined) {
        fingerprints[key] = fingerprint;
        added.push(key);
      }
    }
  }
  if (added.length > 0) {
    const sorted = Object.fromEntries(Object.entries(fingerprints).sort(([a], [b]) => compareKeys(a, b)));
    const lock: LockFile = { $comment: COMMENT, fingerprints: sorted };
    writeFileSync(path.join(registry.dir, LOCK_FILE_NAME), `${JSON.stringify(lock, null, 2)}\n`);
  }
  return added;
}

/** kind/v2 before kind/v10. */
function compareKeys(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Published versions keep their fingerprint, new versions get pinned, no pinned version disappears. */
export function lockProblems(registry: SchemaRegistry): CompatibilityProblem[] {
  const pinned = readLock(registry);
  if (pinned === undefined) return [];
  const problems: CompatibilityProblem[] = [];
  const present = new Set<string>();
  for (const { kind, versions, current } of registry.kinds.values()) {
    for (const { version, fingerprint } of versions) {
      const key = lockKey(kind, version);
      present.add(key);
      const expected = pinned.get(key);
      if (expected === undefined) {
        problems.push({
          kind,
          rule: 'fingerprint-unpinned',
          message: `${kind} v${version} is not pinned in ${LOCK_FILE_NAME}; run pnpm schemas:types`,
        });
      } else if (expected !== fingerprint) {
        problems.push({
          kind,
          rule: 'fingerprint-changed',
          message: `${kind} v${version} changed after publication (fingerprint ${fingerprint}, pinned ${expected}): revert it and add v${current.version + 1}; if a common type changed, copy its old definition into v${version}.avsc`,
        });
      }
    }
  }
  for (const key of pinned.keys()) {
    if (present.has(key)) continue;
    problems.push({
      kind: key.slice(0, key.lastIndexOf('/')),
      rule: 'version-removed',
      message: `${key} is pinned in ${LOCK_FILE_NAME} but its file is gone; published versions stay forever`,
    });
  }
  return problems;
}
