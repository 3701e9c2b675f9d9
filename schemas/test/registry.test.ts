import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { toAvroType } from '../src/avro-type.ts';
import { InvalidDefinition, UnknownKind, UnknownVersion } from '../src/errors.ts';
import { AVRO_DIR, getSchemaVersion, listSchemas, loadRegistry } from '../src/registry.ts';
import type { JsonValue } from '../src/schema-json.ts';

const KINDS = [
  'administrative-licence',
  'administrative-penalty',
  'credit-commitment',
  'credit-grade',
  'dishonest-judgment-debtor',
  'honour',
  'list-designation',
];

const registry = loadRegistry();

/** A registry folder in a temporary directory: { 'kind/v1.avsc': schema, 'common/X.avsc': schema }. */
function scratchRegistry(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'schemas-'));
  for (const [file, schema] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), JSON.stringify(schema));
  }
  return dir;
}

function countOccurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe('loadRegistry', () => {
  it('loads every kind of the repository with its versions, names and fingerprints', () => {
    const summaries = listSchemas(registry);
    expect(summaries.map((summary) => summary.kind)).toEqual(KINDS);
    for (const summary of summaries) {
      expect(summary.name).toMatch(/^credit\.records\.[A-Z]\w+$/);
      expect(summary.currentVersion).toBe(summary.versions.length);
      for (const { fingerprint } of summary.versions) expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(getSchemaVersion(registry, 'administrative-penalty').name).toBe(
      'credit.records.AdministrativePenalty',
    );
  });

  it('inlines each common type once, at its first use, and refers to it by name afterwards', () => {
    const { schema } = getSchemaVersion(registry, 'administrative-penalty', 1);
    const text = JSON.stringify(schema);
    expect(countOccurrences(text, '"name":"Envelope"')).toBe(1);
    expect(countOccurrences(text, '"name":"IdDocumentType"')).toBe(1);
    // Subject.codeType defines it, LegalRepresentative.idType refers to it.
    expect(text).toContain('"type":["null","credit.common.IdDocumentType"]');
    expect(text).not.toContain('"type":"credit.common.Envelope"');
  });

  it('produces self-contained schemas that any Avro library can parse on their own', () => {
    for (const kind of KINDS) {
      const version = getSchemaVersion(registry, kind);
      const standalone = JSON.parse(JSON.stringify(version.schema)) as JsonValue;
      expect(toAvroType(standalone).name).toBe(version.name);
      expect(avro.Type.forSchema(standalone as Parameters<typeof avro.Type.forSchema>[0]).name).toBe(
        version.name,
      );
    }
  });

  it('says which kinds and versions exist when asked for others', () => {
    expect(() => getSchemaVersion(registry, 'tax-evasion')).toThrow(
      expect.objectContaining({ code: UnknownKind.code }),
    );
    expect(() => getSchemaVersion(registry, 'honour', 7)).toThrow(
      expect.objectContaining({
        code: UnknownVersion.code,
        message: 'honour has no version 7; known versions: v1, v2',
      }),
    );
  });

  it('lets an old version pin its own copy of a common type', () => {
    const operation = {
      type: 'enum',
      name: 'credit.common.Operation',
      doc: 'Pinned copy.',
      symbols: ['UPSERT'],
    };
    const dir = scratchRegistry({
      'notice/v1.avsc': {
        type: 'record',
        name: 'credit.records.Notice',
        fields: [{ name: 'operation', type: operation, doc: 'Op.' }],
      },
    });
    const pinned = loadRegistry(dir, path.join(AVRO_DIR, 'common'));
    expect(getSchemaVersion(pinned, 'notice').canonicalForm).toContain('"symbols":["UPSERT"]');
  });

  it.each([
    [
      'an unknown type name',
      {
        'notice/v1.avsc': { type: 'record', name: 'N', fields: [{ name: 'x', type: 'credit.common.Nope' }] },
      },
      /notice\/v1\.avsc: unknown type name credit\.common\.Nope/,
    ],
    [
      'a misnamed version file',
      { 'notice/version1.avsc': { type: 'record', name: 'N', fields: [] } },
      /version1\.avsc: version files are named v1\.avsc/,
    ],
    ['a top-level type that is not a record', { 'notice/v1.avsc': 'string' }, /must be a named record/],
    [
      'an ambiguous union',
      { 'notice/v1.avsc': { type: 'record', name: 'N', fields: [{ name: 'x', type: ['int', 'long'] }] } },
      /ambiguous/,
    ],
    [
      'a common file named after another type',
      { 'common/Other.avsc': { type: 'enum', name: 'credit.common.Op', symbols: ['A'] } },
      /must be named Op\.avsc/,
    ],
  ])('rejects %s, naming the file', (_, files, message) => {
    expect(() => loadRegistry(scratchRegistry(files))).toThrow(
      expect.objectContaining({ code: InvalidDefinition.code, message: expect.stringMatching(message) }),
    );
  });
});
