import { CodedError } from '@credit/errors';
import { expect } from 'vitest';

/** Runs `action`, expects a CodedError with `code`, and returns it. */
export function codedErrorOf(action: () => unknown, code: string): CodedError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CodedError);
    expect((error as CodedError).code).toBe(code);
    return error as CodedError;
  }
  throw new Error(`expected a ${code} error, nothing was thrown`);
}
