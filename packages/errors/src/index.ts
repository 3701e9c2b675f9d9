import { format } from 'node:util';

/**
 * An error with a stable code. The same code travels in HTTP answers, DLQ headers, error tables and metric
 * labels, so one bad record can be followed from a department's rejects file to the dashboard.
 */
export class CodedError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    statusCode: number,
    message: string,
    details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'CodedError';
    this.code = code;
    this.statusCode = statusCode;
    this.details = details;
  }

  toJSON(): { code: string; message: string; details: Readonly<Record<string, unknown>> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export interface ErrorDefinition<Args extends unknown[]> {
  readonly code: string;
  readonly statusCode: number;
  (...args: Args): CodedError;
  /** Same as calling it, with structured details and a cause attached. */
  with(details: Record<string, unknown>, cause: unknown, ...args: Args): CodedError;
  is(error: unknown): error is CodedError;
}

/**
 * Defines an error once per package: `const InvalidCode = defineError('CREDIT_INVALID_USCC', 400, 'subject.code %s is invalid: %s')`
 * then `throw InvalidCode(code, reason)`. The message is a util.format template.
 */
export function defineError<Args extends unknown[] = string[]>(
  code: string,
  statusCode: number,
  template: string,
): ErrorDefinition<Args> {
  const make = (...args: Args): CodedError => new CodedError(code, statusCode, format(template, ...args));
  return Object.assign(make, {
    code,
    statusCode,
    with: (details: Record<string, unknown>, cause: unknown, ...args: Args): CodedError =>
      new CodedError(
        code,
        statusCode,
        format(template, ...args),
        details,
        cause === undefined ? undefined : { cause },
      ),
    is: (error: unknown): error is CodedError => error instanceof CodedError && error.code === code,
  });
}

export function isCodedError(error: unknown): error is CodedError {
  return error instanceof CodedError;
}
