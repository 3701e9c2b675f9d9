import { CodedError } from '@credit/errors';
import { describe, expect, it } from 'vitest';
import { throwing } from './throwing-app.ts';

describe('answers that say when to retry', () => {
  it('answers a coded error with retryAfterSeconds with its status and a Retry-After header', async () => {
    const response = await throwing(
      new CodedError('QUERY_BUSY', 503, 'too many searches at once', { retryAfterSeconds: 2 }),
    );
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('2');
    expect(response.json().error.code).toBe('QUERY_BUSY');
  });

  it('answers a coded error without it with no Retry-After', async () => {
    const response = await throwing(new CodedError('QUERY_INVALID_SEARCH', 400, 'search: too short'));
    expect(response.statusCode).toBe(400);
    expect(response.headers['retry-after']).toBeUndefined();
  });

  it('answers a statement PostgreSQL cancelled (57014, statement_timeout) with a coded 503 and Retry-After', async () => {
    const cancelled = Object.assign(new Error('canceling statement due to statement timeout'), {
      code: '57014',
    });
    const response = await throwing(cancelled);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json().error.code).toBe('DB_STATEMENT_TIMEOUT');
  });
});
