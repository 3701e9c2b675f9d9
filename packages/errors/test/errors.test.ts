import { describe, expect, it } from 'vitest';
import { CodedError, defineError, isCodedError } from '../src/index.ts';

const InvalidCode = defineError(
  'CREDIT_INVALID_USCC',
  400,
  'subject.code %s is not a valid unified social credit code: %s',
);

describe('defineError', () => {
  it('builds an error carrying its code, status and a message naming the value and the rule', () => {
    const error = InvalidCode('91350100M000100Y4X', 'check character mismatch');
    expect(error).toBeInstanceOf(CodedError);
    expect(error.code).toBe('CREDIT_INVALID_USCC');
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe(
      'subject.code 91350100M000100Y4X is not a valid unified social credit code: check character mismatch',
    );
  });

  it('recognises its own errors and no others', () => {
    const Other = defineError('OTHER', 500, 'other');
    expect(InvalidCode.is(InvalidCode('a', 'b'))).toBe(true);
    expect(InvalidCode.is(Other())).toBe(false);
    expect(InvalidCode.is(new Error('plain'))).toBe(false);
    expect(isCodedError(Other())).toBe(true);
  });

  it('keeps structured details and the cause, and serialises without the stack', () => {
    const cause = new Error('root');
    const error = InvalidCode.with({ field: 'subject.code' }, cause, 'X', 'too short');
    expect(error.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'CREDIT_INVALID_USCC',
      message: 'subject.code X is not a valid unified social credit code: too short',
      details: { field: 'subject.code' },
    });
  });
});
