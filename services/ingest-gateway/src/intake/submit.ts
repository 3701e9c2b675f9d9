import type { Catalogue, Department } from '@credit/catalogue';
import type { Sealer, Signer } from '@credit/ingest-trust';
import { ingestMessage, prepareRecord, type Rejection } from '@credit/intake';
import type { Counter, Logger } from '@credit/kit';
import type pg from 'pg';
import type { Outcome, ReadyRecord, SubmissionPipeline } from './pipeline.ts';
import { recordRejections } from './rejections.ts';

export type RecordResult = { index: number; kind?: string; recordId?: string; version?: number } & (
  | Outcome
  | { status: 'rejected'; rejections: Rejection[] }
);

/**
 * What makes the records the gateway produces trustworthy: each department's signer (the gateway reports for
 * departments that use HTTPS), and the sealer of identity numbers for the platform.
 */
export interface GatewayTrust {
  signers: ReadonlyMap<string, Signer>;
  sealer: Sealer;
}

export interface SubmitDeps {
  pool: pg.Pool;
  catalogue: Catalogue;
  trust: GatewayTrust;
  logger: Logger;
  pipeline: SubmissionPipeline;
  metrics: { records: Counter<'department' | 'status'>; rejections: Counter<'department' | 'code'> };
}

export interface SubmitContext {
  department: Department;
  requestId: string;
  channel: 'http' | 'http-batch';
  now: Date;
}

/**
 * Validates every record; sends the valid ones through the submission pipeline (claim, produce with acks=all,
 * confirm); answers each: accepted (with its position), duplicate (with the first position), rejected (with every
 * reason), or retry (nothing was accepted; send again).
 */
export async function submit(
  deps: SubmitDeps,
  context: SubmitContext,
  inputs: unknown[],
): Promise<RecordResult[]> {
  const { department } = context;
  const results: RecordResult[] = new Array(inputs.length);
  // authenticate() let in only departments the gateway holds a key for.
  const signer = deps.trust.signers.get(department.code)!;
  const ready: (ReadyRecord & { index: number })[] = [];

  inputs.forEach((input, index) => {
    const prepared = prepareRecord(input, {
      department,
      catalogue: deps.catalogue,
      now: context.now,
      sealer: deps.trust.sealer,
    });
    if (!prepared.ok) {
      const { kind, recordId, version, rejections } = prepared;
      results[index] = { index, kind, recordId, version, status: 'rejected', rejections };
      return;
    }
    ready.push({
      index,
      kind: prepared.kind,
      recordId: prepared.recordId,
      version: prepared.version,
      message: ingestMessage(prepared, department, signer, { 'request-id': context.requestId }),
    });
  });

  const outcomes = await deps.pipeline.submit(department, ready);
  ready.forEach((record, i) => {
    results[record.index] = {
      index: record.index,
      kind: record.kind,
      recordId: record.recordId,
      version: record.version,
      ...outcomes[i]!,
    };
  });

  const rejected = results.filter(
    (r): r is Extract<RecordResult, { status: 'rejected' }> => r.status === 'rejected',
  );
  await recordRejections(
    deps.pool,
    deps.logger,
    { department: department.code, requestId: context.requestId, channel: context.channel },
    rejected,
  );
  for (const result of results) {
    deps.metrics.records.inc({ department: department.code, status: result.status });
    if (result.status === 'rejected') {
      for (const rejection of result.rejections)
        deps.metrics.rejections.inc({ department: department.code, code: rejection.code });
    }
  }
  return results;
}
