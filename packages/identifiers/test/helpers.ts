import type { Reason } from '../src/index.ts';

/** The reason of a result that must be invalid; fails the test when it is valid. */
export function reasonOf<Code extends string>(
  result: { valid: true } | { valid: false; reason: Reason<Code> },
) {
  if (result.valid) throw new Error('expected an invalid result');
  return result.reason;
}
