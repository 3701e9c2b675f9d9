import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AggregatorHarness,
  naturalPersonRecord,
  startAggregatorHarness,
} from '@credit/aggregator/testing';
import type { Department } from '@credit/catalogue';
import { makeResidentId, tokeniseResidentId } from '@credit/identifiers';
import { demoSubjects } from '@credit/sample-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'credit.js');

let h: AggregatorHarness;
let court: Department;

beforeAll(async () => {
  h = await startAggregatorHarness({ start: false });
  court = h.catalogue.department('intermediate-court')!;
  await h.ingestTopic(court.code);
  await h.aggregator.start();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** Runs `credit <args>` with `stdin`, against the harness's database and token key. */
function credit(args: string[], stdin = ''): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: {
        ...process.env,
        DATABASE_URL: h.database.url,
        SUBJECT_TOKEN_KEY: h.keys.tokenKey.toString('hex'),
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** `credit erase-person` with a fixed basis and operator, then `extra` arguments. */
function erase(extra: string[], stdin?: string) {
  return credit(['erase-person', '--basis', 'b', '--operator', 'o', ...extra], stdin);
}

async function reportPerson(number: string, name: string): Promise<string> {
  await h.report(court, [
    naturalPersonRecord(h.catalogue, {
      kind: 'dishonest-judgment-debtor',
      department: court,
      person: { number, name },
      id: `cli-erase-${Date.now()}`,
      daysAgo: 5,
    }),
  ]);
  const token = tokeniseResidentId(number, h.keys.tokenKey);
  await h.waitFor(`select 1 from records where subject_code = '${token}'`, (rows) => rows.length === 1);
  return token;
}

describe('credit erase-person', () => {
  it('erases the person whose number comes on stdin, prints the summary and never the number', async () => {
    const number = makeResidentId({ division: '350102', birthDate: '1968-12-01', sequence: 727 });
    const token = await reportPerson(number, '孙某');

    const run = await credit(
      ['erase-person', '--basis', 'PIPL art. 47; request 2026-7', '--operator', 'ops-zhou'],
      `${number}\n`,
    );
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ erased: true, subjectCode: token, records: 1, names: 1 });
    expect(summary.tombstoneId).toMatch(/^\d+$/);
    expect(Date.parse(summary.erasedAt)).not.toBeNaN();
    expect(`${run.stdout}${run.stderr}`).not.toContain(number);
    const { rows } = await h.pool.query('select 1 from subjects where code = $1', [token]);
    expect(rows).toHaveLength(0);

    // Again, by token: already erased, with the first erasure's date, exit status 1.
    const again = await credit([
      'erase-person',
      '--basis',
      'PIPL art. 47',
      '--operator',
      'ops',
      '--token',
      token,
    ]);
    expect(again.status).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({
      erased: false,
      code: 'AGG_ERASE_ALREADY_ERASED',
      tombstoneId: summary.tombstoneId,
      erasedAt: summary.erasedAt,
    });
  }, 60_000);

  it('refuses an organisation’s code, an unknown token, a number given as --token and an invalid number', async () => {
    // An organisation is never erased: its USCC is not a subject token. (erasePerson refuses one by kind too.)
    const company = await erase(['--token', demoSubjects(1)[0]!.code]);
    expect(company.status).not.toBe(0);
    expect(company.stderr).toContain('subject token');
    const unknown = await erase(['--token', `p_${'a'.repeat(26)}`]);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ erased: false, code: 'AGG_ERASE_UNKNOWN_SUBJECT' });

    const number = makeResidentId({ division: '350102', birthDate: '1990-01-01', sequence: 5 });
    const asToken = await erase(['--token', number]);
    expect(asToken.status).not.toBe(0);
    expect(`${asToken.stdout}${asToken.stderr}`).not.toContain(number);
    expect(asToken.stderr).toContain('subject token');

    const wrong = `${number.slice(0, 17)}${number.endsWith('0') ? '1' : '0'}`;
    const invalid = await erase([], `${wrong}\n`);
    expect(invalid.status).toBe(1);
    expect(`${invalid.stdout}${invalid.stderr}`).not.toContain(wrong);
    expect(invalid.stderr).toContain('no valid resident identity number');
  }, 60_000);
});
