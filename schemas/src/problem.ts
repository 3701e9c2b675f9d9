export type ProblemRule =
  | 'missing-v1'
  | 'version-gap'
  | 'name-changed'
  | 'envelope-first'
  | 'missing-doc'
  | 'unsupported-logical-type'
  | 'duplicate-fingerprint'
  | 'incompatible'
  | 'fingerprint-changed'
  | 'fingerprint-unpinned'
  | 'version-removed';

/** One thing `pnpm schemas:check` fails on. */
export interface CompatibilityProblem {
  readonly kind: string;
  readonly rule: ProblemRule;
  /** Says what is wrong, where, and usually what to do; names the kind, versions and field. */
  readonly message: string;
  /** Dotted path of the field at fault (e.g. envelope.subject.code), when there is one. */
  readonly field?: string;
}
