import { fileURLToPath } from 'node:url';
import { CodedError } from '@credit/errors';
import { expect } from 'vitest';

export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

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
