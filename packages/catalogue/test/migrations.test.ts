import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, RECORD_KINDS, SEVERITIES } from '../src/index.ts';

describe('catalogue migrations', () => {
  const sql = readFileSync(path.join(MIGRATIONS_DIR, '0001_catalogue.sql'), 'utf8');

  it('allow exactly the record kinds and severities of @credit/schemas', () => {
    const quoted = (list: string) => [...list.matchAll(/'([^']+)'/g)].map((match) => match[1]);
    const kinds = /kind text primary key check \(kind in \(([^)]*)\)/.exec(sql)?.[1] ?? '';
    const severities = /severity text not null check \(severity in \(([^)]*)\)/.exec(sql)?.[1] ?? '';
    expect(quoted(kinds)).toEqual([...RECORD_KINDS]);
    expect(quoted(severities)).toEqual([...SEVERITIES]);
  });
});
