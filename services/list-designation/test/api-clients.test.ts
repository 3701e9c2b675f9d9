import { codedErrorOf } from '@credit/testing';
import { describe, expect, it } from 'vitest';
import { parseApiClients } from '../src/api-clients.ts';

const token = 'a-token-of-at-least-24-characters';

describe('LIST_API_TOKENS', () => {
  it('identifies a client by its token, and nobody by another', () => {
    const clients = parseApiClients(
      JSON.stringify([
        { token, actor: 'court-clerk', roles: ['designator'], department: 'intermediate-court' },
      ]),
    );
    expect(clients.identify(token)).toEqual({
      actor: 'court-clerk',
      roles: ['designator'],
      department: 'intermediate-court',
    });
    expect(clients.identify(`${token}x`)).toBeUndefined();
    expect(clients.identify('')).toBeUndefined();
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
  ])('refuses %s at start-up, saying what is wrong', (_, json, message) => {
    const error = codedErrorOf(() => parseApiClients(json), 'LIST_API_CLIENTS_INVALID');
    expect(error.message).toContain(message);
  });
});
