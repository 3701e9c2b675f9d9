import { subjectKey } from '@credit/identifiers';
import type pg from 'pg';
import { InvalidSubjectCode, SubjectNotFound } from './errors.ts';
import type { Presentation } from './presentation.ts';
import type { ReportSubject } from './report-types.ts';

const CODE_SHAPE = /^[0-9A-Za-z_-]{6,64}$/;

export type Lookup =
  | { found: 'subject'; code: string }
  | { found: 'legacy'; code: string; legacyCode: string };

/**
 * The subject a code names. A resident identity number is looked up by its token (the aggregator's HMAC), so the
 * number is neither stored nor logged; an old code (注册号, 组织机构代码, ...) names its subject through the
 * legacy-code map, and the caller redirects to the canonical code.
 */
export async function lookUpSubject(pool: pg.Pool, input: string, tokenKey: Buffer): Promise<Lookup> {
  if (!CODE_SHAPE.test(input.trim())) {
    throw InvalidSubjectCode(input.slice(0, 64), 'expected 6 to 64 letters, digits, hyphens or underscores');
  }
  const code = subjectKey(input, tokenKey);
  const found = await pool.query<{ code: string; legacy: boolean }>(
    `select code, false as legacy from aggregator.subjects where code = $1
     union all
     select subject_code, true from aggregator.legacy_codes where legacy_code = $1
     limit 1`,
    [code],
  );
  const row = found.rows[0];
  // The answer never quotes an identity number: a person's lookup is named by its token.
  if (row === undefined) throw SubjectNotFound(code);
  return row.legacy ? { found: 'legacy', code: row.code, legacyCode: code } : { found: 'subject', code };
}

interface SubjectRow {
  code: string;
  category: string;
  kind: string;
  display_code: string;
  division_code: string | null;
  name: string;
  former_names: string[];
  legacy_codes: { code: string; codeType: string }[];
}

/** The subject's basic facts, as anyone may see them (a person's number only masked). */
export async function subjectFacts(
  pool: pg.Pool,
  code: string,
  names: Presentation,
): Promise<ReportSubject | undefined> {
  const result = await pool.query<SubjectRow>(
    `select s.code, s.category, s.kind, s.display_code, s.division_code, s.name,
            array(select n.name from aggregator.subject_names n
                   where n.subject_code = s.code and n.name <> s.name order by n.first_reported_at) as former_names,
            coalesce((select jsonb_agg(jsonb_build_object('code', l.legacy_code, 'codeType', l.code_type)
                                       order by l.legacy_code)
                        from aggregator.legacy_codes l where l.subject_code = s.code), '[]') as legacy_codes
       from aggregator.subjects s where s.code = $1`,
    [code],
  );
  const row = result.rows[0];
  if (row === undefined) return undefined;
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
