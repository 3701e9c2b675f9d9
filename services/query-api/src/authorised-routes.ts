import type { AuditLog } from '@credit/audit';
import { chinaToday } from '@credit/calendar';
import { type ApiClient, type ApiClients, authenticateRequests } from '@credit/kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { issueReport, storedReport } from './credit-report.ts';
import { CheckNotFound, PurposeRequired, ScopeMissing, SubjectNotFound } from './errors.ts';
import type { Presentation } from './presentation.ts';
import { fullHistory } from './profile.ts';
import type { QueryAudit } from './query-audit.ts';
import { renderReportPdf } from './report-pdf.ts';
import { text } from './request-text.ts';
import type { SanctionsClient } from './sanctions-client.ts';
import { lookUpSubject, unknownSubjectKey } from './subjects.ts';

const AUTHORISED = { residentIds: true };

/**
 * Scopes of authorised clients:
 * - history: a subject's full record history, closed windows and authorised-only kinds included;
 * - report: credit reports (信用报告), JSON and PDF;
 * - check: the pre-decision check (应查必查), passed through to the sanctions service;
 * - audit: who looked at a subject's records (for the credit office answering a subject).
 */
export type Scope = 'history' | 'report' | 'check' | 'audit';
export const SCOPES: readonly Scope[] = ['history', 'report', 'check', 'audit'];

export interface AuthorisedRouteDeps {
  pool: pg.Pool;
  names: Presentation;
  clients: ApiClients<Scope>;
  audit: QueryAudit;
  auditLog: AuditLog;
  sanctions: SanctionsClient;
  tokenKey: Buffer;
  now: () => Date;
  baseUrl: string;
  /** Requests per client per minute. */
  ratePerMinute: number;
}

const TAG = ['authorised'];

/** The parts of the sanctions service's check answer the audit row keeps. */
interface CheckAnswer {
  checkId: string;
  entries: { entryId: string }[];
  measures: { code: string }[];
  incentives: { code: string }[];
}
const CODE = text(64, 1);
const PURPOSE_HEADER = {
  type: 'object',
  // Required, but checked in the handler: its error names the header and the rule (QUERY_PURPOSE_REQUIRED).
  properties: {
    'x-credit-purpose': {
      type: 'string',
      description: 'required: the matter being decided, 4 to 200 characters (URL-encoded when not ASCII)',
    },
  },
} as const;

/** The sanctions service records the check (and its statistics) under the client and department that asked. */
function onBehalfOf(client: ApiClient<Scope>) {
  return { actor: client.actor, department: client.department ?? '' };
}

function purposeOf(request: FastifyRequest): string {
  const raw = request.headers['x-credit-purpose'];
  let purpose = '';
  try {
    purpose = decodeURIComponent(typeof raw === 'string' ? raw : '').trim();
  } catch {
    throw PurposeRequired();
  }
  if (purpose.length < 4 || purpose.length > 200 || purpose.includes('\u0000')) throw PurposeRequired();
  return purpose;
}

