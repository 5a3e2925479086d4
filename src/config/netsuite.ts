/**
 * The NetSuite side of a process: loadNetSuiteSettings (the worker: credentials, concurrency, limiter, timeout) and
 * checkNetSuiteEnvironment (the receiver: the sandbox/production guard alone, without the key). Both run the one
 * guard, resolveNetSuiteAccount (./netsuite-guard.ts); the variables are declared in ./netsuite-schema.ts.
 */
import type { NetSuiteCredentials } from '../netsuite/credentials';
import { ConfigError, configError, displayUrl, envString, processEnv } from './env';
import { resolveNetSuiteAccount, type RequiredAccountField } from './netsuite-guard';
import { checkPrivateKey, readPrivateKey } from './netsuite-key';
import type { NetSuiteEnvironment, SharedNetSuiteSettings } from './netsuite-schema';

/** What the NetSuite side of the worker needs, produced by loadNetSuiteSettings after the environment guard passed. */
export interface NetSuiteSettings {
  /** The account, host and key of the declared environment (NETSUITE_ENVIRONMENT and its NS_SANDBOX_* or NS_PROD_*). */
  credentials: NetSuiteCredentials;
  /**
   * Concurrent NetSuite requests this integration may make, cluster-wide: max(1, floor(limit × share)), from
   * NETSUITE_ACCOUNT_CONCURRENCY and NETSUITE_CONCURRENCY_SHARE.
   */
  permits: number;
  /**
   * How the cap is enforced (NETSUITE_LIMITER, NETSUITE_LIMITER_URL): PostgreSQL advisory locks (all replicas) or an
   * in-process semaphore (one replica). `key` names the lock space, limiters with the same key share the permits
   * (NETSUITE_LIMITER_KEY; createLimiter's own fallback is 'woo-netsuite-sync').
   */
  limiter: { kind: 'postgres'; url: string; key?: string } | { kind: 'process' };
  /** Timeout of one NetSuite HTTP request, in ms (NETSUITE_REQUEST_TIMEOUT_SECONDS × 1000). */
  requestTimeoutMs: number;
  /** Accepted but unusual settings (a custom host, a process limiter in production): log them at boot. */
  warnings: string[];
}

/** What the environment guard alone establishes: where this deployment writes. */
export interface NetSuiteEnvironmentCheck {
  environment: NetSuiteEnvironment;
  accountId: string;
  baseUrl: string;
  warnings: string[];
}

/**
 * The sandbox/production guard without the credentials: NETSUITE_ENVIRONMENT, NS_<ENV>_ACCOUNT_ID and NS_<ENV>_BASE_URL
 * must agree. For processes that never call NetSuite (the webhook receiver), so they refuse a cross-wired deployment
 * without holding the private key. Throws ConfigError naming every mismatch.
 */
export function checkNetSuiteEnvironment(env: NodeJS.ProcessEnv = processEnv()): NetSuiteEnvironmentCheck {
  const { environment, accountId, baseUrl, problems, warnings } = resolveNetSuiteAccount(env, ['ACCOUNT_ID']);
  if (environment === undefined) throw configError('NetSuite environment refused', problems);
  if (problems.length > 0 || !accountId || !baseUrl) throw configError(`NetSuite environment refused (NETSUITE_ENVIRONMENT=${environment})`, problems);
  return { environment, accountId, baseUrl, warnings };
}

/** The account variables the worker needs (besides the optional BASE_URL, JWT_ALGORITHM and SCOPE). */
const REQUIRED_ACCOUNT_FIELDS: readonly RequiredAccountField[] = ['ACCOUNT_ID', 'CLIENT_ID', 'CERTIFICATE_ID', 'PRIVATE_KEY'];

/**
 * Reads NETSUITE_ENVIRONMENT and the NS_<ENV>_* settings of that environment only, and runs the guard
 * (resolveNetSuiteAccount); then the private key is a PKCS#8 PEM matching the JWT algorithm, and production runs a
 * PostgreSQL limiter unless NETSUITE_LIMITER=process is explicit. Throws ConfigError naming every problem.
 */
