import type pg from 'pg';
import { InvalidSearch, SearchTooBroad } from './errors.ts';
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

/**
 * How deep a search pages (page × pageSize): each tier fetches every row up to the page's end, so depth is cost; past
 * the first thousand results a person narrows the query rather than reading on.
 */
export const MAX_SEARCH_DEPTH = 1_000;
/** Seconds a client is told to wait before retrying a search that ran out of time. */
const RETRY_AFTER_SECONDS = 2;

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Name search over every name an organisation was reported under (current and former), so a renamed company is
 * found by its old name too. Four tiers, in this order: the exact name; names starting with the query (in name
 * order); names containing it (shorter first: tighter matches); similar names (pg_trgm word similarity, which catches
 * a wrong or missing character). Each tier is its own index-served query capped at what the page needs; ties fall
 * to the name and the code, so pages are stable. A query of two characters has no trigram: names containing it come
 * from the bigram index, and it has no similar tier. Natural persons are found by identity number only (authorised),
 * never by name.
 *
 * Cost: a common word (科技) still sorts every name containing it, so the pool that runs searches has a short
 * statement_timeout (answered as QUERY_SEARCH_TOO_BROAD) and the route a concurrency limit. Pages are by number, not
 * keyset: a subject is shown once, at its best tier, which only a page that sees every tier up to its end can know;
 * the depth is capped at MAX_SEARCH_DEPTH instead.
 */
export async function searchByName(pool: pg.Pool, options: SearchOptions, names: Presentation) {
  const query = options.query.normalize('NFKC').trim().replace(/\s+/g, ' ');
  const length = [...query].length;
  if (length < 2) throw InvalidSearch('q needs at least 2 characters');
  if (length > 100) throw InvalidSearch('q is longer than 100 characters');
  if (options.page * options.pageSize > MAX_SEARCH_DEPTH) {
    throw SearchTooBroad(
      `page ${options.page} of ${options.pageSize} goes past result ${MAX_SEARCH_DEPTH}, the deepest a search pages`,
    );
  }
  const offset = (options.page - 1) * options.pageSize;
  const cap = offset + options.pageSize + 1;
  // Two characters: the bigram index (aggregator.name_bigrams); three or more: the trigram index serves LIKE.
  const contains =
    length === 2 ? `aggregator.name_bigrams(n.name) @> array[$1::text]` : `n.name like $2 escape '\\'`;
  const result = await pool
    .query<Hit>(
      `with candidates as (
         (select n.subject_code, n.name, 0 as tier from aggregator.subject_names n
           where n.name = $1 limit $5)
         union all
         (select n.subject_code, n.name, 1 from aggregator.subject_names n
           where n.name like $3 escape '\\' and n.name <> $1 order by n.name limit $5)
         union all
         (select n.subject_code, n.name, 2 from aggregator.subject_names n
           where ${contains} and n.name not like $3 escape '\\'
           order by length(n.name), n.name limit $5)
         union all
         (select n.subject_code, n.name, 3 from aggregator.subject_names n
           where $6 and $1 <% n.name and n.name not like $2 escape '\\'
           order by word_similarity($1, n.name) desc, n.name limit $5)
       ), best as (
         select distinct on (c.subject_code) c.subject_code, c.name as matched_name, c.tier,
                word_similarity($1, c.name) as score
           from candidates c order by c.subject_code, c.tier, length(c.name), c.name
       )
       select s.code, s.name, s.display_code, s.kind, s.division_code, b.matched_name, b.tier, b.score
         from best b join aggregator.subjects s on s.code = b.subject_code
        where s.category <> 'NATURAL_PERSON'
        order by b.tier, case when b.tier = 2 then length(b.matched_name) else 0 end,
                 case when b.tier = 3 then -b.score else 0 end, b.matched_name, s.code
        offset $4 limit $7`,
      [
        query,
        likePattern(query),
        likePattern(query).slice(1),
        offset,
        cap,
        length >= 3,
        options.pageSize + 1,
      ],
    )
    .catch((error: unknown) => {
      // statement_timeout (57014): mostly the query's breadth, the caller's to narrow.
      if ((error as { code?: string }).code === '57014') {
        throw SearchTooBroad.with(
          { retryAfterSeconds: RETRY_AFTER_SECONDS },
          error,
          'the query matches too many names to rank in time',
        );
      }
      throw error;
    });
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
