import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { loadCatalogue } from '@credit/catalogue';
import { uniqueName } from '@credit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentOf, envelopeOf, type Harness, startHarness, wire } from './gateway-harness.ts';

/** A CA, a server certificate for 127.0.0.1, and client certificates, made with openssl for this test only. */
function makeCertificates(departmentCode: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mtls-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ca = (name: string) =>
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
    );
  const signed = (name: string, cn: string, issuer: string, extension?: string) => {
    run(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${cn}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    );
    const ext = extension ? ['-extfile', extension] : [];
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${issuer}.crt`,
      '-CAkey',
      `${issuer}.key`,
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      `${name}.crt`,
      ...ext,
    );
  };
  ca('platform-ca');
  ca('other-ca');
  execFileSync('sh', ['-c', 'printf "subjectAltName=IP:127.0.0.1\\n" > server.ext'], { cwd: dir });
  signed('server', '127.0.0.1', 'platform-ca', 'server.ext');
  signed('department', departmentCode, 'platform-ca');
  signed('stranger', departmentCode, 'other-ca');
  signed('unknown', 'no-such-department', 'platform-ca');
  const read = (file: string) => readFileSync(path.join(dir, file));
  return { read };
}

let h: Harness;
let url: URL;
let certs: ReturnType<typeof makeCertificates>;

beforeAll(async () => {
  certs = makeCertificates(departmentOf(loadCatalogue(), 'administrative-penalty').code);
  h = await startHarness({
    https: {
      key: certs.read('server.key'),
      cert: certs.read('server.crt'),
      ca: certs.read('platform-ca.crt'),
      requestCert: true,
      rejectUnauthorized: false,
    },
  });
  url = new URL(await h.app.listen({ host: '127.0.0.1', port: 0 }));
});
afterAll(() => h.close());

function post(
  client: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { status?: string; error?: { code: string } } }> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: '127.0.0.1',
        port: url.port,
        path: '/v1/records',
        method: 'POST',
        ca: certs.read('platform-ca.crt'),
        ...(client ? { key: certs.read(`${client}.key`), cert: certs.read(`${client}.crt`) } : {}),
        headers: { 'content-type': 'application/json', ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

const penalty = () =>
  wire('administrative-penalty', (record) => {
    envelopeOf(record).sourceRecordId = uniqueName('MTLS');
  });

describe('client certificates (mTLS)', () => {
  it('authenticates a department by a certificate from the platform CA whose CN is its code', async () => {
    const answer = await post('department', penalty());
    expect(answer.status).toBe(202);
    expect(answer.body.status).toBe('accepted');
  });

  it('ignores a certificate from another CA and asks for a credential', async () => {
    const answer = await post('stranger', penalty());
    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toBe('AUTH_REQUIRED');
  });

  it('refuses a valid certificate naming no catalogue department', async () => {
    const answer = await post('unknown', penalty());
    expect(answer.status).toBe(403);
    expect(answer.body.error?.code).toBe('AUTH_UNKNOWN_DEPARTMENT');
  });

  it('still accepts an API key over HTTPS when no client certificate is presented', async () => {
    expect((await post(undefined, penalty())).status).toBe(401);
    const key = await h.keyFor(departmentOf(h.catalogue, 'administrative-penalty').code);
    const answer = await post(undefined, penalty(), { authorization: `Bearer ${key}` });
    expect(answer.status).toBe(202);
  });
});
