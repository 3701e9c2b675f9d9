import type { Catalogue, Department } from '@credit/catalogue';
import type { Envelope, RecordKind } from '@credit/schemas';
import { INTAKE_CODES } from '../codes.ts';
import { hasControlCharacter } from '../plain.ts';
import { type Rejection, redact, rejection, truncate } from '../rejection.ts';

const MAX_RECORD_ID_LENGTH = 128;

/** Who reports (only as itself, only what the catalogue grants), the record's identity and its operation. */
export function envelopeRejections(
  kind: RecordKind,
  envelope: Envelope,
  department: Department,
  catalogue: Catalogue,
): Rejection[] {
  const rejections: Rejection[] = [];
  if (envelope.reportingDepartmentCode !== department.uscc) {
    rejections.push(
      rejection(INTAKE_CODES.departmentMismatch, {
        field: 'envelope.reportingDepartmentCode',
        value: envelope.reportingDepartmentCode,
        rule: 'REPORTS_AS_ITSELF',
        explanation: `is not the code of ${department.code} (${department.name}), which is ${department.uscc}; a department reports only as itself`,
      }),
    );
  }

  const grant = catalogue.check(department.code, kind, envelope.catalogueItemCode, envelope.severity);
  if (!grant.allowed) {
    const severity = grant.code === 'CATALOGUE_SEVERITY_NOT_ALLOWED';
    rejections.push(
      redact({
        code: grant.code,
        message: grant.message,
        field: severity ? 'envelope.severity' : 'envelope.catalogueItemCode',
        value: truncate(severity ? envelope.severity : envelope.catalogueItemCode),
        rule: grant.code,
      }),
    );
  }

  rejections.push(...recordIdRejections(envelope.sourceRecordId));
  if (envelope.version < 1) {
    rejections.push(
      rejection(INTAKE_CODES.version, {
        field: 'envelope.version',
        value: envelope.version,
        rule: 'AT_LEAST_1',
        explanation: 'a record is version 1 when first reported and goes up with each correction',
      }),
    );
  }
  if (envelope.operation === 'REVOKE' && (envelope.changeReason ?? '').trim() === '') {
    rejections.push(
      rejection(INTAKE_CODES.revokeWithoutReason, {
        field: 'envelope.changeReason',
        value: envelope.changeReason,
        rule: 'REVOKE_NEEDS_REASON',
        explanation: 'a REVOKE must say why the record is withdrawn',
      }),
    );
  }
  return rejections;
}

function recordIdRejections(id: string): Rejection[] {
  const field = 'envelope.sourceRecordId';
  const fail = (rule: string, explanation: string) =>
    rejection(INTAKE_CODES.recordId, { field, value: id, rule, explanation });
  if (id.trim() === '') return [fail('NOT_EMPTY', 'the record id is empty')];
  const problems: Rejection[] = [];
  const length = [...id].length;
  if (length > MAX_RECORD_ID_LENGTH) {
    problems.push(
      fail('AT_MOST_128_CHARACTERS', `has ${length} characters, more than ${MAX_RECORD_ID_LENGTH}`),
    );
  }
  if (hasControlCharacter(id)) problems.push(fail('NO_CONTROL_CHARACTERS', 'contains a control character'));
  return problems;
}
