/**
 * Test certificates made with the openssl CLI: a CA, a server certificate for localhost / 127.0.0.1, a client
 * certificate the CA signed, and a client certificate of another CA (one the server does not trust).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificates {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** Certificate and key in one file (what HAProxy's `crt` takes). */
  serverPem: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate signed by a CA the server does not trust. */
  rogueCert: string;
  rogueKey: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir });
}

async function keyAndRequest(dir: string, name: string, subject: string): Promise<void> {
  await openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    subject,
  ]);
}

async function ca(dir: string, name: string, subject: string): Promise<void> {
  await openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-subj',
    subject,
  ]);
}

async function sign(dir: string, name: string, caName: string, extensions: string): Promise<void> {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${caName}.pem`,
    '-CAkey',
    `${caName}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
  ]);
}

export async function makeCertificates(): Promise<TestCertificates> {
  const dir = mkdtempSync(join(tmpdir(), 'woo-netsuite-certs-'));
  await ca(dir, 'ca', '/CN=woo-netsuite-sync test CA');
  await ca(dir, 'rogue-ca', '/CN=a CA nobody trusts');
  await keyAndRequest(dir, 'server', '/CN=localhost');
  await sign(dir, 'server', 'ca', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  await keyAndRequest(dir, 'client', '/CN=worker');
  await sign(dir, 'client', 'ca', 'extendedKeyUsage=clientAuth\n');
  await keyAndRequest(dir, 'rogue', '/CN=rogue worker');
  await sign(dir, 'rogue', 'rogue-ca', 'extendedKeyUsage=clientAuth\n');
  const path = (file: string): string => join(dir, file);
  writeFileSync(path('server-with-key.pem'), readFileSync(path('server.pem'), 'utf8') + readFileSync(path('server.key'), 'utf8'), { mode: 0o600 });
  return {
    dir,
    caCert: path('ca.pem'),
    serverCert: path('server.pem'),
    serverKey: path('server.key'),
    serverPem: path('server-with-key.pem'),
    clientCert: path('client.pem'),
    clientKey: path('client.key'),
    rogueCert: path('rogue.pem'),
    rogueKey: path('rogue.key'),
  };
}
