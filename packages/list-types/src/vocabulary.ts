import type { SubjectCategory } from '@credit/schemas';

/** Every subject category of @credit/schemas. */
export const SUBJECT_CATEGORIES = [
  'LEGAL_ENTITY',
  'NATURAL_PERSON',
  'INDIVIDUAL_BUSINESS',
] as const satisfies readonly SubjectCategory[];

export const LIST_COLOURS = ['red', 'black', 'watch', 'warning'] as const;

type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
const allCategoriesListed: Missing<SubjectCategory, (typeof SUBJECT_CATEGORIES)[number]> = true;
void allCategoriesListed;

export function isSubjectCategory(value: string): value is SubjectCategory {
  return (SUBJECT_CATEGORIES as readonly string[]).includes(value);
}
