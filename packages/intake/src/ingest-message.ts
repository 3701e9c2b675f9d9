import type { Department } from '@credit/catalogue';
import { holdsIdentityNumbers, type Signer } from '@credit/ingest-trust';
import type { Prepared } from './prepare.ts';

/** A prepared record as it goes on a department's ingest topic; the shape kit's Producer.send takes. */
export interface IngestMessage {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/**
 * The contract of credit.ingest.<department> messages, whoever produces them (gateway or SDK): keyed by the
 * department's record id, the Avro single-object value with identity numbers sealed for the platform, headers
 * naming kind, record id, version and department, and the department's signature over department, key and value.
 */
export function ingestMessage(
  prepared: Prepared,
  department: Department,
  signer: Signer,
  extraHeaders: Record<string, string> = {},
): IngestMessage {
  // Programming errors, not bad data: the producer was not given what every producer must have.
  if (signer.department !== department.code) {
    throw new Error(
      `a record of department ${department.code} cannot be signed with ${signer.department}'s key`,
    );
  }
  if (prepared.sealedFor === null && holdsIdentityNumbers(prepared.value.envelope)) {
    throw new Error(`record ${prepared.recordId} holds identity numbers and was not sealed for the platform`);
  }
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
      ...signer.headers(prepared.key, prepared.bytes),
    },
  };
}
