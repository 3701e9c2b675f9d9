import { createReadStream, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Catalogue } from '@credit/catalogue';
import { prepareRecord, type Rejection, readCsvRecords, readJsonLines } from '@credit/intake';
import type { RecordKind, Severity } from '@credit/schemas';
import { type BatchAnswer, createGatewayClient } from './gateway-client.ts';
import { createRejectsFile, type RejectLine } from './rejects-file.ts';

export interface PushOptions {
  file: string;
  /** Needed for CSV (one kind per file); JSON lines carry their kind. */
  kind?: RecordKind;
  gateway?: { url: string; apiKey: string };
  /** Validate locally only: no gateway, nothing sent. Needs the catalogue. */
  dryRun?: { catalogue: Catalogue; department?: string };
  batchSize: number;
  rejectsPath: string;
  defaults?: { catalogueItemCode?: string; severity?: Severity; reportingDepartmentCode?: string };
  /** Batches in flight at once; memory stays bounded by batchSize × this. */
  inFlight?: number;
  onProgress?: (progress: { bytes: number; totalBytes: number; records: number }) => void;
  onRetry?: (attempt: number, reason: string) => void;
}

export interface PushSummary {
  read: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  valid: number;
  seconds: number;
  rejectsFile: string | null;
  rejectLines: number;
}

type Item = { line: number; wire: unknown } | { line: number; rejections: Rejection[] };

/** Streams a department's export through the gateway (or through local validation with --dry-run). */
export async function push(options: PushOptions): Promise<PushSummary> {
  const started = performance.now();
  const totalBytes = statSync(options.file).size;
  const input = createReadStream(options.file);
  const rejects = createRejectsFile(options.rejectsPath);
  const summary: PushSummary = {
    read: 0,
    accepted: 0,
    duplicate: 0,
    rejected: 0,
    valid: 0,
    seconds: 0,
    rejectsFile: null,
    rejectLines: 0,
  };
  const client =
    options.gateway && !options.dryRun
      ? createGatewayClient({ ...options.gateway, onRetry: options.onRetry })
      : undefined;
  const inFlight = new Set<Promise<void>>();
  let batch: { line: number; wire: unknown }[] = [];

  const flush = async (records: { line: number; wire: unknown }[]) => {
    if (records.length === 0) return;
    if (options.dryRun) {
      await rejects.write(validateLocally(records, options.dryRun));
      return;
    }
    const answer: BatchAnswer = await client!.postBatch(records.map((r) => r.wire));
    const rows: RejectLine[] = [];
    for (const result of answer.results) {
      const line = records[result.index]!.line;
      if (result.status === 'accepted') summary.accepted += 1;
      else if (result.status === 'duplicate') summary.duplicate += 1;
      else {
        summary.rejected += 1;
        const reasons = result.rejections ?? (result.error ? [result.error] : []);
        rows.push(
          ...reasons.map((r) => ({ line, recordId: result.recordId, version: result.version, ...r })),
        );
      }
    }
    await rejects.write(rows);
  };

  const validateLocally = (
    records: { line: number; wire: unknown }[],
    dry: NonNullable<PushOptions['dryRun']>,
  ) => {
    const rows: RejectLine[] = [];
    for (const { line, wire } of records) {
      const reporting = (wire as { record?: { envelope?: { reportingDepartmentCode?: string } } }).record
        ?.envelope?.reportingDepartmentCode;
      const department = dry.department
        ? dry.catalogue.department(dry.department)
        : dry.catalogue.departmentByUscc(reporting ?? '');
      if (!department) {
        summary.rejected += 1;
        rows.push({
          line,
          code: 'CATALOGUE_UNKNOWN_DEPARTMENT',
          message: `no catalogue department reports as '${reporting ?? ''}'; pass --department`,
        });
        continue;
      }
      const prepared = prepareRecord(wire, { department, catalogue: dry.catalogue, now: new Date() });
      if (prepared.ok) summary.valid += 1;
      else {
        summary.rejected += 1;
        rows.push(
          ...prepared.rejections.map((r) => ({
            line,
            recordId: prepared.recordId,
            version: prepared.version,
            ...r,
          })),
        );
      }
    }
    return rows;
  };

  try {
    for await (const item of items(options, input)) {
      summary.read += 1;
      if ('rejections' in item) {
        summary.rejected += 1;
        await rejects.write(item.rejections.map((r) => ({ line: item.line, ...r })));
      } else {
        batch.push(item);
      }
      if (batch.length >= options.batchSize) {
        const sending = flush(batch).finally(() => inFlight.delete(sending));
        inFlight.add(sending);
        batch = [];
        if (inFlight.size >= (options.inFlight ?? 2)) await Promise.race(inFlight);
      }
      if (summary.read % 1000 === 0)
        options.onProgress?.({ bytes: input.bytesRead, totalBytes, records: summary.read });
    }
    await Promise.all([...inFlight, flush(batch)]);
    options.onProgress?.({ bytes: totalBytes, totalBytes, records: summary.read });
  } finally {
    await client?.close();
    summary.rejectLines = await rejects.close();
  }
  summary.rejectsFile = summary.rejectLines > 0 ? options.rejectsPath : null;
  summary.seconds = Number(((performance.now() - started) / 1000).toFixed(2));
  return summary;
}

async function* items(options: PushOptions, input: NodeJS.ReadableStream): AsyncGenerator<Item> {
  if (/\.csv$/i.test(options.file)) {
    if (!options.kind) throw new Error('a CSV file holds one kind of record: pass --kind');
    for await (const row of readCsvRecords(input, options.kind, options.defaults ?? {})) yield row;
    return;
  }
  for await (const row of readJsonLines(input)) {
    if ('rejections' in row) yield row;
    else yield { line: row.line, wire: row.input };
  }
}
