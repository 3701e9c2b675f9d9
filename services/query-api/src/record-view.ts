import type { Presentation } from './presentation.ts';
import type { ReportRecord } from './report-types.ts';

/** A row of the unified database's `records`, as the query side selects it. */
export interface RecordRow {
  department: string;
  source_record_id: string;
  version: string;
  kind: string;
  catalogue_item_code: string;
  severity: string;
  status: string;
  decision_date: string;
  disclosure_public: boolean;
  disclosure_from: string;
  disclosure_until: string | null;
  payload: { envelope?: unknown } & Record<string, unknown>;
  stored_at: Date;
}

/** Columns for RecordRow, dates as ISO text. */
export const RECORD_COLUMNS = `department, source_record_id, version::text as version, kind, catalogue_item_code, severity,
  status, decision_date::text as decision_date, disclosure_public, disclosure_from::text as disclosure_from,
  disclosure_until::text as disclosure_until, payload, stored_at`;

/**
 * What the public may see of records today (`$today`, a China date): in force (active or corrected — a correction
 * is the record in force), of a publicly disclosed kind, inside its disclosure window (until is exclusive).
 * Repaired, revoked and expired records are left out.
 */
export function publicRecordsWhere(todayParam: string): string {
  return `status in ('active', 'corrected') and disclosure_public
    and disclosure_from <= ${todayParam}::date and (disclosure_until is null or disclosure_until > ${todayParam}::date)`;
}

/** The fields naming the record, per kind, in the order they make its one-line title. */
const TITLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'administrative-licence': ['decisionDocumentNumber', 'certificateName', 'licenceCategory'],
  'administrative-penalty': ['decisionDocumentNumber', 'violationType'],
  'dishonest-judgment-debtor': ['caseNumber', 'dishonestConduct'],
  'credit-grade': ['schemeName', 'levelName', 'ratingPeriod'],
  honour: ['honourName', 'awardDocumentNumber'],
  'credit-commitment': ['commitmentType', 'commitmentMatter'],
  'list-designation': ['listTypeName', 'designationDocumentNumber'],
};

function text(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (Array.isArray(value)) return value.map(text).filter(Boolean).join('、') || undefined;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function disclosureOf(row: RecordRow, today: string): ReportRecord['disclosure'] {
  if (!row.disclosure_public) return 'authorised';
  const open =
    (row.status === 'active' || row.status === 'corrected') &&
    row.disclosure_from <= today &&
    (row.disclosure_until === null || row.disclosure_until > today);
  return open ? 'public' : 'closed';
}

/** A record as people read it: names instead of codes, a title, its own fields labelled (no envelope). */
export function recordView(row: RecordRow, today: string, names: Presentation): ReportRecord {
  const fields = Object.entries(row.payload).filter(([name]) => name !== 'envelope');
  const byName = new Map(fields);
  const title =
    (TITLE_FIELDS[row.kind] ?? [])
      .map((name) => text(byName.get(name)))
      .filter(Boolean)
      .join(' ') || `${names.recordKindName(row.kind)} ${row.source_record_id}`;
  const details = fields.flatMap(([name, value]) => {
    const shown = text(value);
    return shown === undefined ? [] : [{ label: names.fieldLabel(row.kind, name), value: shown }];
  });
  return {
    department: row.department,
    departmentName: names.departmentName(row.department),
    sourceRecordId: row.source_record_id,
    kind: row.kind,
    kindName: names.recordKindName(row.kind),
    severity: row.severity,
    status: row.status,
    decisionDate: row.decision_date,
    disclosure: disclosureOf(row, today),
    title,
    details,
  };
}
