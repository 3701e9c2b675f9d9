import type { JsonObject } from '@credit/schemas';
import { describe, expect, it } from 'vitest';
import { freeTextLeaves, identityNumberInTextRejections } from '../src/checks/identity-in-text.ts';
import { buildModel, leavesOf, type RecordNode } from '../src/schema-model.ts';

const NUMBER = '350102198001011233';

function leavesOfSchema(fields: JsonObject[]) {
  return leavesOf(buildModel({ type: 'record', name: 'Test', fields }) as RecordNode);
}

describe('identity numbers in free text', () => {
  it('reads strings and arrays of strings, naming an array item by its index', () => {
    const texts = freeTextLeaves(
      leavesOfSchema([
        { name: 'notes', type: { type: 'array', items: 'string' } },
        { name: 'facts', type: ['null', 'string'] },
        { name: 'count', type: 'int' },
      ]),
    );
    expect(texts.map((leaf) => leaf.path)).toEqual(['notes', 'facts']);
    const rejections = identityNumberInTextRejections(
      { notes: ['none', `see ${NUMBER}`], facts: NUMBER, count: 1 },
      texts,
    );
    expect(rejections.map((r) => [r.code, r.field])).toEqual([
      ['INTAKE_IDENTITY_NUMBER_IN_TEXT', 'notes[1]'],
      ['INTAKE_IDENTITY_NUMBER_IN_TEXT', 'facts'],
    ]);
  });

  it('refuses a schema whose strings it would not read', () => {
    expect(() =>
      freeTextLeaves(leavesOfSchema([{ name: 'tags', type: { type: 'map', values: 'string' } }])),
    ).toThrow(/does not read into tags/);
  });
});
