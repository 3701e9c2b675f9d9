import { identityNumberCandidates, validateResidentId } from '@credit/identifiers';
import { INTAKE_CODES } from '../codes.ts';
import { valueAt } from '../plain.ts';
import { type Rejection, rejection } from '../rejection.ts';
import type { Leaf, SchemaNode } from '../schema-model.ts';

/** The two fields where an identity number belongs; the sealing protects them on their way to the platform. */
const IDENTITY_FIELDS = new Set(['envelope.subject.code', 'envelope.subject.legalRepresentative.idNumber']);

/**
 * The fields of a kind's wire form that hold free text: strings and arrays of strings, outside the identity
 * fields (the sealed block is no wire field). Enums, dates and decimals are strings too, but their schemas leave
 * no room for 18 digits in a row. Throws for a shape whose strings the check would not read (a map, a union of
 * several types, an array of records or arrays): a schema that adds one must extend the check first.
 */
export function freeTextLeaves(leaves: readonly Leaf[]): Leaf[] {
  return leaves.filter((leaf) => {
    const { node } = leaf;
    if (!isFlat(node) && !(node.type === 'array' && isFlat(node.items))) {
      throw new Error(`the identity-number-in-text check does not read into ${leaf.path} (${node.type})`);
    }
    const text = node.type === 'array' ? node.items : node;
    return isString(text) && !IDENTITY_FIELDS.has(leaf.path);
  });
}

function isFlat(node: SchemaNode): boolean {
  return node.type !== 'record' && node.type !== 'array' && node.type !== 'map' && node.type !== 'union';
}

function isString(node: SchemaNode): boolean {
  return node.type === 'primitive' && node.name === 'string';
}

/**
 * Free text must not quote a resident identity number (a violation's facts naming the person, a record id built
 * from it): such text is published, put on topics in clear and used as the message key. Refused rather than
 * masked: the department answers for what it reports (谁提供谁负责), and the platform does not rewrite it. Only
 * numbers that are valid resident identity numbers count, so an 18-digit account or case number is not refused.
 * `texts`: the kind's freeTextLeaves.
 */
export function identityNumberInTextRejections(record: unknown, texts: readonly Leaf[]): Rejection[] {
  const rejections: Rejection[] = [];
  const check = (path: string, text: unknown) => {
    if (typeof text === 'string' && quotesIdentityNumber(text)) rejections.push(quoted(path, text));
  };
  for (const { path } of texts) {
    const value = valueAt(record, path);
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) check(`${path}[${index}]`, item);
    } else check(path, value);
  }
  return rejections;
}

function quotesIdentityNumber(text: string): boolean {
  return identityNumberCandidates(text).some((candidate) => validateResidentId(candidate).valid);
}

function quoted(path: string, text: string): Rejection {
  return rejection(INTAKE_CODES.identityNumberInText, {
    field: path,
    value: text,
    sensitive: true,
    rule: 'NO_IDENTITY_NUMBER_IN_TEXT',
    explanation:
      'a resident identity number may appear only in envelope.subject.code or a legal representative’s idNumber, where it is sealed for the platform',
  });
}
