import type { Department } from '@credit/catalogue';
import type { Prepared } from './prepare.ts';

/** A prepared record as it goes on a department's ingest topic; the shape kit's Producer.send takes. */
export interface IngestMessage {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/**
 * The contract of credit.ingest.<department> messages, whoever produces them (gateway or SDK): keyed by the
 * normalised subject code, Avro single-object value, headers naming kind, record id, version and department.
 */
export function ingestMessage(
  prepared: Prepared,
  department: Department,
  extraHeaders: Record<string, string> = {},
): IngestMessage {
  return {
    key: prepared.key,
    value: prepared.bytes,
    headers: {
      'record-kind': prepared.kind,
      'source-record-id': prepared.recordId,
      'record-version': String(prepared.version),
      department: department.code,
      'content-type': 'application/vnd.apache.avro.single-object',
      ...extraHeaders,
    },
  };
}