/** Authorised clients: bearer token, scopes, a stated purpose on every call, each call in the audit log. */
export async function authorisedRoutes(root: FastifyInstance, deps: AuthorisedRouteDeps): Promise<void> {
  await root.register(async (app) => {
    const clientOf = authenticateRequests(app, deps.clients);
    const rateLimit = {
      max: deps.ratePerMinute,
      timeWindow: '1 minute',
      keyGenerator: (request: FastifyRequest) => `client:${clientOf(request).actor}`,
    };
    app.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
    });
    /** The client, once it has the scope and named its purpose. */
    const admit = (request: FastifyRequest, scope: Scope): { client: ApiClient<Scope>; purpose: string } => {
      const client = clientOf(request);
      if (!client.roles.includes(scope)) throw ScopeMissing(client.actor, scope);
      return { client, purpose: purposeOf(request) };
    };
    const today = () => chinaToday(deps.now());

    app.get<{ Params: { code: string } }>(
      '/v1/authorised/subjects/:code/history',
      {
        config: { rateLimit },
        schema: {
          tags: TAG,
          summary:
            'Every record and list entry of a subject, whatever its status or disclosure (scope history)',
          headers: PURPOSE_HEADER,
          params: { type: 'object', required: ['code'], properties: { code: CODE } },
        },
      },
      async (request) => {
        const { client, purpose } = admit(request, 'history');
        const { code } = await lookUpSubject(deps.pool, request.params.code, deps.tokenKey, AUTHORISED);
        const history = await fullHistory(deps.pool, code, today(), deps.names);
        await deps.audit.record({
          actor: client.actor,
          purpose,
          subjectCode: code,
          action: 'history',
          detail: {
            records: history.records.length,
            entries: history.lists.length,
            recordIds: history.records.map((r) => `${r.department}/${r.sourceRecordId}@${r.version}`),
          },
        });
        return history;
      },
    );

    app.post<{ Params: { code: string } }>(
      '/v1/authorised/subjects/:code/reports',
      {
        config: { rateLimit },
        schema: {
          tags: TAG,
          summary:
            'Issues a credit report (信用报告) with a report number and a verification code (scope report)',
          headers: PURPOSE_HEADER,
          params: { type: 'object', required: ['code'], properties: { code: CODE } },
        },
      },
      async (request, reply) => {
        const { client, purpose } = admit(request, 'report');
        const { code } = await lookUpSubject(deps.pool, request.params.code, deps.tokenKey, AUTHORISED);
        const report = await issueReport(
          deps.pool,
          { code, issuedTo: client.actor, purpose, now: deps.now(), today: today(), baseUrl: deps.baseUrl },
          deps.names,
        );
        await deps.audit.record({
          actor: client.actor,
          purpose,
          subjectCode: code,
          action: 'report',
          detail: {
            reportNumber: report.reportNumber,
            contentHash: report.contentHash,
            records: report.content.records.length,
            entries: report.content.listEntries.length,
          },
        });
        reply.header('location', `/v1/authorised/reports/${report.reportNumber}`);
        return reply.code(201).send(report);
      },
    );

    app.get<{ Params: { number: string; format?: string } }>(
      '/v1/authorised/reports/:number',
      {
        config: { rateLimit },
        schema: {
          tags: TAG,
          summary:
            'A report this client was issued, as JSON, or as PDF with Accept: application/pdf (scope report)',
          headers: PURPOSE_HEADER,
          params: {
            type: 'object',
            required: ['number'],
            properties: { number: text(40) },
          },
        },
      },
      async (request, reply) => {
        const { client, purpose } = admit(request, 'report');
        const report = await storedReport(deps.pool, request.params.number, client.actor);
        const pdf = (request.headers.accept ?? '').includes('application/pdf');
        await deps.audit.record({
          actor: client.actor,
          purpose,
          subjectCode: report.content.subject.code,
          action: pdf ? 'report-pdf' : 'report-json',
          detail: { reportNumber: report.reportNumber, contentHash: report.contentHash },
        });
        if (!pdf) return report;
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${report.reportNumber}.pdf"`)
          .send(await renderReportPdf(report));
      },
    );

    app.post<{ Body: { subjectCode: string; matterType: string } }>(
      '/v1/authorised/checks',
      {
        config: { rateLimit },
        schema: {
          tags: TAG,
          summary:
            'May this subject get this? The list entries and measures that bear on the matter (scope check)',
          headers: PURPOSE_HEADER,
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['subjectCode', 'matterType'],
            properties: { subjectCode: CODE, matterType: text(64, 1) },
          },
        },
      },
      async (request) => {
        const { client, purpose } = admit(request, 'check');
        // An old code is checked as the subject it names; a subject the platform holds nothing on is checked as it is
        // (nothing listed), and a malformed code or number is refused before it reaches a log.
        const subjectCode = await lookUpSubject(
          deps.pool,
          request.body.subjectCode,
          deps.tokenKey,
          AUTHORISED,
        ).then(
          (found) => found.code,
          (error: unknown) => {
            if (SubjectNotFound.is(error)) return unknownSubjectKey(request.body.subjectCode, deps.tokenKey);
            throw error;
          },
        );
        const answer = (await deps.sanctions.post('/v1/checks', {
          subjectCode,
          matterType: request.body.matterType,
          onBehalfOf: onBehalfOf(client),
        })) as CheckAnswer;
        await deps.audit.record({
          actor: client.actor,
          purpose,
          subjectCode,
          action: 'check',
          detail: {
            matterType: request.body.matterType,
            checkId: answer.checkId,
            entries: answer.entries.map((entry) => entry.entryId),
            measures: answer.measures.map((measure) => measure.code),
            incentives: answer.incentives.map((measure) => measure.code),
          },
        });
        return answer;
      },
    );

    app.post<{
      Params: { id: string };
      Body: { decision: string; measuresApplied: string[]; note?: string };
    }>(
      '/v1/authorised/checks/:id/decision',
      {
        config: { rateLimit },
        schema: {
          tags: TAG,
          summary: 'The decision taken after a check this client made, once (scope check)',
          headers: PURPOSE_HEADER,
          params: { type: 'object', required: ['id'], properties: { id: text(64) } },
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['decision', 'measuresApplied'],
            properties: {
              decision: text(64, 1),
              measuresApplied: { type: 'array', maxItems: 50, items: text(64) },
              note: text(2000),
            },
          },
        },
      },
      async (request) => {
        const { client, purpose } = admit(request, 'check');
        // The sanctions service knows every check as the query API's; the audit log says which client made it.
        const made = await deps.pool.query<{ subject_code: string }>(
          `select subject_code from query.audit_log
            where action = 'check' and detail ->> 'checkId' = $1 and actor = $2 limit 1`,
          [request.params.id, client.actor],
        );
        const subjectCode = made.rows[0]?.subject_code;
        if (subjectCode === undefined) throw CheckNotFound(request.params.id);
        const answer = await deps.sanctions.post(
          `/v1/checks/${encodeURIComponent(request.params.id)}/decision`,
          {
            ...request.body,
            onBehalfOf: onBehalfOf(client),
          },
        );
        await deps.audit.record({
          actor: client.actor,
          purpose,
          subjectCode,
          action: 'check-decision',
          detail: { checkId: request.params.id, decision: request.body.decision },
        });
        return answer;
      },
    );

    app.get<{ Params: { code: string }; Querystring: { before?: string; limit: number } }>(
      '/v1/authorised/subjects/:code/audit',
      {
        config: { rateLimit },
        schema: {
          tags: TAG,
          summary: 'Who looked at this subject’s records, when and why, newest first (scope audit)',
          headers: PURPOSE_HEADER,
          params: { type: 'object', required: ['code'], properties: { code: CODE } },
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              before: { type: 'string', pattern: '^\\d{1,19}$' },
              limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            },
          },
        },
      },
      async (request) => {
        const { client, purpose } = admit(request, 'audit');
        const { code } = await lookUpSubject(deps.pool, request.params.code, deps.tokenKey, AUTHORISED);
        const rows = await deps.auditLog.forSubject(code, {
          limit: request.query.limit,
          ...(request.query.before === undefined ? {} : { before: request.query.before }),
        });
        await deps.audit.record({
          actor: client.actor,
          purpose,
          subjectCode: code,
          action: 'audit',
          detail: { rows: rows.length },
        });
        return {
          subjectCode: code,
          queries: rows.map((row) => ({
            id: row.id,
            at: row.at.toISOString(),
            actor: row.actor,
            purpose: row.purpose,
            action: row.action,
            detail: row.detail,
          })),
        };
      },
    );
  });
}
