import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { makeResidentId } from '@credit/identifiers';
import { describe, expect, it } from 'vitest';
import { checkIdentifiers } from '../src/id-check.ts';

async function run(text: string, options = {}) {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (chunk) => chunks.push(String(chunk)));
  const summary = await checkIdentifiers(Readable.from([text]), output, options);
  const lines = chunks
    .join('')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  return { summary, lines };
}

const person = makeResidentId({ division: '110101', birthDate: '1990-03-07', sequence: 457 });

describe('credit id check', () => {
  it('writes one JSON line per code with the normalised code, validity, kind and reason', async () => {
    const { summary, lines } = await run(
      `91350100M000100Y43\n\n９１３５０１００ｍ０００１００ｙ４３\n91350100M000100Y4X\n`,
    );
    expect(summary).toEqual({ checked: 3, valid: 2, invalid: 1 });
    expect(lines[0]).toMatchObject({
      line: 1,
      type: 'uscc',
      valid: true,
      code: '91350100M000100Y43',
      kind: 'enterprise',
    });
    expect(lines[1]).toMatchObject({ line: 3, type: 'uscc', valid: true, code: '91350100M000100Y43' });
    expect(lines[2]).toMatchObject({
      line: 4,
      type: 'uscc',
      valid: false,
      reason: { code: 'USCC_CHECK_CHARACTER', message: expect.stringContaining("'3'") },
    });
  });

  it('never writes a resident identity number in clear, and adds its token only with a key', async () => {
    const key = Buffer.alloc(32, 7);
    const { lines } = await run(`${person}\n`, { tokenKey: key });
    const text = JSON.stringify(lines);
    expect(text).not.toContain(person);
    expect(lines[0]).toMatchObject({
      type: 'resident_id',
      valid: true,
      maskedNumber: `**************${person.slice(-4)}`,
    });
    expect(lines[0].token).toMatch(/^p_[a-z2-7]{26}$/);
    const withoutKey = await run(`${person}\n`);
    expect(withoutKey.lines[0].token).toBeUndefined();
  });

  it('says what was expected for something that is no identifier at all', async () => {
    const { lines } = await run('hello\n');
    expect(lines[0]).toMatchObject({ type: 'unknown', valid: false, reason: { code: 'UNKNOWN_FORMAT' } });
    expect(JSON.stringify(lines[0])).not.toContain('hello');
  });

  it('runs as the credit command, reading stdin and exiting 1 with --strict when a code is invalid', () => {
    const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'credit.js');
    const ok = execFileSync(process.execPath, [bin, 'id', 'check'], {
      input: '91350100M000100Y43\n',
      encoding: 'utf8',
    });
    expect(JSON.parse(ok)).toMatchObject({ valid: true, kind: 'enterprise' });
    let status = 0;
    try {
      execFileSync(process.execPath, [bin, 'id', 'check', '--strict'], { input: 'X\n', stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(1);
  });
});