export function loadNetSuiteSettings(env: NodeJS.ProcessEnv = processEnv()): NetSuiteSettings {
  const resolved = resolveNetSuiteAccount(env, REQUIRED_ACCOUNT_FIELDS);
  const { shared, environment, prefix, account, accountId, baseUrl, problems, warnings } = resolved;
  if (environment === undefined || prefix === undefined) {
    checkLimiter(env, shared, undefined, undefined, problems, warnings);
    throw configError('NetSuite settings refused', problems);
  }
  problems.push(...resolved.accountProblems);
  const algorithm = account.JWT_ALGORITHM;
  const key = readPrivateKey(account, prefix, problems);
  const keyOk = key !== undefined && algorithm !== undefined && checkPrivateKey(key.pem, key.source, algorithm, prefix, problems);

  const limiter = checkLimiter(env, shared, environment, accountId, problems, warnings);

  if (problems.length > 0) throw configError(`NetSuite settings refused (NETSUITE_ENVIRONMENT=${environment})`, problems);
  const { CLIENT_ID: clientId, CERTIFICATE_ID: certificateId, SCOPE: scope } = account;
  const { NETSUITE_ACCOUNT_CONCURRENCY: limit, NETSUITE_CONCURRENCY_SHARE: share, NETSUITE_REQUEST_TIMEOUT_SECONDS: timeout } = shared;
  if (!accountId || !baseUrl || !algorithm || !key || !keyOk || !limiter || !clientId || !certificateId || !scope || !limit || !share || !timeout) {
    // Unreachable: every undefined above pushed a problem.
    throw new ConfigError('NetSuite settings refused');
  }
  // + 1e-9: 0.29 × 100 is 28.999999999999996 in binary floating point.
  const permits = Math.max(1, Math.floor(limit * share + 1e-9));
  return {
    credentials: { environment, accountId, baseUrl, clientId, certificateId, privateKeyPem: key.pem, algorithm, scope },
    permits,
    limiter,
    requestTimeoutMs: Math.round(timeout * 1000),
    warnings,
  };
}

/** Checks the limiter settings; returns the limiter or undefined. */
function checkLimiter(
  env: NodeJS.ProcessEnv,
  shared: Partial<SharedNetSuiteSettings>,
  environment: NetSuiteEnvironment | undefined,
  accountId: string | undefined,
  problems: string[],
  warnings: string[],
): NetSuiteSettings['limiter'] | undefined {
  // An invalid NETSUITE_LIMITER was reported already.
  if (envString(env, 'NETSUITE_LIMITER') !== undefined && shared.NETSUITE_LIMITER === undefined) return undefined;
  const url = shared.NETSUITE_LIMITER_URL;
  if (url !== undefined) {
    let valid: boolean;
    try {
      const parsed = new URL(url);
      valid = (parsed.protocol === 'postgres:' || parsed.protocol === 'postgresql:') && parsed.hostname !== '';
    } catch {
      valid = false;
    }
    if (!valid) {
      problems.push(`NETSUITE_LIMITER_URL=${displayUrl(url)} is not a postgres:// URL: e.g. postgres://user:password@db:5432/woo_netsuite_sync`);
      return undefined;
    }
  }
  const kind = shared.NETSUITE_LIMITER ?? (url !== undefined ? 'postgres' : 'process');
  if (kind === 'postgres') {
    if (url === undefined) {
      problems.push('NETSUITE_LIMITER=postgres but NETSUITE_LIMITER_URL is not set: set it to the postgres:// URL whose advisory locks cap all replicas');
      return undefined;
    }
    return { kind: 'postgres', url, key: shared.NETSUITE_LIMITER_KEY ?? `woo-netsuite-sync:${accountId ?? 'unknown'}` };
  }
  if (environment === 'production' && shared.NETSUITE_LIMITER === undefined) {
    problems.push(
      'NETSUITE_ENVIRONMENT=production without NETSUITE_LIMITER_URL: a process limiter cannot cap several worker replicas; set NETSUITE_LIMITER_URL=postgres://… (or NETSUITE_LIMITER=process if exactly one replica ever runs)',
    );
    return undefined;
  }
  if (url !== undefined) warnings.push('NETSUITE_LIMITER=process: NETSUITE_LIMITER_URL is ignored');
  if (environment === 'production') {
    warnings.push('NETSUITE_LIMITER=process in production: the concurrency cap holds per process only; run exactly one worker replica');
  }
  return { kind: 'process' };
}
