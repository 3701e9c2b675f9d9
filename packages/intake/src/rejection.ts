import { maskIdentityNumbers, maskResidentId } from '@credit/identifiers';

/** One reason a record was refused, in words a department's developer can act on. */
export interface Rejection {
  code: string;
  message: string;
  /** Dotted path of the field in the record, e.g. `envelope.subject.code` or `penaltyCategories[1]`. */
  field?: string;
  /** The offending value as text, at most 200 characters; identity numbers masked. */
  value?: string;
  /** The rule broken: a reason code (`USCC_CHECK_CHARACTER`) or what was expected. */
  rule?: string;
}

const MAX_VALUE_LENGTH = 200;

/** The value as a rejection carries it: strings as they are, anything else as JSON; masked when `sensitive`. */
export function valueText(value: unknown, sensitive = false): string | undefined {
  if (value === undefined) return undefined;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  else if (typeof value === 'bigint') text = `${value}n`;
  else text = safeJson(value);
  if (sensitive) text = maskResidentId(text);
  return truncate(text);
}

/** How a value is quoted inside a message: JSON, so `"12.5"` and `12.5` differ. */
export function quoted(value: unknown, sensitive = false): string {
  if (value === undefined) return '(missing)';
  const text = valueText(value, sensitive) ?? '';
  return typeof value === 'string' || sensitive ? JSON.stringify(text) : text;
}

export function truncate(text: string, max = MAX_VALUE_LENGTH): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export interface RejectionParts {
  field?: string;
  value?: unknown;
  rule: string;
  /** What is wrong; defaults to the rule itself. */
  explanation?: string;
  /** An identity number: shown masked in value and message. */
  sensitive?: boolean;
}

/** A rejection whose message names the field, the value and the rule: `field "value": explanation (RULE)`. */
export function rejection(code: string, parts: RejectionParts): Rejection {
  const { field, value, rule, explanation, sensitive = false } = parts;
  const subject = [field, value === undefined ? undefined : quoted(value, sensitive)]
    .filter(Boolean)
    .join(' ');
  const what = explanation === undefined || explanation === rule ? rule : `${explanation} (${rule})`;
  const result: Rejection = { code, message: subject ? `${subject}: ${what}` : what, rule };
  if (field !== undefined) result.field = field;
  const text = valueText(value, sensitive);
  if (text !== undefined) result.value = text;
  return redact(result);
}

/** Masks anything that looks like a resident identity number in a text. */
export function redactText(text: string): string {
  return maskIdentityNumbers(text);
}

/** Last line of defence: no resident identity number leaves in clear, whichever check produced the text. */
export function redact(rejection: Rejection): Rejection {
  const result: Rejection = { ...rejection, message: redactText(rejection.message) };
  if (rejection.value !== undefined) result.value = redactText(rejection.value);
  if (rejection.field !== undefined) result.field = redactText(rejection.field);
  if (rejection.rule !== undefined) result.rule = redactText(rejection.rule);
  return result;
}
