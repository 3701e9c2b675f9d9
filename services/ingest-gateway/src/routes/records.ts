import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '@credit/kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { BadBatch, BatchTooLarge } from '../errors.ts';
import { type RecordResult, type SubmitDeps, submit } from '../intake/submit.ts';

export interface RecordsRouteOptions {
  deps: SubmitDeps;
  batchMax: number;
  now: () => Date;
  authenticate: (request: FastifyRequest) => Promise<void>;
  rateLimit: object;
}

const ResultSchema = Type.Object(
  {
    index: Type.Integer(),
    status: Type.Union([
      Type.Literal('accepted'),
      Type.Literal('duplicate'),
      Type.Literal('rejected'),
      Type.Literal('retry'),
    ]),
    kind: Type.Optional(Type.String()),
    recordId: Type.Optional(Type.String()),
    version: Type.Optional(Type.Integer()),
    topic: Type.Optional(Type.String()),
    partition: Type.Optional(Type.Integer()),
    offset: Type.Optional(Type.String()),
    acceptedAt: Type.Optional(Type.String({ format: 'date-time' })),
    rejections: Type.Optional(
      Type.Array(
        Type.Object({
          code: Type.String(),
          message: Type.String(),
          field: Type.Optional(Type.String()),
          value: Type.Optional(Type.String()),
          rule: Type.Optional(Type.String()),
        }),
      ),
    ),
    error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  },
  { $id: 'RecordResult' },
);

const STATUS_OF: Record<RecordResult['status'], number> = {
  accepted: 202,
  duplicate: 200,
  rejected: 422,
  retry: 503,
};

export async function recordsRoutes(app: FastifyInstance, options: RecordsRouteOptions): Promise<void> {
  const { deps, batchMax, now } = options;
  const onRequest = options.authenticate;

  app.post(
    '/v1/records',
    {
      onRequest,
      config: { rateLimit: options.rateLimit },
      schema: {
        summary: 'Report one record',
        description:
          'Validates the record (Avro schema, identifiers, dates, amounts, catalogue), writes it to credit.ingest.<department> with acks from all in-sync replicas, then answers: 202 accepted (with its Kafka position), 200 duplicate (same record id and version already accepted), 422 rejected (every reason), 503 retry (with Retry-After; also when the database is down).',
        tags: ['records'],
        security: [{ apiKey: [] }],
        body: { $ref: 'WireRecord#' },
        response: {
          200: ResultSchema,
          202: ResultSchema,
          409: ResultSchema,
          422: ResultSchema,
          503: ResultSchema,
        },
      },
      // The body schema documents the wire form; submit() validates it with the Avro schemas and answers 422.
      validatorCompiler: acceptAll,
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const [result] = await submit(deps, context(request, 'http', now()), [request.body]);
      const status =
        result!.status === 'retry' && result!.error.code === 'INTAKE_IN_PROGRESS'
          ? 409
          : STATUS_OF[result!.status];
      if (status === 503) reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      return reply.code(status).send(result);
    },
  );

  app.post(
    '/v1/records::batch',
    {
      onRequest,
      config: { rateLimit: options.rateLimit },
      schema: {
        summary: `Report up to ${batchMax} records`,
        description:
          'Each record is answered on its own: a partly bad batch accepts the good ones. 503 with Retry-After when the broker did not take the valid records (send the batch again: accepted ones come back as duplicates) or the database is down.',
        tags: ['records'],
        security: [{ apiKey: [] }],
        body: Type.Object({ records: Type.Array({ $ref: 'WireRecord#' }) }),
        response: {
          200: Type.Object({
            results: Type.Array(ResultSchema),
            summary: Type.Record(Type.String(), Type.Integer()),
          }),
        },
      },
      // Per-record validation happens in submit(), so one bad record cannot fail the whole batch.
      validatorCompiler: acceptAll,
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const records = (request.body as { records?: unknown } | null)?.records;
      if (!Array.isArray(records) || records.length === 0) throw BadBatch(String(batchMax));
      if (records.length > batchMax) throw BatchTooLarge(String(batchMax), String(records.length));
      const results = await submit(deps, context(request, 'http-batch', now()), records);
      const summary = { accepted: 0, duplicate: 0, rejected: 0, retry: 0 };
      for (const result of results) summary[result.status] += 1;
      const brokerDown = results.some(
        (r) => r.status === 'retry' && r.error.code === 'INTAKE_BROKER_UNAVAILABLE',
      );
      if (brokerDown) reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      return reply.code(brokerDown ? 503 : 200).send({ results, summary });
    },
  );
}

const acceptAll = () => () => true;

function context(request: FastifyRequest, channel: 'http' | 'http-batch', now: Date) {
  return { department: request.principal!.department, requestId: String(request.id), channel, now };
}
