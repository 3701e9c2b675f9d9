import type { RecordKind, SubjectCategory } from '@credit/schemas';

/** Every record kind of @credit/schemas; the check below fails to compile when a kind is added there. */
export const RECORD_KINDS = [
  'administrative-licence',
  'administrative-penalty',
  'dishonest-judgment-debtor',
  'credit-grade',
  'honour',
  'credit-commitment',
  'list-designation',
] as const satisfies readonly RecordKind[];

/** Every subject category of @credit/schemas. */
export const SUBJECT_CATEGORIES = [
  'LEGAL_ENTITY',
  'NATURAL_PERSON',
  'INDIVIDUAL_BUSINESS',
] as const satisfies readonly SubjectCategory[];

export const LIST_COLOURS = ['red', 'black', 'watch', 'warning'] as const;

type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
const allKindsListed: Missing<RecordKind, (typeof RECORD_KINDS)[number]> = true;
const allCategoriesListed: Missing<SubjectCategory, (typeof SUBJECT_CATEGORIES)[number]> = true;
void allKindsListed;
void allCategoriesListed;

export function isRecordKind(value: string): value is RecordKind {
  return (RECORD_KINDS as readonly string[]).includes(value);
}

export function isSubjectCategory(value: string): value is SubjectCategory {
  return (SUBJECT_CATEGORIES as readonly string[]).includes(value);
}
