import { isCalendarDate } from '@credit/calendar';
import type pg from 'pg';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { InvalidParameter } from './errors.ts';
import type { Presentation } from './presentation.ts';
import type { ReportListEntry } from './report-types.ts';

export interface EntryRow {
  id: string;
  subject_code: string;
  list_type: string;
  colour: ReportListEntry['colour'];
  state: string;
  designating_department: string;
  valid_from: string;
  valid_until: string | null;
  explanation: string;
  exit_reason: string | null;
  subject_category: string;
}

export const ENTRY_COLUMNS = `e.id, e.subject_code, e.list_type, e.colour, e.state, e.designating_department,
  e.valid_from::text as valid_from, e.valid_until::text as valid_until, e.explanation, e.exit_reason, e.subject_category`;

export interface PublicListEntry extends ReportListEntry {
  entryId: string;
}

/**
 * What the public may see of an entry: published and valid today, of a list whose publication rule allows it.
 * Selective lists (重点关注) show organisations only and without the explanation; not-publishable lists never show.
 */
export function publicView(row: EntryRow, names: Presentation): PublicListEntry | undefined {
  const rule = names.listPublication(row.list_type);
  if (rule === 'not-publishable') return undefined;
  if (rule === 'selective' && row.subject_category === 'NATURAL_PERSON') return undefined;
  return { ...entryView(row, names), explanation: rule === 'selective' ? '' : row.explanation };
}

export function entryView(row: EntryRow, names: Presentation): PublicListEntry {
  return {
    entryId: row.id,
    listType: row.list_type,
    listName: names.listName(row.list_type),
    colour: row.colour,
    state: row.state,
    designatingDepartment: row.designating_department,
    departmentName: names.departmentName(row.designating_department),
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    explanation: row.explanation,
  };
}

export const PUBLISHED_TODAY = `e.state = 'published' and e.valid_from <= $2::date and (e.valid_until is null or e.valid_until > $2::date)`;

/** Every entry of the subject, in force or not, for authorised readers (newest first). */
export async function allEntriesOf(pool: pg.Pool, code: string, names: Presentation) {
  const result = await pool.query<EntryRow>(
    `select ${ENTRY_COLUMNS} from lists.entries e where e.subject_code = $1 order by e.created_at desc, e.id`,
    [code],
  );
  return result.rows.map((row) => ({ ...entryView(row, names), exitReason: row.exit_reason }));
}

export interface ListFilter {
  colour?: string;
  listType?: string;
  department?: string;
  /** An administrative division code or its prefix: 2 digits (province), 4 (city) or 6 (county). */
  region?: string;
  cursor?: string;
  limit: number;
}

const COLOURS = ['red', 'black', 'watch', 'warning'];

/** Browsing the published lists: newest designations first, keyset-paged. */
export async function browseLists(pool: pg.Pool, filter: ListFilter, today: string, names: Presentation) {
  if (filter.colour !== undefined && !COLOURS.includes(filter.colour)) {
    throw InvalidParameter('colour', filter.colour, `one of ${COLOURS.join(', ')}`);
  }
  if (filter.region !== undefined && !/^\d{2}(\d{2}){0,2}$/.test(filter.region)) {
    throw InvalidParameter('region', filter.region, 'a division code of 2, 4 or 6 digits');
  }
  const after =
    filter.cursor === undefined
      ? null
      : decodeCursor(
          filter.cursor,
          ([validFrom, id]) =>
            typeof validFrom === 'string' && isCalendarDate(validFrom) && typeof id === 'string',
        );
  const result = await pool.query<
    EntryRow & { name: string; display_code: string; division_code: string | null }
  >(
    `select ${ENTRY_COLUMNS}, s.name, s.display_code, s.division_code
       from lists.entries e join aggregator.subjects s on s.code = e.subject_code
      where ${PUBLISHED_TODAY.replaceAll('$2', '$1')}
        and ($2::text is null or e.colour = $2) and ($3::text is null or e.list_type = $3)
        and ($4::text is null or e.designating_department = $4)
        and ($5::text is null or s.division_code like $5 || '%')
        and ($6::date is null or (e.valid_from, e.id) < ($6::date, $7::text))
        and (e.list_type = any($9::text[]) or (e.list_type = any($10::text[]) and e.subject_category <> 'NATURAL_PERSON'))
      order by e.valid_from desc, e.id desc
      limit $8`,
    [
      today,
      filter.colour ?? null,
      filter.listType ?? null,
      filter.department ?? null,
      filter.region ?? null,
      after?.[0] ?? null,
      after?.[1] ?? null,
      filter.limit + 1,
      names.listTypesPublished('public'),
      names.listTypesPublished('selective'),
    ],
  );
  const rows = result.rows.slice(0, filter.limit);
  const last = rows.at(-1);
  return {
    entries: rows.flatMap((row) => {
      const view = publicView(row, names);
      return view === undefined
        ? []
        : [
            {
              ...view,
              subject: {
                code: row.subject_code,
                name: row.name,
                displayCode: row.display_code,
                divisionCode: row.division_code,
              },
            },
          ];
    }),
    nextCursor: result.rows.length > filter.limit && last ? encodeCursor([last.valid_from, last.id]) : null,
  };
}
