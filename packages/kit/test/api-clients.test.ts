import { type CodedError, isCodedError } from '@credit/errors';
import { describe, expect, it } from 'vitest';
import { parseApiClients } from '../src/api-clients.ts';

/** The coded error `action` throws (packages/testing has this helper, but kit may not depend on it: a cycle). */
function codedErrorOf(action: () => unknown, code: string): CodedError {
  try {
    action();
  } catch (error) {
    if (isCodedError(error) && error.code === code) return error;
    throw error;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

const token = 'a-token-of-at-least-24-characters';
const options = {
  variable: 'TEST_TOKENS',
  roles: ['designator', 'reviewer'] as const,
  departmentRoles: ['designator'] as const,
};

describe('API clients from a secret', () => {
  it('identifies a client by its token, and nobody by another', () => {
    const clients = parseApiClients(
      JSON.stringify([
        { token, actor: 'court-clerk', roles: ['designator'], department: 'intermediate-court' },
      ]),
      options,
    );
    expect(clients.identify(token)).toEqual({
      actor: 'court-clerk',
      roles: ['designator'],
      department: 'intermediate-court',
    });
    expect(clients.identify(`${token}x`)).toBeUndefined();
    expect(clients.identify('')).toBeUndefined();
    expect(clients.authenticate(`Bearer ${token}`).actor).toBe('court-clerk');
  });

  it.each([
    ['no header', undefined, 'no Authorization header'],
    ['another scheme', `Basic ${token}`, 'expected "Authorization: Bearer'],
    ['an unknown token', 'Bearer nope-nope-nope-nope-nope-nope', 'unknown token'],
  ])('answers 401 for %s', (_, header, message) => {
    const clients = parseApiClients(JSON.stringify([{ token, actor: 'a', roles: ['reviewer'] }]), options);
    const error = codedErrorOf(() => clients.authenticate(header), 'API_UNAUTHENTICATED');
    expect(error.statusCode).toBe(401);
    expect(error.message).toContain(message);
  });

  it.each([
    ['not json', '{', 'not JSON'],
    ['an empty list', '[]', 'non-empty JSON array'],
    [
      'a short token',
      JSON.stringify([{ token: 'short', actor: 'a', roles: ['reviewer'] }]),
      'token must be ≥ 24',
    ],
    ['no actor', JSON.stringify([{ token, roles: ['reviewer'] }]), 'actor is required'],
    ['an unknown role', JSON.stringify([{ token, actor: 'a', roles: ['boss'] }]), 'roles must be'],
    [
      'a designator without department',
      JSON.stringify([{ token, actor: 'a', roles: ['designator'] }]),
      'needs its department',
    ],
  ])('refuses %s at start-up, naming the variable and what is wrong', (_, json, message) => {
    const error = codedErrorOf(() => parseApiClients(json, options), 'API_CLIENTS_INVALID');
    expect(error.message).toContain('TEST_TOKENS');
    expect(error.message).toContain(message);
  });
});
