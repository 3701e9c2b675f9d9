import { chinaToday } from '@credit/calendar';
import type { Catalogue, Department } from '@credit/catalogue';
import type { AdministrativePenalty, RecordKind, RecordKinds } from '@credit/schemas';
import { amountRejections, blankRejections, fineRejections } from './checks/content.ts';
import { dateRejections } from './checks/dates.ts';
import { envelopeRejections } from './checks/envelope.ts';
import { freeTextLeaves, identityNumberInTextRejections } from './checks/identity-in-text.ts';
import { authorityCodeRejections, subjectRejections } from './checks/subject.ts';
import { type Contracts, contracts } from './contracts.ts';
import type { Rejection } from './rejection.ts';
import { type Leaf, leavesOf, type RecordNode } from './schema-model.ts';

export interface ValidationContext {
  /** The department the record came from (authenticated key, SDK configuration or --department). */
  department: Department;
  catalogue: Catalogue;
  /** "Today" for future dates and birth dates, taken in China (UTC+8). */
  now: Date;
  contracts?: Contracts;
}

/**
 * The business rules a schema cannot express, all of them at once: the department reports as itself and
 * under an item the catalogue grants, identifiers are valid, dates are plausible and in order, amounts are
 * not negative, a REVOKE says why, the record id is usable. The value must already fit the schema.
 */
export function validateRecord<K extends RecordKind>(
  kind: K,
  value: RecordKinds[K],
  ctx: ValidationContext,
): Rejection[] {
  const fields = fieldsOf((ctx.contracts ?? contracts()).model(kind));
  const today = chinaToday(ctx.now);
  const record = value as unknown as Record<string, unknown>;
  const rejections = [
    ...envelopeRejections(kind, value.envelope, ctx.department, ctx.catalogue),
    ...subjectRejections(value.envelope.subject, today),
    ...authorityCodeRejections(record, fields.authorityCodes),
    ...dateRejections(kind, record, fields.dates, today),
    ...amountRejections(record, fields.decimals),
    ...blankRejections(record, fields.requiredText),
    ...identityNumberInTextRejections(record, fields.freeText),
  ];
  if (kind === 'administrative-penalty') rejections.push(...fineRejections(value as AdministrativePenalty));
  return rejections;
}

interface KindFields {
  dates: Leaf[];
  decimals: Leaf[];
  requiredText: Leaf[];
  /** Top-level string fields named ...AuthorityCode: the USCC of the authority that decided. */
  authorityCodes: string[];
  /** Strings and arrays of strings where no identity number belongs. */
  freeText: Leaf[];
}

// Checked by their own rules, which say more than "blank".
const OWN_RULES = new Set([
  'envelope.sourceRecordId',
  'envelope.reportingDepartmentCode',
  'envelope.catalogueItemCode',
  'envelope.subject.code',
]);

const fieldsCache = new WeakMap<RecordNode, KindFields>();

function fieldsOf(model: RecordNode): KindFields {
  const cached = fieldsCache.get(model);
  if (cached) return cached;
  const leaves = leavesOf(model);
  const isText = (leaf: Leaf) => leaf.node.type === 'primitive' && leaf.node.name === 'string';
  const authorityCodes = model.fields
    .filter((field) => field.name.endsWith('AuthorityCode') && field.type.type === 'primitive')
    .map((field) => field.name);
  const fields: KindFields = {
    dates: leaves.filter((leaf) => leaf.node.type === 'date'),
    decimals: leaves.filter((leaf) => leaf.node.type === 'decimal'),
    requiredText: leaves.filter(
      (leaf) =>
        isText(leaf) && !leaf.nullable && !OWN_RULES.has(leaf.path) && !authorityCodes.includes(leaf.path),
    ),
    authorityCodes,
    freeText: freeTextLeaves(leaves),
  };
  fieldsCache.set(model, fields);
  return fields;
}
