import type { RecordKind, SubjectCategory } from '@credit/schemas';
import type { LIST_COLOURS } from './vocabulary.ts';

/** red 红名单, black 黑名单, watch 重点关注名单, warning 信用预警名单. */
export type ListColour = (typeof LIST_COLOURS)[number];

/** How long a designation stands: a number of months from designation, or until the designating body revokes it. */
export type Validity = { months: number } | { untilRevoked: true };

/** public 公开; selective 选择性公开; not-publishable: sent to `notify` (the employer or supervising body) instead. */
export type Publication = { rule: 'public' | 'selective' } | { rule: 'not-publishable'; notify: string };

export interface Repair {
  allowed: boolean;
  /** Earliest point, in months from designation, at which repair may end the designation. */
  minimumMonths?: number;
}

export interface ListTypeChange {
  version: string;
  date: string;
  changes: string[];
}

/** Generic over the kind and category types: plain strings before the cross-checks, the schema types after. */
export interface ListTypeOf<Kind extends string = RecordKind, Category extends string = SubjectCategory> {
  /** Kebab-case, unique, e.g. dishonest-judgment-debtor. */
  code: string;
  /** Chinese name, e.g. 失信被执行人名单. */
  name: string;
  nameEn: string;
  colour: ListColour;
  /** Department codes of the catalogue (@credit/catalogue) that may designate subjects onto this list. */
  designatingDepartments: string[];
  /** The national or approved provincial standard the designation follows. */
  standard: string;
  /** Laws, rules and documents the list rests on. */
  legalBasis: string[];
  /** Record kinds that may serve as evidence for a designation. */
  evidenceKinds: Kind[];
  validity: Validity;
  publication: Publication;
  repair: Repair;
  /** Natural persons must be notified before the designation is final (domain.md §3.4 item 3). */
  priorNoticeForPersons?: boolean;
  /** Black lists: the watch list a subject moves to on exit, and for how long (domain.md §3.4 item 15). */
  afterExit?: { list: string; months: number };
  /** Derived lists: e.g. the warning list is watch lists in `distinctFields` or more different fields. */
  derivedFrom?: { colour: ListColour; distinctFields: number };
  subjectCategories: Category[];
}

export type ListType = ListTypeOf;

/** The data file's content once its shape is checked; kinds and categories are still plain strings. */
export interface ListTypesData {
  version: string;
  changes: ListTypeChange[];
  types: ListTypeOf<string, string>[];
}

export type { Problem } from '@credit/data-file';

export interface ListTypeRegistry {
  version: string;
  changes: readonly ListTypeChange[];
  types: readonly ListType[];
  get(code: string): ListType | undefined;
  byColour(colour: ListColour): ListType[];
  /** List types a record of `kind` may serve as evidence for. */
  forEvidenceKind(kind: RecordKind): ListType[];
}
