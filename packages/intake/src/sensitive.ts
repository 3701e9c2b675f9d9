/** Identity numbers of natural persons: never echoed in clear. */

// 6-digit division, a birth date from 1800 to 2099, 3-digit sequence, check character: a resident identity
// number wherever it appears, even in a field not meant for one.
const RESIDENT_ID_PATTERN = String.raw`\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]`;
const WHOLE_RESIDENT_ID_LIKE = new RegExp(`^${RESIDENT_ID_PATTERN}$`);

/** The whole text is laid out like a resident identity number. */
export function looksLikeResidentId(text: string): boolean {
  return WHOLE_RESIDENT_ID_LIKE.test(text);
}

const LEGAL_REPRESENTATIVE_ID = 'envelope.subject.legalRepresentative.idNumber';
const SUBJECT_CODE = 'envelope.subject.code';

/** True when the field at `path` of `record` (wire or codec form) is an identity number. */
export function isIdentityNumberField(path: string, record: unknown): boolean {
  if (path === LEGAL_REPRESENTATIVE_ID) return true;
  // The subject's code is an identity number unless it is declared to be a USCC.
  return path === SUBJECT_CODE && subjectCodeType(record) !== 'USCC';
}

function subjectCodeType(record: unknown): unknown {
  const envelope = property(record, 'envelope');
  return property(property(envelope, 'subject'), 'codeType');
}

function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
