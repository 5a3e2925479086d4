/** The NetSuite private key: read from NS_<ENV>_PRIVATE_KEY or _PRIVATE_KEY_FILE, and checked against the JWT algorithm. */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { JwtAlgorithm } from '../netsuite/credentials';
import type { NetSuiteAccountSettings } from './netsuite-schema';

/** The key type and curve each algorithm needs. */
const KEY_TYPE_OF: Record<JwtAlgorithm, { types: string[]; curve?: string; described: string }> = {
  PS256: { types: ['rsa', 'rsa-pss'], described: 'an RSA key' },
  PS384: { types: ['rsa', 'rsa-pss'], described: 'an RSA key' },
  PS512: { types: ['rsa', 'rsa-pss'], described: 'an RSA key' },
  ES256: { types: ['ec'], curve: 'prime256v1', described: 'an EC P-256 key' },
  ES384: { types: ['ec'], curve: 'secp384r1', described: 'an EC P-384 key' },
  ES512: { types: ['ec'], curve: 'secp521r1', described: 'an EC P-521 key' },
};

const CURVE_NAMES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** Checks that `pem` is a PKCS#8 private key usable with `algorithm`. Never puts the key's text into a problem. */
export function checkPrivateKey(pem: string, source: string, algorithm: JwtAlgorithm, prefix: string, problems: string[]): boolean {
  const convert = 'convert it with `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem`';
  if (/-----BEGIN (RSA|EC) PRIVATE KEY-----/.test(pem)) {
    problems.push(`${source} holds a PKCS#1/SEC1 key (BEGIN RSA/EC PRIVATE KEY), not PKCS#8 (BEGIN PRIVATE KEY): ${convert}`);
    return false;
  }
  if (pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
    problems.push(`${source} holds an encrypted private key: give the unencrypted PKCS#8 key (${convert})`);
    return false;
  }
  if (/-----BEGIN (CERTIFICATE|PUBLIC KEY)-----/.test(pem)) {
    problems.push(`${source} holds a certificate or public key: upload that to NetSuite, and give the matching PKCS#8 private key (BEGIN PRIVATE KEY) here`);
    return false;
  }
  if (!/^-----BEGIN PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PRIVATE KEY-----$/.test(pem)) {
    problems.push(`${source} is not a PKCS#8 PEM private key: expected -----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY----- (${convert})`);
    return false;
  }
  let type: string | undefined;
  let curve: string | undefined;
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' });
    type = key.asymmetricKeyType;
    curve = key.asymmetricKeyDetails?.namedCurve;
  } catch {
    problems.push(`${source} looks like a PKCS#8 PEM but cannot be read as a private key (damaged or truncated): export it again`);
    return false;
  }
  const need = KEY_TYPE_OF[algorithm];
  if (type === undefined || !need.types.includes(type) || (need.curve !== undefined && curve !== need.curve)) {
    const held =
      type === 'ec'
        ? `an EC ${curve === undefined ? '' : `${CURVE_NAMES[curve] ?? curve} `}key`
        : type === 'rsa' || type === 'rsa-pss'
          ? 'an RSA key'
          : `a key of type ${type ?? 'unknown'}`;
    problems.push(
      `${prefix}JWT_ALGORITHM=${algorithm} needs ${need.described}, but ${source} holds ${held}: set ${prefix}JWT_ALGORITHM to match the key (PS256 for RSA, ES256/ES384/ES512 for EC P-256/P-384/P-521)`,
    );
    return false;
  }
  return true;
}

/** Reads the private key of an environment from its PRIVATE_KEY or PRIVATE_KEY_FILE (both already trimmed; blank = unset). */
export function readPrivateKey(
  account: Pick<Partial<NetSuiteAccountSettings>, 'PRIVATE_KEY' | 'PRIVATE_KEY_FILE'>,
  prefix: string,
  problems: string[],
): { pem: string; source: string } | undefined {
  const inline = account.PRIVATE_KEY;
  const file = account.PRIVATE_KEY_FILE;
  if (inline !== undefined && file !== undefined) {
    problems.push(`both ${prefix}PRIVATE_KEY and ${prefix}PRIVATE_KEY_FILE are set: keep one`);
    return undefined;
  }
  if (inline !== undefined) {
    const pem = !inline.includes('\n') && inline.includes('\\n') ? inline.replace(/\\n/g, '\n').trim() : inline;
    return { pem, source: `${prefix}PRIVATE_KEY` };
  }
  if (file !== undefined) {
    try {
      return { pem: readFileSync(file, 'utf8').trim(), source: `${prefix}PRIVATE_KEY_FILE=${file}` };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`${prefix}PRIVATE_KEY_FILE=${file} cannot be read (${code}): mount the key file there, or fix the path`);
      return undefined;
    }
  }
  return undefined;
}
