import {
  maskResidentId,
  normaliseCode,
  RESIDENT_ID_TOKEN_PREFIX,
  subjectKey,
  validateResidentId,
  validateUscc,
} from '@credit/identifiers';
import type pg from 'pg';
import { InvalidSubjectCode, PersonLookupAuthorised, SubjectNotFound } from './errors.ts';
import type { Presentation } from './presentation.ts';
import type { ReportSubject } from './report-types.ts';

const CODE_SHAPE = /^[0-9A-Za-z_-]{6,64}$/;
/** Shaped like a resident identity number: never quoted, never stored as it is. */
const RESIDENT_ID_SHAPE = /^\d{17}[\dX]$/;

export type Lookup =
  | { found: 'subject'; code: string }
  | { found: 'legacy'; code: string; legacyCode: string };

export interface LookupOptions {
  /** Whether a resident identity number may name the subject (authorised callers only). */
  residentIds: boolean;
}

/**
 * The key a code names in the unified database: a token for a resident identity number (the aggregator's HMAC, so the
 * number is neither stored nor logged), the normalised code otherwise. Errors never quote the input: it may be a
 * person's number.
 */
export function keyOf(input: string, tokenKey: Buffer, options: LookupOptions): string {
  if (input.trim().startsWith(RESIDENT_ID_TOKEN_PREFIX)) return input.trim();
  const normalised = normaliseCode(input);
  if (!CODE_SHAPE.test(normalised)) {
    throw InvalidSubjectCode('expected 6 to 64 letters, digits, hyphens or underscores');
  }
  // Publicly, a number lookup would let anyone confirm a masked number's missing digits (the birth date) by trial.
  if (validateResidentId(normalised).valid && !options.residentIds) throw PersonLookupAuthorised();
  return subjectKey(normalised, tokenKey);
}

/**
 * The key of a subject the platform holds nothing on, for a check (nothing listed): refused when it is shaped like a
 * resident identity number but is none (a mistyped number must not reach the logs as it is).
 */
export function unknownSubjectKey(input: string, tokenKey: Buffer): string {
  const code = keyOf(input, tokenKey, { residentIds: true });
  if (RESIDENT_ID_SHAPE.test(code) && !validateUscc(code).valid) {
    throw InvalidSubjectCode(
      'it is shaped like a resident identity number, but its check character is wrong',
    );
  }
  return code;
}

/** How a code is named in an answer: a code shaped like a resident identity number only masked. */
export function quotable(code: string): string {
  return RESIDENT_ID_SHAPE.test(code) ? maskResidentId(code) : code;
}

/**
 * The subject a code names: by its own code, or through the legacy-code map for an old code (注册号, 组织机构代码,
 * ...), when the caller redirects to the canonical code.
 */
export async function lookUpSubject(
  pool: pg.Pool,
  input: string,
  tokenKey: Buffer,
  options: LookupOptions,
): Promise<Lookup> {
  const code = keyOf(input, tokenKey, options);
  const found = await pool.query<{ code: string; legacy: boolean }>(
    `select code, false as legacy from aggregator.subjects where code = $1
     union all
     select subject_code, true from aggregator.legacy_codes where legacy_code = $1
     limit 1`,
    [code],
  );
  const row = found.rows[0];
  if (row === undefined) throw SubjectNotFound(quotable(code));
  return row.legacy ? { found: 'legacy', code: row.code, legacyCode: code } : { found: 'subject', code };
}

export interface SubjectRow {
  code: string;
  category: string;
  kind: string;
  display_code: string;
  division_code: string | null;
  name: string;
  former_names: string[];
  legacy_codes: { code: string; codeType: string }[];
}

/** SubjectRow's columns, for `aggregator.subjects s`. */
export const SUBJECT_COLUMNS = `s.code, s.category, s.kind, s.display_code, s.division_code, s.name,
  array(select n.name from aggregator.subject_names n
         where n.subject_code = s.code and n.name <> s.name order by n.first_reported_at) as former_names,
  coalesce((select jsonb_agg(jsonb_build_object('code', l.legacy_code, 'codeType', l.code_type) order by l.legacy_code)
              from aggregator.legacy_codes l where l.subject_code = s.code), '[]') as legacy_codes`;

/** The subject's basic facts, as anyone may see them (a person's number only masked). */
export function subjectView(row: SubjectRow, names: Presentation): ReportSubject {
  const person = row.category === 'NATURAL_PERSON';
  return {
    code: row.code,
    displayCode: row.display_code,
    name: row.name,
    kind: row.kind,
    kindName: names.subjectKindName(row.kind),
    category: row.category,
    divisionCode: row.division_code,
    formerNames: row.former_names,
    // Old codes of a person would be identity documents: never shown.
    legacyCodes: person ? [] : row.legacy_codes,
  };
}

export async function subjectFacts(
  pool: pg.Pool,
  code: string,
  names: Presentation,
): Promise<ReportSubject | undefined> {
  const result = await pool.query<SubjectRow>(
    `select ${SUBJECT_COLUMNS} from aggregator.subjects s where s.code = $1`,
    [code],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : subjectView(row, names);
}
