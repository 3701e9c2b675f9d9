import { identityNumberCandidates, validateResidentId } from '@credit/identifiers';
import { INTAKE_CODES } from '../codes.ts';
import { type Rejection, rejection } from '../rejection.ts';

/** The two fields where an identity number belongs; the sealing protects them on their way to the platform. */
const IDENTITY_FIELDS = new Set(['envelope.subject.code', 'envelope.subject.legalRepresentative.idNumber']);

/**
 * Free text must not quote a resident identity number (a violation's facts naming the person, a record id built
 * from it): such text is published, put on topics in clear and used as the message key. Refused rather than
 * masked: the department answers for what it reports (谁提供谁负责), and the platform does not rewrite it. Only
 * numbers that are valid resident identity numbers count, so an 18-digit account or case number is not refused.
 */
export function identityNumberInTextRejections(record: unknown): Rejection[] {
  const rejections: Rejection[] = [];
  walk(record, '', (path, text) => {
    if (IDENTITY_FIELDS.has(path)) return;
    if (identityNumberCandidates(text).some((candidate) => validateResidentId(candidate).valid)) {
      rejections.push(
        rejection(INTAKE_CODES.identityNumberInText, {
          field: path,
          value: text,
          sensitive: true,
          rule: 'NO_IDENTITY_NUMBER_IN_TEXT',
          explanation:
            'a resident identity number may appear only in envelope.subject.code or a legal representative’s idNumber, where it is sealed for the platform',
        }),
      );
    }
  });
  return rejections;
}

function walk(value: unknown, path: string, visit: (path: string, text: string) => void): void {
  if (typeof value === 'string') visit(path, value);
  else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) walk(item, `${path}[${index}]`, visit);
  } else if (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Date) &&
    !Buffer.isBuffer(value)
  ) {
    for (const [key, item] of Object.entries(value)) {
      // The sealed block holds ciphertext only.
      if (path === 'envelope' && key === 'sealed') continue;
      walk(item, path === '' ? key : `${path}.${key}`, visit);
    }
  }
}
