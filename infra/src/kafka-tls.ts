import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CertificateFailed } from './errors.ts';
import { KAFKA_TLS_DIR } from './paths.ts';
import { run } from './processes.ts';

/**
 * The local broker's TLS: a CA of this machine's platform, the broker's certificate signed by it (CN = the broker's
 * principal, for 127.0.0.1 and localhost), and client certificates for principals that use mTLS. Made with the
 * openssl command line, kept under .run/kafka/tls (keys 0600), renewed when within RENEW_DAYS of expiry.
 * Production brings its own CA and certificates (deploy/k8s).
 */
export interface BrokerTls {
  caFile: string;
  /** Certificate then PKCS#8 key, PEM: the broker's keystore (ssl.keystore.type=PEM). */
  keystoreFile: string;
}

const CA_DAYS = 3650;
const LEAF_DAYS = 397;
const RENEW_DAYS = 30;

const file = (name: string) => path.join(KAFKA_TLS_DIR, name);

function openssl(args: string[]): void {
  const result = run('openssl', args, { cwd: KAFKA_TLS_DIR });
  if (result.status !== 0) throw CertificateFailed(`openssl ${args[0]}`, result.output.trim());
}

function expiresSoon(certificateFile: string): boolean {
  if (!existsSync(certificateFile)) return true;
  const certificate = new X509Certificate(readFileSync(certificateFile));
  return Date.parse(certificate.validTo) - Date.now() < RENEW_DAYS * 86_400_000;
}

/** An EC P-256 key, PKCS#8, unencrypted (the file itself is 0600). */
function newKey(keyFile: string): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile]);
  chmodSync(keyFile, 0o600);
}

function ensureCa(): { renewed: boolean } {
  if (existsSync(file('ca.key')) && !expiresSoon(file('ca.crt'))) return { renewed: false };
  newKey(file('ca.key'));
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    file('ca.key'),
    '-days',
    String(CA_DAYS),
    '-subj',
    '/CN=credit-platform-local-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    file('ca.crt'),
  ]);
  return { renewed: true };
}

/** Signs a certificate for `commonName` with the local CA; `server` adds the loopback names. */
function issue(name: string, commonName: string, usage: 'server' | 'client'): void {
  const key = file(`${name}.key`);
  newKey(key);
  const extensions = file(`${name}.ext`);
  writeFileSync(
    extensions,
    usage === 'server'
      ? 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature\n'
      : 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n',
  );
  openssl(['req', '-new', '-key', key, '-subj', `/CN=${commonName}`, '-out', file(`${name}.csr`)]);
  openssl([
    'x509',
    '-req',
    '-in',
    file(`${name}.csr`),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    String(LEAF_DAYS),
    '-extfile',
    extensions,
    '-out',
    file(`${name}.crt`),
  ]);
}

/** The CA and the broker's certificate, made or renewed as needed. */
export function ensureBrokerTls(brokerPrincipal: string): BrokerTls & { renewed: boolean } {
  mkdirSync(KAFKA_TLS_DIR, { recursive: true, mode: 0o700 });
  const ca = ensureCa();
  const keystoreFile = file('broker-keystore.pem');
  const renewed = ca.renewed || expiresSoon(file('broker.crt')) || !existsSync(keystoreFile);
  if (renewed) {
    issue('broker', brokerPrincipal, 'server');
    writeFileSync(
      keystoreFile,
      readFileSync(file('broker.crt'), 'utf8') + readFileSync(file('broker.key'), 'utf8'),
      {
        mode: 0o600,
      },
    );
  }
  return { caFile: file('ca.crt'), keystoreFile, renewed };
}

/** The local CA's certificate (PEM file), which every client trusts. */
export function caFile(): string {
  return file('ca.crt');
}

/**
 * A client certificate for `principal` (its CN), signed by the local CA: the mTLS alternative to a password.
 * Returns the certificate and key files.
 */
export function issueClientCertificate(principal: string): { certFile: string; keyFile: string } {
  if (!/^[a-z][a-z0-9.-]*$/.test(principal))
    throw CertificateFailed('client certificate', `bad principal ${principal}`);
  mkdirSync(KAFKA_TLS_DIR, { recursive: true, mode: 0o700 });
  ensureCa();
  const name = `client-${principal}`;
  if (expiresSoon(file(`${name}.crt`))) issue(name, principal, 'client');
  return { certFile: file(`${name}.crt`), keyFile: file(`${name}.key`) };
}
