import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type DeadLetterLine,
  deadLetterTable,
  dlqCommand,
  listPath,
  replayBody,
} from '../src/dlq-command.ts';

const line: DeadLetterLine = {
  id: '12',
  department: 'market-regulation',
  reasonCode: 'CREDIT_INVALID_USCC',
  reason: 'subject.code is not valid',
  service: 'aggregator',
  source: { topic: 'credit.ingest.market-regulation', partition: 0, offset: '41' },
  value: { bytes: 120 },
  deadAt: '2026-11-30T02:00:00.000Z',
  replayed: null,
};

let server: Server;
let url: string;
const requests: { method?: string; url?: string; authorization?: string; body: string }[] = [];

async function read(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return body;
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = await read(request);
    requests.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.authorization,
      body,
    });
    response.setHeader('content-type', 'application/json');
    if (request.url?.startsWith('/v1/dlq/replay')) {
      const parsed = JSON.parse(body);
      if (parsed.reason === 'REFUSE') {
        response.statusCode = 400;
        response.end(JSON.stringify({ error: { code: 'OPS_DLQ_INVALID_PARAMETER', message: 'no' } }));
        return;
      }
      response.end(
        JSON.stringify({
          dryRun: parsed.dryRun === true,
          matched: 3,
          replayed: 2,
          skippedAlreadyReplayed: 1,
          skippedNoSource: 0,
          remaining: 0,
          byTopic: { 'credit.ingest.market-regulation': 2 },
        }),
      );
      return;
    }
    response.end(JSON.stringify({ deadLetters: [line], nextBefore: null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function run(...args: string[]): Promise<string> {
  const program = new Command('credit').exitOverride();
  dlqCommand(program);
  const out: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['node', 'credit', 'dlq', ...args, '--url', url]);
  } finally {
    write.mockRestore();
  }
  return out.join('');
}

describe('credit dlq', () => {
  it('lists by department and reason as a table without values', async () => {
    const out = await run('list', '--department', 'market-regulation', '--reason', 'CREDIT_INVALID_USCC');
    expect(requests.at(-1)?.url).toBe(
      '/v1/dlq?department=market-regulation&reason=CREDIT_INVALID_USCC&limit=50',
    );
    expect(out.split('\n')[0]).toMatch(/^ID\s+DEAD AT\s+DEPARTMENT\s+REASON/);
    expect(out).toContain('credit.ingest.market-regulation/0/41');
    expect(out).toContain('2026-11-30 02:00:00');
  });

  it('replays with a dry run and prints the counts', async () => {
    const out = await run('replay', '--department', 'market-regulation', '--reason', 'X', '--dry-run');
    expect(JSON.parse(requests.at(-1)?.body ?? '')).toEqual({
      department: 'market-regulation',
      reason: 'X',
      dryRun: true,
    });
    expect(out).toContain('would replay 2 of 3 matching dead letters');
    expect(out).toContain('to credit.ingest.market-regulation: 2');
  });

  it('refuses a replay without a filter before calling, and reports the ops monitor’s coded refusal', async () => {
    const before = requests.length;
    await expect(run('replay')).rejects.toThrow('replaying everything needs --all');
    expect(requests.length).toBe(before);
    await expect(run('replay', '--reason', 'REFUSE')).rejects.toThrow('400 OPS_DLQ_INVALID_PARAMETER');
  });

  it('builds paths and bodies', () => {
    expect(listPath({})).toBe('/v1/dlq');
    expect(listPath({ replayed: false, before: '9' })).toBe('/v1/dlq?replayed=false&before=9');
    expect(replayBody({ all: true })).toEqual({ all: true });
    expect(deadLetterTable([{ ...line, department: null, source: null, value: null }])).toContain(' -  ');
  });
});
