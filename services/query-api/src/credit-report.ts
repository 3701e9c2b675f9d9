import { createHash } from 'node:crypto';
import { canonicalJson, type JsonObject } from '@credit/audit';
import type pg from 'pg';
import { ReportNotFound, SubjectNotFound } from './errors.ts';
import { ENTRY_COLUMNS, type EntryRow, entryView } from './list-entries.ts';
import type { Presentation } from './presentation.ts';
import { RECORD_COLUMNS, type RecordRow, recordView } from './record-view.ts';
import type { CreditReport, ReportContent } from './report-types.ts';
import { subjectFacts } from './subjects.ts';

export interface IssueRequest {
  code: string;
  issuedTo: string;
  purpose: string;
  now: Date;
  today: string;
  /** PUBLIC_BASE_URL: where the verification page is. */
  baseUrl: string;
}

/** The content a report states: in-force records of every disclosure class, and the entries in force today. */
async function reportContent(
  pool: pg.Pool,
  code: string,
  today: string,
  names: Presentation,
): Promise<ReportContent> {
  const subject = await subjectFacts(pool, code, names);
  if (subject === undefined) throw SubjectNotFound(code);
  const [records, entries, totals] = await Promise.all([
    pool.query<RecordRow>(
      `select ${RECORD_COLUMNS} from aggregator.records
        where subject_code = $1 and status in ('active', 'corrected')
        order by decision_date desc, department, source_record_id`,
      [code],
    ),
    pool.query<EntryRow>(
      `select ${ENTRY_COLUMNS} from lists.entries e
        where e.subject_code = $1 and e.state in ('confirmed', 'published', 'suspended')
          and e.valid_from <= $2::date and (e.valid_until is null or e.valid_until > $2::date)
        order by e.colour, e.valid_from desc, e.id`,
      [code, today],
    ),
    pool.query<{ total: number }>(
      'select count(*)::int as total from aggregator.records where subject_code = $1',
      [code],
    ),
  ]);
  const shown = records.rows.map((row) => recordView(row, today, names));
  return {
    subject,
    asOf: today,
    summary: {
      recordsTotal: totals.rows[0]?.total ?? 0,
      inForce: shown.length,
      penalties: shown.filter((r) => r.kind === 'administrative-penalty').length,
      seriousDishonesty: shown.filter((r) => r.severity === 'SERIOUS_DISHONESTY').length,
      positive: shown.filter((r) => r.severity === 'POSITIVE').length,
      listEntriesInForce: entries.rows.length,
    },
    listEntries: entries.rows.map((row) => entryView(row, names)),
    records: shown,
    catalogueVersion: names.catalogueVersion,
    listTypesVersion: names.listTypesVersion,
  };
}

/** SHA-256 over the canonical JSON of the report without its hash and code: what the verification code comes from. */
export function reportHash(report: Omit<CreditReport, 'contentHash' | 'verificationCode'>): string {
  return createHash('sha256')
    .update(canonicalJson(report as unknown as JsonObject))
    .digest('hex');
}

export function verificationCodeOf(contentHash: string): string {
  return (contentHash.slice(0, 16).toUpperCase().match(/.{4}/g) ?? []).join('-');
}

/** Builds the report, numbers it, hashes it and stores it, so its code can be checked later by anyone. */
export async function issueReport(
  pool: pg.Pool,
  request: IssueRequest,
  names: Presentation,
): Promise<CreditReport> {
  const content = await reportContent(pool, request.code, request.today, names);
  const { rows } = await pool.query<{ n: string }>(`select nextval('query.report_numbers')::text as n`);
  const reportNumber = `XYBG-${request.today.replaceAll('-', '')}-${rows[0]!.n.padStart(10, '0')}`;
  const unsigned = {
    reportNumber,
    issuedAt: request.now.toISOString(),
    issuedTo: request.issuedTo,
    purpose: request.purpose,
    verifyUrl: `${request.baseUrl.replace(/\/$/, '')}/#/verify?number=${reportNumber}`,
    content,
  };
  // Through JSON once, so what is hashed is exactly what is stored and served (no undefined, dates as text).
  const normalised = JSON.parse(JSON.stringify(unsigned)) as typeof unsigned;
  const contentHash = reportHash(normalised);
  const report: CreditReport = {
    ...normalised,
    contentHash,
    verificationCode: verificationCodeOf(contentHash),
  };
  await pool.query(
    `insert into query.reports (report_number, subject_code, issued_to, purpose, issued_at, content_hash,
                                verification_code, report)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      reportNumber,
      request.code,
      request.issuedTo,
      request.purpose,
      request.now,
      contentHash,
      report.verificationCode,
      JSON.stringify(report),
    ],
  );
  return report;
}

/** A stored report, as issued; only its issuer may fetch it again. */
export async function storedReport(
  pool: pg.Pool,
  reportNumber: string,
  issuedTo: string,
): Promise<CreditReport> {
  const result = await pool.query<{ report: CreditReport }>(
    'select report from query.reports where report_number = $1 and issued_to = $2',
    [reportNumber, issuedTo],
  );
  const row = result.rows[0];
  if (row === undefined) throw ReportNotFound(reportNumber);
  return row.report;
}

/**
 * The public check of a printed report: the number and the code printed on it must match a report the platform
 * issued. The answer shows what the report really said (subject, date, summary, hash), so a copy whose content was
 * changed is caught by comparison; the stored report's hash is recomputed, so a changed row is caught too.
 */
export async function verifyReport(pool: pg.Pool, reportNumber: string, code: string) {
  const result = await pool.query<{ report: CreditReport; content_hash: string; verification_code: string }>(
    'select report, content_hash, verification_code from query.reports where report_number = $1',
    [reportNumber],
  );
  const row = result.rows[0];
  const given = code
    .trim()
    .toUpperCase()
    .replace(/[^0-9A-F]/g, '');
  if (row === undefined || row.verification_code.replaceAll('-', '') !== given)
    throw ReportNotFound(reportNumber);
  const { contentHash, verificationCode, ...unsigned } = row.report;
  const intact = reportHash(unsigned) === row.content_hash && contentHash === row.content_hash;
  return {
    valid: intact,
    reportNumber,
    verificationCode,
    contentHash: row.content_hash,
    issuedAt: row.report.issuedAt,
    subject: { name: row.report.content.subject.name, displayCode: row.report.content.subject.displayCode },
    asOf: row.report.content.asOf,
    // Records no longer in force (revoked, repaired) are not counted publicly: their existence is not public.
    summary: { ...row.report.content.summary, recordsTotal: undefined },
    listEntries: row.report.content.listEntries.map((entry) => ({
      listName: entry.listName,
      validFrom: entry.validFrom,
      validUntil: entry.validUntil,
    })),
  };
}
