import type pg from 'pg';
import { InvalidSearch } from './errors.ts';
import type { Presentation } from './presentation.ts';

export interface SearchOptions {
  query: string;
  page: number;
  pageSize: number;
}

interface Hit {
  code: string;
  name: string;
  display_code: string;
  kind: string;
  division_code: string | null;
  matched_name: string;
  tier: number;
  score: number;
}

const MAX_PAGE = 100;

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Name search over every name an organisation was reported under (current and former), so a renamed company is
 * found by its old name too. Relevance: the exact name, then names starting with the query, then names containing
 * it (shorter first: tighter matches), then fuzzy matches (pg_trgm word similarity, which catches a wrong or
 * missing character); ties broken by code, so pages are stable. Natural persons are found by identity number only.
 */
export async function searchByName(pool: pg.Pool, options: SearchOptions, names: Presentation) {
  const query = options.query.normalize('NFKC').trim().replace(/\s+/g, ' ');
  if ([...query].length < 2) throw InvalidSearch('q needs at least 2 characters');
  if ([...query].length > 100) throw InvalidSearch('q is longer than 100 characters');
  if (options.page > MAX_PAGE) throw InvalidSearch(`page goes up to ${MAX_PAGE}; narrow the query instead`);
  const offset = (options.page - 1) * options.pageSize;
  const result = await pool.query<Hit>(
    `select code, name, display_code, kind, division_code, matched_name, tier, score from (
       select distinct on (s.code) s.code, s.name, s.display_code, s.kind, s.division_code, n.name as matched_name,
              case when n.name = $1 then 0 when n.name like $3 escape '\\' then 1
                   when n.name like $2 escape '\\' then 2 else 3 end as tier,
              word_similarity($1, n.name) as score
         from aggregator.subject_names n join aggregator.subjects s on s.code = n.subject_code
        where s.category <> 'NATURAL_PERSON' and (n.name like $2 escape '\\' or $1 <% n.name)
        order by s.code, tier, score desc
     ) hits
     order by tier, case when tier < 3 then length(matched_name) else 0 end, score desc, code
     offset $4 limit $5`,
    [query, likePattern(query), `${likePattern(query).slice(1)}`, offset, options.pageSize + 1],
  );
  const rows = result.rows.slice(0, options.pageSize);
  return {
    query,
    page: options.page,
    pageSize: options.pageSize,
    hasMore: result.rows.length > options.pageSize,
    results: rows.map((row) => ({
      code: row.code,
      name: row.name,
      displayCode: row.display_code,
      kind: row.kind,
      kindName: names.subjectKindName(row.kind),
      divisionCode: row.division_code,
      matchedName: row.matched_name,
      match: (['exact', 'prefix', 'contains', 'similar'] as const)[row.tier] ?? 'similar',
    })),
  };
}
