import type { SubjectCategory } from '@credit/schemas';
import type { MEASURE_CLASSES, MEASURE_KINDS } from './vocabulary.ts';

/** incentive 守信激励 (on red lists); sanction 失信惩戒 (on black, watch and warning lists). */
export type MeasureKind = (typeof MEASURE_KINDS)[number];

/** mandatory 强制性措施: 依法必须联合执行; recommended 推荐性措施: 可根据实际情况实施 (domain.md §4.3). */
export type MeasureClass = (typeof MEASURE_CLASSES)[number];

export interface MeasuresChange {
  version: string;
  date: string;
  changes: string[];
}

/** A kind of matter an approval or supervision system decides (审批/监管事项), where measures are applied. */
export interface MatterType {
  /** Kebab-case, unique, e.g. government-procurement. */
  code: string;
  /** Chinese name, e.g. 政府采购. */
  name: string;
  nameEn: string;
}

/** How long an implementing department has to answer a measure order (platform decisions, domain.md §4.4). */
export interface ResponseDeadlines {
  /** Working days to acknowledge (响应) an order pushed to the department. */
  acknowledgeWorkingDays: number;
  /** Working days to report the measure's implementation (反馈实施成效). */
  feedbackWorkingDays: number;
}

/** Generic over the category type: plain strings before the cross-checks, SubjectCategory after. */
export interface MeasureOf<Category extends string = SubjectCategory> {
  /** Kebab-case, unique, e.g. restrict-government-procurement. */
  code: string;
  /** Chinese name, e.g. 限制参与政府采购活动. */
  name: string;
  nameEn: string;
  kind: MeasureKind;
  class: MeasureClass;
  /** Codes of @credit/list-types list types whose subjects the measure applies to. */
  listTypes: string[];
  /** Department codes of the catalogue (@credit/catalogue) that implement the measure. */
  implementingDepartments: string[];
  /** Codes of the catalogue's matterTypes the measure bears on. */
  matterTypes: string[];
  /** Memoranda, laws and documents the measure rests on (titles, no article numbers). */
  legalBasis: string[];
  /** What the implementing department must do, one sentence in Chinese. */
  action: string;
  /** The measure also binds the organisation's legal representative and main responsible persons. */
  reachesResponsiblePersons?: boolean;
  /** The subject categories it applies to; in the file optional (default all), after loading always given. */
  subjectCategories: Category[];
}

export type Measure = MeasureOf;

/** The data file's content once its shape is checked; categories are still plain strings and may be absent. */
export interface MeasuresData {
  version: string;
  changes: MeasuresChange[];
  matterTypes: MatterType[];
  responseDeadlines: ResponseDeadlines;
  measures: (Omit<MeasureOf<string>, 'subjectCategories'> & { subjectCategories?: string[] })[];
}

export type { Problem } from '@credit/data-file';

export interface MeasuresCatalogue {
  version: string;
  changes: readonly MeasuresChange[];
  matterTypes: readonly MatterType[];
  measures: readonly Measure[];
  responseDeadlines: Readonly<ResponseDeadlines>;
  get(code: string): Measure | undefined;
  matterType(code: string): MatterType | undefined;
  /** The measures on a list type, in file order; empty for an unknown list type. */
  forListType(listTypeCode: string): Measure[];
  /**
   * The measures of any of `listTypeCodes` bearing on `matterType`, each once: sanctions before incentives,
   * mandatory before recommended, then by code. Empty for unknown list types or an unknown matter type (check
   * with matterType(code) first where a typo matters).
   */
  applicable(listTypeCodes: readonly string[], matterType: string): Measure[];
}
