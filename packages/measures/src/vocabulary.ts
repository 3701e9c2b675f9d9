/** Kinds and classes of measures. Subject categories are @credit/list-types' SUBJECT_CATEGORIES. */
/** incentive 守信激励 (red lists); sanction 失信惩戒 (black, watch and warning lists). */
export const MEASURE_KINDS = ['incentive', 'sanction'] as const;

/** mandatory 强制性措施 (依法必须联合执行); recommended 推荐性措施 (可根据实际情况实施), domain.md §4.3. */
export const MEASURE_CLASSES = ['mandatory', 'recommended'] as const;
