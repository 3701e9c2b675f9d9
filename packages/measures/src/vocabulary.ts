import type { SubjectCategory } from '@credit/schemas';

/** incentive 守信激励 (red lists); sanction 失信惩戒 (black, watch and warning lists). */
export const MEASURE_KINDS = ['incentive', 'sanction'] as const;

/** mandatory 强制性措施 (依法必须联合执行); recommended 推荐性措施 (可根据实际情况实施), domain.md §4.3. */
export const MEASURE_CLASSES = ['mandatory', 'recommended'] as const;

/** Every subject category of @credit/schemas: a measure without subjectCategories applies to all of them. */
export const ALL_SUBJECT_CATEGORIES = [
  'LEGAL_ENTITY',
  'NATURAL_PERSON',
  'INDIVIDUAL_BUSINESS',
] as const satisfies readonly SubjectCategory[];

type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
const allCategoriesListed: Missing<SubjectCategory, (typeof ALL_SUBJECT_CATEGORIES)[number]> = true;
void allCategoriesListed;

export function isSubjectCategory(value: string): value is SubjectCategory {
  return (ALL_SUBJECT_CATEGORIES as readonly string[]).includes(value);
}
