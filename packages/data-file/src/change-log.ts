import type { Problem } from './problems.ts';

/**
 * The change log of a versioned data file: each version has one entry, and the file's own version has one.
 * `owner` names the file in the message ("the catalogue's version 2026.1").
 */
export function changeLogProblems(
  changes: readonly { version: string }[],
  version: string,
  owner: string,
): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  changes.forEach((change, index) => {
    const first = seen.get(change.version);
    if (first !== undefined) {
      problems.push({
        path: ['changes', index, 'version'],
        message: `version ${change.version} has a second change entry (first at changes[${first}])`,
      });
    } else seen.set(change.version, index);
  });
  if (!seen.has(version)) {
    problems.push({ path: ['changes'], message: `no change entry for ${owner} version ${version}` });
  }
  return problems;
}
