import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CompatibilityProblem, checkCompatibility } from '../src/compatibility.ts';
import { LOCK_FILE_NAME, recordNewFingerprints } from '../src/fingerprint-lock.ts';
import { AVRO_DIR, loadRegistry } from '../src/registry.ts';
import { FIXTURES_DIR, loadFixture } from './fixtures.ts';

function summary(problems: readonly CompatibilityProblem[]): string[] {
  return problems.map((problem) => `${problem.rule} ${problem.field ?? '-'}`);
}

describe('checkCompatibility', () => {
  it('passes for the repository’s schemas (pnpm schemas:check)', () => {
    expect(checkCompatibility(loadRegistry())).toEqual([]);
  });

  it('passes for a v2 that adds an optional field with a null default', () => {
    expect(checkCompatibility(loadFixture('compatible'))).toEqual([]);
  });

  it('fails a v2 that adds a field without a default, naming the field and the direction', () => {
    const problems = checkCompatibility(loadFixture('broken/new-field-without-default'));
    expect(problems).toEqual([
      {
        kind: 'credit-notice',
        rule: 'incompatible',
        field: 'channel',
        message:
          "credit-notice: v2 (reader) cannot read data written with v1 (writer): field 'channel' is in the reader but not in the writer, and has no default; give it a default",
      },
    ]);
  });

  it('fails a string → int type change both ways, naming the field', () => {
    const problems = checkCompatibility(loadFixture('broken/type-change'));
    expect(problems.map((problem) => problem.message)).toEqual([
      "credit-notice: v1 (reader) cannot read data written with v2 (writer): field 'caseNumber' changed type from int to string, which Avro does not promote",
      "credit-notice: v2 (reader) cannot read data written with v1 (writer): field 'caseNumber' changed type from string to int, which Avro does not promote",
    ]);
  });

  it('fails an enum that drops a symbol without an enum default', () => {
    const problems = checkCompatibility(loadFixture('broken/enum-symbol-removed'));
    expect(summary(problems)).toEqual(['incompatible noticeStatus']);
    expect(problems[0]?.message).toContain(
      "v2 (reader) cannot read data written with v1 (writer): enum credit.records.NoticeStatus (field 'noticeStatus') lacks symbol(s) WITHDRAWN",
    );
  });

  it('fails a field renamed without an alias, and says how to fix each direction', () => {
    const problems = checkCompatibility(loadFixture('broken/renamed-field'));
    expect(summary(problems)).toEqual(['incompatible noticeTitle', 'incompatible title']);
    expect(problems[1]?.message).toContain(
      `if it is 'noticeTitle' renamed, give it "aliases": ["noticeTitle"]`,
    );
    expect(problems[0]?.message).toContain('older readers cannot follow the rename');
  });

  it('checks layout, names, envelope, docs, logical types and duplicate versions', () => {
    const problems = checkCompatibility(loadFixture('broken/layout'));
    expect(summary(problems)).toEqual([
      'version-gap -',
      'missing-v1 -',
      'name-changed -',
      'incompatible -',
      'incompatible -',
      'envelope-first noticeTitle',
      'missing-doc publishedBy',
      'unsupported-logical-type -',
      'duplicate-fingerprint -',
    ]);
    expect(problems.find((problem) => problem.rule === 'version-gap')?.message).toBe(
      'gappy: versions are not contiguous, v2 missing (have v1, v3); every version file stays forever',
    );
    expect(problems.find((problem) => problem.rule === 'incompatible')?.message).toContain(
      'record credit.records.RenamedNoticeV2 (the top-level record) was renamed to credit.records.RenamedNotice without an alias',
    );
  });
});

describe('fingerprint pins (avro/fingerprints.json)', () => {
  function pinnedCopy(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'schemas-lock-'));
    cpSync(path.join(FIXTURES_DIR, 'compatible'), dir, { recursive: true });
    return dir;
  }
  const common = path.join(AVRO_DIR, 'common');

  it('pins new versions once and never re-pins them', () => {
    const dir = pinnedCopy();
    const registry = loadRegistry(dir, common);
    expect(recordNewFingerprints(registry)).toEqual(['credit-notice/v1', 'credit-notice/v2']);
    expect(recordNewFingerprints(registry)).toEqual([]);
    expect(checkCompatibility(registry)).toEqual([]);
  });

  it('fails when a published version changed, a new one is unpinned, or a pinned one disappeared', () => {
    const dir = pinnedCopy();
    const fingerprints = { 'credit-notice/v1': '0000000000000000', 'credit-notice/v9': '1111111111111111' };
    writeFileSync(path.join(dir, LOCK_FILE_NAME), JSON.stringify({ fingerprints }));
    const problems = checkCompatibility(loadRegistry(dir, common));
    expect(summary(problems)).toEqual([
      'fingerprint-changed -',
      'fingerprint-unpinned -',
      'version-removed -',
    ]);
    expect(problems[0]?.message).toMatch(
      /^credit-notice v1 changed after publication .* revert it and add v3/,
    );
    expect(problems[1]?.message).toBe(
      `credit-notice v2 is not pinned in ${LOCK_FILE_NAME}; run pnpm schemas:types`,
    );
  });
});
