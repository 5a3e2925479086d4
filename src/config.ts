/**
 * The worker's and the CLI's settings, read from the environment and validated with zod. Every field is documented
 * where it is declared; an invalid setting stops the process with a message naming the variable.
 *
 * Sections: every process (log level, shutdown grace); NetSuite with the sandbox/production environment guard;
 * WooCommerce stores; the webhook receiver; the mapping file. The Temporal connection is src/temporal-connection.ts.
 * Secrets (private keys, consumer secrets, webhook secrets, database passwords) are never echoed in a ConfigError.
 */
import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { ORDERS_TASK_QUEUE } from './api';
import type { AlertSettings } from './alerts';
import { DEFAULT_FIXTURE_FILE } from './drift/fixture';
import type { JwtAlgorithm, NetSuiteCredentials } from './netsuite/credentials';

/** Every process's own settings. The Temporal connection (TEMPORAL_ADDRESS, …) is read by src/temporal-connection.ts. */
export const processSettingsSchema = z.object({
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info').describe('Log level. Default info.'),
  WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(30)
    .describe('On SIGTERM, how long in-flight activities may run before the worker stops. Default 30 s.'),
});

export type ProcessSettings = z.infer<typeof processSettingsSchema>;

/** Thrown when settings are missing or invalid; the message names every offending variable. */
export class ConfigError extends Error {
  /** Every problem found, one sentence each (the message joins them). Default: `[message]`. */
  readonly problems: readonly string[];

  constructor(message: string, problems?: readonly string[]) {
    super(message);
    this.name = 'ConfigError';
    this.problems = problems ?? [message];
  }
}

/** Validates `env` against `schema`; throws a ConfigError ("invalid <what> — …") naming every offending variable. */
export function parseSettings<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env, what = 'settings'): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`invalid ${what} — ${problems.join('; ')}`, problems);
}

/** Reads the process settings (processSettingsSchema). */
export const loadProcessSettings = (env: NodeJS.ProcessEnv = process.env): ProcessSettings => parseSettings(processSettingsSchema, env);

/** One ConfigError listing every problem, numbered, one per line. */
function configError(title: string, problems: readonly string[]): ConfigError {
  const lines = problems.map((problem, index) => `  ${index + 1}. ${problem}`);
  return new ConfigError(`${title}:\n${lines.join('\n')}`, problems);
}

/** A variable's value, trimmed; a blank value counts as unset. */
function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** An env value for zod: trimmed, blank → undefined (so defaults apply). */
export const envValue = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim()) : value), schema);

/** `true|false|1|0|yes|no`, any case. (`z.coerce.boolean()` would read "false" as true.) */
const envBoolean = () =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'set it to true or false' })
      .transform((value) => value === 'true' || value === '1' || value === 'yes'),
  );

/** A URL for messages: user name and password removed. */
export function displayUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.username || url.password) {
      url.username = '';
      url.password = '';
      return url.toString().replace('//', '//***@');
    }
    return raw;
  } catch {
    return raw.replace(/\/\/[^@/]*@/, '//***@');
  }
}

// ─── NetSuite ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** The environments a worker may declare. */
export const NETSUITE_ENVIRONMENTS = ['sandbox', 'production'] as const;
/** A declared NetSuite environment. */
export type NetSuiteEnvironment = (typeof NETSUITE_ENVIRONMENTS)[number];

/** Prefix of each environment's account variables: `NS_SANDBOX_*` and `NS_PROD_*`. */
export const NETSUITE_ENV_PREFIX: Readonly<Record<NetSuiteEnvironment, string>> = { sandbox: 'NS_SANDBOX_', production: 'NS_PROD_' };

/** The JWT algorithms NetSuite accepts for client-credentials assertions (RS256 is not among them). */
export const NETSUITE_JWT_ALGORITHMS = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const satisfies readonly JwtAlgorithm[];

const WHOLE_LIMIT = 'set the account-wide limit, a whole number ≥ 1 (5 standard, 15 premium, 20 enterprise, +10 per SuiteCloud Plus licence)';
const SHARE_RULE = "set this integration's share of the account limit, a number with 0 < share ≤ 1 (e.g. 0.6)";
const TIMEOUT_RULE = 'set a number of seconds > 0';

/** Settings shared by both environments (zod over env). */
export const netsuiteSettingsSchema = z.object({
  NETSUITE_ENVIRONMENT: envValue(
    z.enum(NETSUITE_ENVIRONMENTS, { error: 'set it to sandbox or production (a worker must declare which NetSuite account it writes to)' }),
  ).describe('sandbox | production: which NetSuite account this worker writes to. Required, no default; selects NS_SANDBOX_* or NS_PROD_*.'),
  NETSUITE_ALLOW_CUSTOM_HOST: envBoolean()
    .default(false)
    .describe('Allow a base URL whose host is not *.netsuite.com (a simulator, a proxy); a warning is reported. Default false.'),
  NETSUITE_ACCOUNT_CONCURRENCY: envValue(
    z.coerce.number({ error: WHOLE_LIMIT }).int({ error: WHOLE_LIMIT }).min(1, { error: WHOLE_LIMIT }).default(5),
  ).describe("The NetSuite account's concurrency limit, shared by REST, SOAP and RESTlets. Default 5."),
  NETSUITE_CONCURRENCY_SHARE: envValue(z.coerce.number({ error: SHARE_RULE }).gt(0, { error: SHARE_RULE }).lte(1, { error: SHARE_RULE }).default(1)).describe(
    "This integration's share of the account limit (0 < share ≤ 1); permits = max(1, floor(limit × share)). Default 1.",
  ),
  NETSUITE_LIMITER_URL: envValue(z.string().optional()).describe(
    'postgres:// URL of the database whose advisory locks cap NetSuite concurrency across all worker replicas. Default unset.',
  ),
  NETSUITE_LIMITER_KEY: envValue(z.string().min(1).optional()).describe(
    'Names the lock space of the PostgreSQL limiter: deployments with the same key share the permits. Give each integration on one account its own key. Default woo-netsuite-sync:<account ID>.',
  ),
  NETSUITE_LIMITER: envValue(z.enum(['postgres', 'process'], { error: 'set it to postgres or process' }).optional()).describe(
    'postgres | process. Default: postgres when NETSUITE_LIMITER_URL is set, else process (refused in production unless explicit).',
  ),
  NETSUITE_REQUEST_TIMEOUT_SECONDS: envValue(z.coerce.number({ error: TIMEOUT_RULE }).gt(0, { error: TIMEOUT_RULE }).default(60)).describe(
    'Timeout of one NetSuite HTTP request, in seconds. Default 60.',
  ),
});

type SharedNetSuiteSettings = z.infer<typeof netsuiteSettingsSchema>;

/** Parses each shared setting on its own, so one bad value does not hide the others' problems. */
function parseSharedNetSuiteSettings(env: NodeJS.ProcessEnv, problems: string[]): Partial<SharedNetSuiteSettings> {
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(netsuiteSettingsSchema.shape)) {
    const result = (schema as z.ZodType).safeParse(env[name]);
    if (result.success) {
      values[name] = result.data;
      continue;
    }
    const raw = read(env, name);
    const shown = raw === undefined ? undefined : name === 'NETSUITE_LIMITER_URL' ? displayUrl(raw) : raw;
    const rule = result.error.issues[0]?.message ?? 'invalid';
    problems.push(shown === undefined ? `${name} is not set: ${rule}` : `${name}=${shown} is invalid: ${rule}`);
  }
  return values as Partial<SharedNetSuiteSettings>;
}

/**
 * One environment's account variables, without their prefix (`NS_SANDBOX_` or `NS_PROD_`). Documentation and
 * defaults; the environment guard (loadNetSuiteSettings) checks what the values mean.
 */
export const netsuiteAccountSettingsSchema = z.object({
  ACCOUNT_ID: z
    .string()
    .optional()
    .describe('Account ID as NetSuite spells it: 1234567 (production), 1234567_SB1 (sandbox), 1234567_RP1 (release preview). Required.'),
  BASE_URL: z
    .string()
    .optional()
    .describe('Origin of the account, e.g. https://1234567-sb1.suitetalk.api.netsuite.com. Default derived from the account ID (lower-case, _ → -).'),
  CLIENT_ID: z.string().optional().describe('Client ID of the integration record (JWT iss). Required.'),
  CERTIFICATE_ID: z.string().optional().describe('Certificate ID of the OAuth 2.0 client-credentials mapping (JWT kid). Required.'),
  PRIVATE_KEY: z
    .string()
    .optional()
    .describe('PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----); literal \\n sequences are read as newlines. This or PRIVATE_KEY_FILE.'),
  PRIVATE_KEY_FILE: z.string().optional().describe('Path of a file holding the PKCS#8 PEM private key. This or PRIVATE_KEY.'),
  JWT_ALGORITHM: z
    .enum(NETSUITE_JWT_ALGORITHMS)
    .default('PS256')
    .describe('JWT signing algorithm: PS256|PS384|PS512 (RSA key) or ES256|ES384|ES512 (EC key). Default PS256.'),
  SCOPE: z.string().min(1).default('rest_webservices').describe('OAuth scope(s), comma-separated. Default rest_webservices.'),
});

/** What the NetSuite side of the worker needs, produced by loadNetSuiteSettings after the environment guard passed. */
export interface NetSuiteSettings {
  /** The account, host and key of the declared environment. */
  credentials: NetSuiteCredentials;
  /** Concurrent NetSuite requests this integration may make, cluster-wide: max(1, floor(limit × share)). Default 5. */
  permits: number;
  /**
   * How the cap is enforced: PostgreSQL advisory locks (all replicas) or an in-process semaphore (one replica).
   * `key` names the lock space: limiters with the same key share the permits. Default (createLimiter) 'woo-netsuite-sync';
   * loadNetSuiteSettings sets NETSUITE_LIMITER_KEY, default `woo-netsuite-sync:<accountId>` (one cap per NetSuite account).
   */
  limiter: { kind: 'postgres'; url: string; key?: string } | { kind: 'process' };
  /** Timeout of one NetSuite HTTP request, in ms. Default 60000. */
  requestTimeoutMs: number;
  /** Accepted but unusual settings (a custom host, a process limiter in production): log them at boot. */
  warnings: string[];
}

/** The variables an environment's account needs (besides one of PRIVATE_KEY / PRIVATE_KEY_FILE). */
const REQUIRED_ACCOUNT_FIELDS = ['ACCOUNT_ID', 'CLIENT_ID', 'CERTIFICATE_ID'] as const;

/** Whether any NS_<ENV>_* variable is set. */
function hasAnyAccountVariable(env: NodeJS.ProcessEnv, environment: NetSuiteEnvironment): boolean {
  const prefix = NETSUITE_ENV_PREFIX[environment];
  return Object.keys(env).some((name) => name.startsWith(prefix) && read(env, name) !== undefined);
}

/** The host label NetSuite uses for an account: lower-case, `_` → `-` (`1234567_SB1` → `1234567-sb1`). */
export function netsuiteHostLabel(accountId: string): string {
  return accountId.toLowerCase().replace(/_/g, '-');
}

/** The default base URL of an account: `https://<label>.suitetalk.api.netsuite.com`. */
export function defaultNetSuiteBaseUrl(accountId: string): string {
  return `https://${netsuiteHostLabel(accountId)}.suitetalk.api.netsuite.com`;
}

/** What kind of account an ID (or a host label) names. */
type AccountKind = 'production' | 'sandbox' | 'release-preview';

function accountKindOfLabel(label: string): AccountKind | undefined {
  if (/^\d+$/.test(label)) return 'production';
  if (/^\d+[-_]sb\d+$/i.test(label)) return 'sandbox';
  if (/^\d+[-_]rp\d+$/i.test(label)) return 'release-preview';
  return undefined;
}

/** Checks the account ID's spelling and that it belongs to the declared environment. */
function checkAccountId(accountId: string, environment: NetSuiteEnvironment, prefix: string, problems: string[]): boolean {
  const variable = `${prefix}ACCOUNT_ID`;
  if (!/^\d+(_(SB|RP)\d+)?$/.test(accountId)) {
    if (/^\d+_(sb|rp)\d+$/i.test(accountId)) {
      problems.push(
        `${variable}=${accountId} must be spelled with an upper-case suffix (${accountId.toUpperCase()}): NetSuite answers INVALID_LOGIN for a lower-case _sb/_rp account ID`,
      );
    } else {
      problems.push(
        `${variable}=${accountId} is not a NetSuite account ID: expected digits, plus _SB<n> for a sandbox or _RP<n> for a release preview (e.g. 1234567 or 1234567_SB1; copy it from Setup > Company > Company Information)`,
      );
    }
    return false;
  }
  const kind = accountKindOfLabel(accountId);
  if (environment === 'production' && kind !== 'production') {
    problems.push(
      `${variable}=${accountId} is a ${kind === 'sandbox' ? 'sandbox' : 'release preview'} account, but NETSUITE_ENVIRONMENT=production: set ${variable} to the production account ID (no _SB/_RP suffix), or set NETSUITE_ENVIRONMENT=sandbox and use NS_SANDBOX_* settings`,
    );
    return false;
  }
  if (environment === 'sandbox' && kind === 'production') {
    problems.push(
      `${variable}=${accountId} is a production account (no _SB<n> suffix), but NETSUITE_ENVIRONMENT=sandbox: set ${variable} to the sandbox account ID (e.g. ${accountId}_SB1), or set NETSUITE_ENVIRONMENT=production and use NS_PROD_* settings`,
    );
    return false;
  }
  return true;
}

/**
 * Checks the base URL and returns it normalised (origin plus any path, without a trailing slash), or undefined.
 * `accountId` is undefined when the account ID was refused (then the host label cannot be compared).
 */
function checkBaseUrl(
  raw: string,
  accountId: string | undefined,
  environment: NetSuiteEnvironment,
  prefix: string,
  allowCustomHost: boolean,
  problems: string[],
  warnings: string[],
): string | undefined {
  const variable = `${prefix}BASE_URL`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${variable}=${displayUrl(raw)} is not a URL: give the account's origin, e.g. https://1234567-sb1.suitetalk.api.netsuite.com`);
    return undefined;
  }
  const shown = displayUrl(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`${variable}=${shown} must be an http(s) URL, e.g. https://1234567-sb1.suitetalk.api.netsuite.com`);
    return undefined;
  }
  if (url.username || url.password) {
    problems.push(`${variable}=${shown} must not carry a user name or password`);
    return undefined;
  }
  if (url.search || url.hash) {
    problems.push(`${variable}=${shown} must not carry a query or fragment: give the account's origin only`);
    return undefined;
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/services\/rest$/i.test(path)) {
    problems.push(`${variable}=${shown} must not end with /services/rest: give the origin (${url.origin}); the client adds the REST paths`);
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  const isNetSuiteHost = host === 'netsuite.com' || host.endsWith('.netsuite.com');
  if (isNetSuiteHost) {
    if (url.protocol !== 'https:') {
      problems.push(`${variable}=${shown} must use https: NetSuite serves its APIs over TLS only`);
      return undefined;
    }
    if (path !== '') {
      problems.push(`${variable}=${shown} must be an origin without a path, e.g. ${url.origin}`);
      return undefined;
    }
    const label = host.split('.')[0] ?? '';
    const hostKind = accountKindOfLabel(label);
    const fix = accountId === undefined ? `fix ${prefix}ACCOUNT_ID, then` : `set ${variable} to ${defaultNetSuiteBaseUrl(accountId)} or`;
    const account = accountId === undefined ? '' : ` and ${prefix}ACCOUNT_ID=${accountId}`;
    if (environment === 'production' && hostKind !== undefined && hostKind !== 'production') {
      problems.push(
        `${variable}=${shown} points at a ${hostKind === 'sandbox' ? 'sandbox' : 'release preview'} host (${label}), but NETSUITE_ENVIRONMENT=production${account}: ${fix} unset ${variable} to derive it from the account ID`,
      );
      return undefined;
    }
    if (environment === 'sandbox' && hostKind === 'production') {
      problems.push(
        `${variable}=${shown} points at a production host (${label}), but NETSUITE_ENVIRONMENT=sandbox${account}: ${fix} unset ${variable} to derive it from the account ID`,
      );
      return undefined;
    }
    if (accountId === undefined) return undefined;
    const expected = netsuiteHostLabel(accountId);
    if (label === expected) return url.origin;
    problems.push(
      `${variable}=${shown} does not belong to ${prefix}ACCOUNT_ID=${accountId}: the host must start with ${expected}. (e.g. ${defaultNetSuiteBaseUrl(accountId)}); fix whichever of the two is wrong`,
    );
    return undefined;
  }
  if (!allowCustomHost) {
    problems.push(
      `${variable}=${shown} is not a NetSuite host (*.netsuite.com): use ${accountId ? defaultNetSuiteBaseUrl(accountId) : "the account's suitetalk.api.netsuite.com origin"}, or set NETSUITE_ALLOW_CUSTOM_HOST=true for a simulator or a proxy`,
    );
    return undefined;
  }
  warnings.push(
    `${variable}=${shown} is not a NetSuite host; allowed by NETSUITE_ALLOW_CUSTOM_HOST=true, so the account/host check is skipped (NETSUITE_ENVIRONMENT=${environment})`,
  );
  return `${url.origin}${path}`;
}

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
function checkPrivateKey(pem: string, source: string, algorithm: JwtAlgorithm, prefix: string, problems: string[]): boolean {
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

/** Reads the private key of an environment from PRIVATE_KEY or PRIVATE_KEY_FILE. */
function readPrivateKey(env: NodeJS.ProcessEnv, prefix: string, problems: string[]): { pem: string; source: string } | undefined {
  const inline = env[`${prefix}PRIVATE_KEY`];
  const file = read(env, `${prefix}PRIVATE_KEY_FILE`);
  const hasInline = inline !== undefined && inline.trim() !== '';
  if (hasInline && file !== undefined) {
    problems.push(`both ${prefix}PRIVATE_KEY and ${prefix}PRIVATE_KEY_FILE are set: keep one`);
    return undefined;
  }
  if (hasInline) {
    let pem = inline.trim();
    if (!pem.includes('\n') && pem.includes('\\n')) pem = pem.replace(/\\n/g, '\n').trim();
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
  if (read(env, 'NETSUITE_LIMITER') !== undefined && shared.NETSUITE_LIMITER === undefined) return undefined;
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
export function checkNetSuiteEnvironment(env: NodeJS.ProcessEnv = process.env): NetSuiteEnvironmentCheck {
  const problems: string[] = [];
  const warnings: string[] = [];
  const shared = parseSharedNetSuiteSettings(env, problems);
  const environment = shared.NETSUITE_ENVIRONMENT;
  if (environment === undefined)
    throw configError('NetSuite environment refused', problems.length > 0 ? problems : ['NETSUITE_ENVIRONMENT is not set: set it to sandbox or production']);
  const prefix = NETSUITE_ENV_PREFIX[environment];
  const other: NetSuiteEnvironment = environment === 'sandbox' ? 'production' : 'sandbox';
  const rawAccountId = read(env, `${prefix}ACCOUNT_ID`);
  if (rawAccountId === undefined) {
    problems.push(
      hasAnyAccountVariable(env, other) && !hasAnyAccountVariable(env, environment)
        ? `NETSUITE_ENVIRONMENT=${environment} but only ${NETSUITE_ENV_PREFIX[other]}* settings are present: set ${prefix}ACCOUNT_ID, or set NETSUITE_ENVIRONMENT=${other}`
        : `NETSUITE_ENVIRONMENT=${environment} needs ${prefix}ACCOUNT_ID`,
    );
  }
  const accountId = rawAccountId !== undefined && checkAccountId(rawAccountId, environment, prefix, problems) ? rawAccountId : undefined;
  const rawBaseUrl = read(env, `${prefix}BASE_URL`);
  const baseUrl =
    rawBaseUrl !== undefined
      ? checkBaseUrl(rawBaseUrl, accountId, environment, prefix, shared.NETSUITE_ALLOW_CUSTOM_HOST ?? false, problems, warnings)
      : accountId !== undefined
        ? defaultNetSuiteBaseUrl(accountId)
        : undefined;
  if (problems.length > 0 || !accountId || !baseUrl) throw configError(`NetSuite environment refused (NETSUITE_ENVIRONMENT=${environment})`, problems);
  return { environment, accountId, baseUrl, warnings };
}

/**
 * Reads NETSUITE_ENVIRONMENT and the NS_<ENV>_* settings of that environment only, and runs the guard. Throws ConfigError naming every mismatch.
 *
 * The guard: the declared environment's variables are present; the account ID is spelled as NetSuite spells it and
 * belongs to the declared environment (`_SB<n>`/`_RP<n>` ⇔ sandbox); a `*.netsuite.com` host belongs to the account;
 * any other host needs NETSUITE_ALLOW_CUSTOM_HOST=true; the private key is a PKCS#8 PEM matching the JWT algorithm;
 * production runs a PostgreSQL limiter unless NETSUITE_LIMITER=process is explicit.
 */
export function loadNetSuiteSettings(env: NodeJS.ProcessEnv = process.env): NetSuiteSettings {
  const problems: string[] = [];
  const warnings: string[] = [];
  const shared = parseSharedNetSuiteSettings(env, problems);
  const environment = shared.NETSUITE_ENVIRONMENT;
  if (environment === undefined) {
    const present = NETSUITE_ENVIRONMENTS.filter((e) => hasAnyAccountVariable(env, e)).map((e) => `${NETSUITE_ENV_PREFIX[e]}*`);
    if (present.length > 0)
      problems.push(`${present.join(' and ')} settings are present, but they are read only once NETSUITE_ENVIRONMENT names their environment`);
    checkLimiter(env, shared, undefined, undefined, problems, warnings);
    throw configError('NetSuite settings refused', problems);
  }
  const prefix = NETSUITE_ENV_PREFIX[environment];
  const other: NetSuiteEnvironment = environment === 'sandbox' ? 'production' : 'sandbox';

  // Presence.
  const missing: string[] = REQUIRED_ACCOUNT_FIELDS.filter((field) => read(env, `${prefix}${field}`) === undefined).map((f) => `${prefix}${f}`);
  if (read(env, `${prefix}PRIVATE_KEY`) === undefined && read(env, `${prefix}PRIVATE_KEY_FILE`) === undefined) {
    missing.push(`${prefix}PRIVATE_KEY (or ${prefix}PRIVATE_KEY_FILE)`);
  }
  if (missing.length > 0) {
    if (!hasAnyAccountVariable(env, environment) && hasAnyAccountVariable(env, other)) {
      problems.push(
        `NETSUITE_ENVIRONMENT=${environment} but only ${NETSUITE_ENV_PREFIX[other]}* settings are present: set ${missing.join(', ')}, or set NETSUITE_ENVIRONMENT=${other} if this worker is meant to write to the ${other} account`,
      );
    } else {
      problems.push(`NETSUITE_ENVIRONMENT=${environment} needs ${missing.join(', ')}: set them (they are not read from ${NETSUITE_ENV_PREFIX[other]}*)`);
    }
  }

  // Account ID.
  const rawAccountId = read(env, `${prefix}ACCOUNT_ID`);
  const accountOk = rawAccountId !== undefined && checkAccountId(rawAccountId, environment, prefix, problems);
  const accountId = accountOk ? rawAccountId : undefined;

  // Host.
  const rawBaseUrl = read(env, `${prefix}BASE_URL`);
  let baseUrl: string | undefined;
  if (rawBaseUrl !== undefined) {
    baseUrl = checkBaseUrl(rawBaseUrl, accountId, environment, prefix, shared.NETSUITE_ALLOW_CUSTOM_HOST ?? false, problems, warnings);
  } else if (accountId !== undefined) {
    baseUrl = defaultNetSuiteBaseUrl(accountId);
  }

  // Algorithm, scope, key.
  const rawAlgorithm = read(env, `${prefix}JWT_ALGORITHM`) ?? 'PS256';
  const algorithm = (NETSUITE_JWT_ALGORITHMS as readonly string[]).includes(rawAlgorithm) ? (rawAlgorithm as JwtAlgorithm) : undefined;
  if (algorithm === undefined) {
    problems.push(
      `${prefix}JWT_ALGORITHM=${rawAlgorithm} is not accepted by NetSuite: use one of ${NETSUITE_JWT_ALGORITHMS.join(', ')}${rawAlgorithm.toUpperCase() === 'RS256' ? ' (RS256 was withdrawn; use PS256 with the same RSA key)' : ''}`,
    );
  }
  const scope = read(env, `${prefix}SCOPE`) ?? 'rest_webservices';
  const key = readPrivateKey(env, prefix, problems);
  const keyOk = key !== undefined && algorithm !== undefined && checkPrivateKey(key.pem, key.source, algorithm, prefix, problems);

  // Concurrency, limiter, timeout.
  // + 1e-9: 0.29 × 100 is 28.999999999999996 in binary floating point.
  const permits = Math.max(1, Math.floor((shared.NETSUITE_ACCOUNT_CONCURRENCY ?? 5) * (shared.NETSUITE_CONCURRENCY_SHARE ?? 1) + 1e-9));
  const limiter = checkLimiter(env, shared, environment, accountId, problems, warnings);

  if (problems.length > 0) throw configError(`NetSuite settings refused (NETSUITE_ENVIRONMENT=${environment})`, problems);
  if (!accountId || !baseUrl || !algorithm || !key || !keyOk || !limiter || shared.NETSUITE_REQUEST_TIMEOUT_SECONDS === undefined) {
    // Unreachable: every undefined above pushed a problem.
    throw new ConfigError('NetSuite settings refused');
  }
  return {
    credentials: {
      environment,
      accountId,
      baseUrl,
      clientId: read(env, `${prefix}CLIENT_ID`) as string,
      certificateId: read(env, `${prefix}CERTIFICATE_ID`) as string,
      privateKeyPem: key.pem,
      algorithm,
      scope,
    },
    permits,
    limiter,
    requestTimeoutMs: Math.round(shared.NETSUITE_REQUEST_TIMEOUT_SECONDS * 1000),
    warnings,
  };
}

// ─── WooCommerce stores ───────────────────────────────────────────────────────────────────────────────────────────

/** One WooCommerce store: produced from the WOO_* settings (see loadStoreSettings). */
export interface StoreSettings {
  /** Configured name, lower-case letters, digits and `-` (used in workflow IDs and the WooStore search attribute). */
  name: string;
  /** Store URL with a trailing slash, as WooCommerce sends it in `X-WC-Webhook-Source`, e.g. `https://shop.example.com/`. */
  url: string;
  /** REST API consumer key (`ck_…`). A secret: never logged. */
  consumerKey: string;
  /** REST API consumer secret (`cs_…`). A secret: never logged. */
  consumerSecret: string;
  /** The webhook secret WooCommerce signs deliveries with. A secret: never logged. */
  webhookSecret: string;
}

/** The per-store variables, without their `WOO_<NAME>_` prefix (documentation; loadStoreSettings checks them). */
export const storeSettingsSchema = z.object({
  URL: z.string().describe('The store URL (WordPress home), e.g. https://shop.example.com; normalised to end with /. Required.'),
  CONSUMER_KEY: z.string().describe('REST API consumer key (ck_…). Required. A secret.'),
  CONSUMER_SECRET: z.string().describe('REST API consumer secret (cs_…). Required. A secret.'),
  WEBHOOK_SECRET: z.string().describe("The secret of the store's order webhooks. Required. A secret."),
});

/** `WOO_STORES`: the configured store names (documentation; loadStoreSettings checks it). */
export const storesSettingsSchema = z.object({
  WOO_STORES: z.string().describe('Comma-separated store names (lower-case letters, digits, -), e.g. main,eu. Required.'),
});

const STORE_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** The variable prefix of a store: `WOO_<NAME>_`, name upper-cased with `-` → `_` (`eu-west` → `WOO_EU_WEST_`). */
export function storeEnvPrefix(name: string): string {
  return `WOO_${name.toUpperCase().replace(/-/g, '_')}_`;
}

/**
 * Normalises a store URL as WooCommerce's `X-WC-Webhook-Source` spells it: scheme, lower-case host, port when not the
 * default, path ending with `/`. Throws a TypeError for anything but an http(s) URL without query or fragment.
 */
export function normaliseStoreUrl(raw: string): string {
  const url = new URL(raw.trim());
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('not an http(s) URL');
  if (url.username || url.password) throw new TypeError('carries a user name or password');
  if (url.search || url.hash) throw new TypeError('carries a query or fragment');
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return `${url.protocol}//${url.host.toLowerCase()}${path}`;
}

/** Reads WOO_STORES and each store's WOO_<NAME>_* variables. Throws a ConfigError naming each missing variable; duplicate URLs are refused. */
export function loadStoreSettings(env: NodeJS.ProcessEnv = process.env): StoreSettings[] {
  const problems: string[] = [];
  const list = read(env, 'WOO_STORES');
  if (list === undefined) {
    throw configError('WooCommerce store settings refused', ['WOO_STORES is not set: list the store names, e.g. WOO_STORES=main,eu']);
  }
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) problems.push(`WOO_STORES=${list} names no store: list the store names, e.g. WOO_STORES=main,eu`);
  const stores: StoreSettings[] = [];
  const seenNames = new Set<string>();
  const seenUrls = new Map<string, string>();
  for (const name of names) {
    if (!STORE_NAME.test(name)) {
      problems.push(
        `WOO_STORES: "${name}" is not a store name: use lower-case letters, digits and - (not at either end)${/[A-Z]/.test(name) ? `, e.g. ${name.toLowerCase()}` : ''}`,
      );
      continue;
    }
    if (seenNames.has(name)) {
      problems.push(`WOO_STORES names ${name} twice: list each store once`);
      continue;
    }
    seenNames.add(name);
    const prefix = storeEnvPrefix(name);
    const fields = ['URL', 'CONSUMER_KEY', 'CONSUMER_SECRET', 'WEBHOOK_SECRET'] as const;
    const values = Object.fromEntries(fields.map((field) => [field, read(env, `${prefix}${field}`)])) as Record<(typeof fields)[number], string | undefined>;
    const missing = fields.filter((field) => values[field] === undefined).map((field) => `${prefix}${field}`);
    if (missing.length > 0) problems.push(`store ${name} needs ${missing.join(', ')}: set them`);
    let url: string | undefined;
    if (values.URL !== undefined) {
      try {
        url = normaliseStoreUrl(values.URL);
      } catch (error) {
        problems.push(`${prefix}URL=${displayUrl(values.URL)} is not a usable store URL (${(error as Error).message}): e.g. https://shop.example.com/`);
      }
    }
    if (url !== undefined) {
      const previous = seenUrls.get(url);
      if (previous !== undefined) {
        problems.push(`${prefix}URL=${url} is also the URL of store ${previous}: each store needs its own URL (webhooks are routed by X-WC-Webhook-Source)`);
      } else seenUrls.set(url, name);
    }
    if (values.CONSUMER_KEY?.startsWith('cs_') || values.CONSUMER_SECRET?.startsWith('ck_')) {
      problems.push(`${prefix}CONSUMER_KEY and ${prefix}CONSUMER_SECRET look swapped (the key starts with ck_, the secret with cs_)`);
    }
    if (missing.length === 0 && url !== undefined) {
      stores.push({
        name,
        url,
        consumerKey: values.CONSUMER_KEY as string,
        consumerSecret: values.CONSUMER_SECRET as string,
        webhookSecret: values.WEBHOOK_SECRET as string,
      });
    }
  }
  if (problems.length > 0) throw configError('WooCommerce store settings refused', problems);
  return stores;
}

/**
 * The store a webhook came from, by its `X-WC-Webhook-Source` header: scheme, host (any case), port and path compared
 * after normalisation (trailing slash added). Undefined for a missing, malformed or unknown source.
 */
export function findStoreBySource(stores: readonly StoreSettings[], source: string | undefined): StoreSettings | undefined {
  if (source === undefined) return undefined;
  let wanted: string;
  try {
    wanted = normaliseStoreUrl(source);
  } catch {
    return undefined;
  }
  return stores.find((store) => {
    try {
      return normaliseStoreUrl(store.url) === wanted;
    } catch {
      return false;
    }
  });
}

// ─── Webhook receiver ─────────────────────────────────────────────────────────────────────────────────────────────

/** The webhook receiver's listener (zod over env). */
export const receiverSettingsSchema = z.object({
  WEBHOOK_HOST: envValue(z.string().min(1).default('0.0.0.0')).describe('Interface the webhook receiver listens on. Default 0.0.0.0.'),
  WEBHOOK_PORT: envValue(z.coerce.number().int().min(0).max(65535).default(8080)).describe('Port of the webhook receiver (0 = any free port). Default 8080.'),
  WEBHOOK_BODY_LIMIT_BYTES: envValue(z.coerce.number().int().min(1).default(1048576)).describe(
    'Largest webhook body accepted, in bytes; larger deliveries get 413. Default 1048576 (1 MiB).',
  ),
  WEBHOOK_DRAIN_SECONDS: envValue(z.coerce.number().min(0).default(10)).describe(
    "On SIGTERM, how long deliveries in flight may take before their connections are closed. Default 10 s; keep it below the pod's terminationGracePeriodSeconds.",
  ),
});

/** The webhook receiver's settings. */
export interface ReceiverSettings {
  /** Interface to listen on. Default 0.0.0.0. */
  host: string;
  /** TCP port. Default 8080. */
  port: number;
  /** Largest accepted body in bytes. Default 1048576. */
  bodyLimitBytes: number;
  /** How long a SIGTERM's drain waits for deliveries in flight. Default 10 s. */
  drainSeconds: number;
}

/** Reads WEBHOOK_HOST, WEBHOOK_PORT, WEBHOOK_BODY_LIMIT_BYTES and WEBHOOK_DRAIN_SECONDS (receiverSettingsSchema). */
export function loadReceiverSettings(env: NodeJS.ProcessEnv = process.env): ReceiverSettings {
  const settings = parseSettings(receiverSettingsSchema, env);
  return {
    host: settings.WEBHOOK_HOST,
    port: settings.WEBHOOK_PORT,
    bodyLimitBytes: settings.WEBHOOK_BODY_LIMIT_BYTES,
    drainSeconds: settings.WEBHOOK_DRAIN_SECONDS,
  };
}

// ─── Mapping ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** Default mapping file, relative to the working directory. */
export const DEFAULT_MAPPING_FILE = 'config/mapping.json';

/** The mapping file setting (zod over env). */
export const mappingSettingsSchema = z.object({
  MAPPING_FILE: envValue(z.string().min(1).default(DEFAULT_MAPPING_FILE)).describe(
    'Path of the mapping configuration (JSON), resolved against the working directory. Default config/mapping.json.',
  ),
});

/** The absolute path of the mapping file: MAPPING_FILE (default `config/mapping.json`) resolved against process.cwd(). */
export function mappingFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return resolvePath(process.cwd(), parseSettings(mappingSettingsSchema, env).MAPPING_FILE);
}

// ─── Schedules ────────────────────────────────────────────────────────────────────────────────────────────────────

/** The schedules file setting (zod over env). */
export const schedulesSettingsSchema = z.object({
  SCHEDULES_FILE: envValue(z.string().min(1).default('config/schedules.json')).describe(
    'When each scheduled job runs and with what input (JSON, src/schedules/config.ts), resolved against the working directory. Default config/schedules.json.',
  ),
});

/** The absolute path of the schedules file: SCHEDULES_FILE (default `config/schedules.json`) resolved against process.cwd(). */
export function schedulesFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return resolvePath(process.cwd(), parseSettings(schedulesSettingsSchema, env).SCHEDULES_FILE);
}

// ─── Worker ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** The worker process's own settings (zod over env). */
export const workerSettingsSchema = z.object({
  TASK_QUEUE: envValue(z.string().min(1).default(ORDERS_TASK_QUEUE)).describe(
    `The orders task queue this worker serves; the NetSuite queue is derived from it. Default ${ORDERS_TASK_QUEUE}.`,
  ),
  NEEDS_ATTENTION_LIMIT_SECONDS: envValue(
    z.coerce
      .number()
      .int()
      .min(1)
      .default(30 * 24 * 3600),
  ).describe('How long an order may stay NeedsAttention (waiting for a retry signal) before its workflow gives up. Default 2592000 (30 days).'),
  NETSUITE_ACTIVITY_SLOTS: envValue(z.coerce.number().int().min(1).optional()).describe(
    "NetSuite activities one worker runs at once. Each waits in the worker for a cluster-wide permit, and the limiter serves the order that arrived first — so in a flash sale the waiting happens there, in the orders' arrival order, not in the task queue. Default max(1000, 2 × permits).",
  ),
  NETSUITE_LOOKUP_CACHE_SECONDS: envValue(z.coerce.number().int().min(0).default(600)).describe(
    'How long a worker reuses an item or customer NetSuite found, so a repeated SKU or a returning customer costs no request; a sales order NetSuite refuses over a reused ID has it looked up again once. 0 = always ask. Default 600 (10 minutes).',
  ),
  NETSUITE_PERMIT_WAIT_REPORT_SECONDS: envValue(z.coerce.number().min(0).default(60)).describe(
    "How long an order's NetSuite step may wait for a concurrency permit (all in use, or the limiter's database down) before the order's current details say so. Default 60 s.",
  ),
  DRIFT_FIXTURE_FILE: envValue(z.string().min(1).default(DEFAULT_FIXTURE_FILE)).describe(
    'The NetSuite schema fixture (written by `npm run drift:snapshot`) the drift watcher compares the live catalog with, resolved against the working directory. Default config/netsuite-schema.json.',
  ),
  INVENTORY_FULL_PASS_HOURS: envValue(z.coerce.number().positive().default(24)).describe(
    'Hours between full inventory passes (every owned SKU read from WooCommerce, which corrects stock edited on the WooCommerce side); the runs between read WooCommerce only for SKUs whose NetSuite availability or in-flight units changed. Default 24.',
  ),
});

/** The worker process's own settings. */
export interface WorkerSettings {
  /** The orders task queue. Default `woo-netsuite-orders`. */
  taskQueue: string;
  /** Absolute path of the mapping file (mappingFilePath). Default `<cwd>/config/mapping.json`. */
  mappingFile: string;
  /** Seconds an order may stay NeedsAttention before the workflow gives up. Default 30 days. */
  needsAttentionLimitSeconds: number;
  /** NetSuite activity slots per worker; undefined → the worker's default (max(1000, 2 × permits)). */
  netsuiteActivitySlots: number | undefined;
  /** Seconds a found item or customer is reused; 0 = never. Default 600. */
  lookupCacheSeconds: number;
  /** Absolute path of the drift watcher's schema fixture. */
  driftFixtureFile: string;
  /** Seconds a NetSuite step may wait for a permit before the order's current details say so. Default 60. */
  permitWaitReportSeconds: number;
  /** Hours between full inventory passes. Default 24. */
  inventoryFullPassHours: number;
}

/** Reads TASK_QUEUE, MAPPING_FILE, NEEDS_ATTENTION_LIMIT_SECONDS, NETSUITE_ACTIVITY_SLOTS, NETSUITE_LOOKUP_CACHE_SECONDS, NETSUITE_PERMIT_WAIT_REPORT_SECONDS, DRIFT_FIXTURE_FILE and INVENTORY_FULL_PASS_HOURS (workerSettingsSchema). */
export function loadWorkerSettings(env: NodeJS.ProcessEnv = process.env): WorkerSettings {
  const settings = parseSettings(workerSettingsSchema, env);
  return {
    taskQueue: settings.TASK_QUEUE,
    mappingFile: mappingFilePath(env),
    needsAttentionLimitSeconds: settings.NEEDS_ATTENTION_LIMIT_SECONDS,
    netsuiteActivitySlots: settings.NETSUITE_ACTIVITY_SLOTS,
    lookupCacheSeconds: settings.NETSUITE_LOOKUP_CACHE_SECONDS,
    driftFixtureFile: resolvePath(process.cwd(), settings.DRIFT_FIXTURE_FILE),
    permitWaitReportSeconds: settings.NETSUITE_PERMIT_WAIT_REPORT_SECONDS,
    inventoryFullPassHours: settings.INVENTORY_FULL_PASS_HOURS,
  };
}

// ─── Alerts ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** Where the drift watcher and the reconciliation send their mail and chat messages (zod over env). */
export const alertSettingsSchema = z.object({
  ALERT_SMTP_URL: envValue(z.string().optional()).describe(
    'smtp:// or smtps:// URL of the mail server, credentials included (a secret), e.g. smtps://user:password@smtp.example.com:465.',
  ),
  ALERT_EMAIL_FROM: envValue(z.string().default('woo-netsuite-sync <woo-netsuite-sync@localhost>')).describe('Sender of the alert mails.'),
  ALERT_EMAIL_TO: envValue(z.string().optional()).describe("The integration owner's addresses, comma-separated. Required with ALERT_SMTP_URL."),
  ALERT_CHAT_WEBHOOK_URL: envValue(z.string().optional()).describe('Optional chat incoming-webhook URL (Slack-compatible `{"text"}` body); a secret.'),
});

/** Reads ALERT_SMTP_URL, ALERT_EMAIL_FROM, ALERT_EMAIL_TO and ALERT_CHAT_WEBHOOK_URL; never echoes a URL (they hold credentials). */
export function loadAlertSettings(env: NodeJS.ProcessEnv = process.env): AlertSettings {
  const settings = parseSettings(alertSettingsSchema, env);
  const problems: string[] = [];
  const result: AlertSettings = {};
  if (settings.ALERT_SMTP_URL !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(settings.ALERT_SMTP_URL).protocol;
    } catch {
      problems.push('ALERT_SMTP_URL is not a URL (expected smtp://user:password@host:587 or smtps://…:465)');
    }
    if (protocol && protocol !== 'smtp:' && protocol !== 'smtps:') problems.push(`ALERT_SMTP_URL must use smtp:// or smtps://, not ${protocol}//`);
    const to = (settings.ALERT_EMAIL_TO ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    if (to.length === 0) problems.push("ALERT_EMAIL_TO is required with ALERT_SMTP_URL: the integration owner's address(es), comma-separated");
    for (const address of to) if (!/^[^\s@]+@[^\s@]+$/.test(address)) problems.push(`ALERT_EMAIL_TO has "${address}", which is not an e-mail address`);
    result.email = { smtpUrl: settings.ALERT_SMTP_URL, from: settings.ALERT_EMAIL_FROM, to };
  }
  if (settings.ALERT_CHAT_WEBHOOK_URL !== undefined) {
    if (!/^https?:\/\//.test(settings.ALERT_CHAT_WEBHOOK_URL)) problems.push('ALERT_CHAT_WEBHOOK_URL must be an http(s) URL');
    result.chat = { webhookUrl: settings.ALERT_CHAT_WEBHOOK_URL };
  }
  if (problems.length > 0) throw new ConfigError(`invalid alert settings — ${problems.join('; ')}`, problems);
  return result;
}

// ─── Durable state ────────────────────────────────────────────────────────────────────────────────────────────────

/** The PostgreSQL database of durable cursors (the catch-up poller's): STATE_DATABASE_URL, else NETSUITE_LIMITER_URL, else none. */
export function stateDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = (env.STATE_DATABASE_URL ?? '').trim() || (env.NETSUITE_LIMITER_URL ?? '').trim();
  if (url === '') return undefined;
  if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError(`STATE_DATABASE_URL=${displayUrl(url)} is not a postgres:// URL`);
  return url;
}

// ─── Operations: workflow bundle, health, metrics, tracing ─────────────────────────────────────────────────────────

/** How a process is operated: where its health endpoints and Prometheus metrics listen, and where traces go (zod over env). */
export const operationsSettingsSchema = z.object({
  WORKFLOW_BUNDLE_PATH: envValue(z.string().min(1).optional()).describe(
    'The prebuilt workflow bundle (`npm run build` writes dist/workflow-bundle.js; the image sets it). Unset: the worker bundles src/workflows at start.',
  ),
  HEALTH_HOST: envValue(z.string().min(1).default('0.0.0.0')).describe("Interface of the worker's health endpoints (/livez, /readyz). Default 0.0.0.0."),
  HEALTH_PORT: envValue(z.coerce.number().int().min(0).max(65535).default(8081)).describe(
    "Port of the worker's health endpoints (0 = any free port). Default 8081. The receiver serves them on WEBHOOK_PORT.",
  ),
  METRICS_BIND_ADDRESS: envValue(z.string().default('0.0.0.0:9464')).describe(
    'host:port where Prometheus scrapes /metrics (the SDK\'s metrics and the integration\'s own). "off" turns metrics off. Default 0.0.0.0:9464.',
  ),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: envValue(z.url().optional()).describe(
    'OTLP/HTTP traces URL, e.g. http://otel-collector:4318/v1/traces. Set (or OTEL_EXPORTER_OTLP_ENDPOINT) to turn tracing on.',
  ),
  OTEL_EXPORTER_OTLP_ENDPOINT: envValue(z.url().optional()).describe('OTLP/HTTP base URL; traces go to <it>/v1/traces. Set to turn tracing on.'),
  OTEL_SERVICE_NAME: envValue(z.string().min(1).optional()).describe('service.name of the spans. Default woo-netsuite-sync-<process>.'),
});

/** Where a process's traces go; absent → tracing off. */
export interface TracingSettings {
  /** The OTLP/HTTP traces URL (…/v1/traces). */
  tracesUrl: string;
  serviceName: string;
}

export interface OperationsSettings {
  /** Absolute path of the prebuilt workflow bundle, when one is set. */
  workflowBundlePath: string | undefined;
  health: { host: string; port: number };
  /** host:port of the Prometheus endpoint; undefined → metrics off. */
  metricsBindAddress: string | undefined;
  tracing: TracingSettings | undefined;
}

/** Reads WORKFLOW_BUNDLE_PATH, HEALTH_*, METRICS_BIND_ADDRESS and the OTEL_* settings; `process` names the default service. */
export function loadOperationsSettings(process_: 'worker' | 'receiver', env: NodeJS.ProcessEnv = process.env): OperationsSettings {
  const settings = parseSettings(operationsSettingsSchema, env);
  const metrics = settings.METRICS_BIND_ADDRESS.toLowerCase() === 'off' ? undefined : settings.METRICS_BIND_ADDRESS;
  if (metrics !== undefined && !/^[^\s:]+:\d{1,5}$/.test(metrics) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(metrics)) {
    throw new ConfigError(`METRICS_BIND_ADDRESS=${metrics} is not host:port (e.g. 0.0.0.0:9464), nor "off"`);
  }
  const base = settings.OTEL_EXPORTER_OTLP_ENDPOINT;
  const tracesUrl = settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  const workflowBundlePath = settings.WORKFLOW_BUNDLE_PATH ? resolvePath(process.cwd(), settings.WORKFLOW_BUNDLE_PATH) : undefined;
  if (workflowBundlePath !== undefined && process_ === 'worker' && !existsSync(workflowBundlePath)) {
    throw new ConfigError(
      `WORKFLOW_BUNDLE_PATH=${settings.WORKFLOW_BUNDLE_PATH} does not exist (${workflowBundlePath}): \`npm run build\` writes dist/workflow-bundle.js; unset it to bundle src/workflows at start`,
    );
  }
  return {
    workflowBundlePath,
    health: { host: settings.HEALTH_HOST, port: settings.HEALTH_PORT },
    metricsBindAddress: metrics,
    tracing: tracesUrl ? { tracesUrl, serviceName: settings.OTEL_SERVICE_NAME ?? `woo-netsuite-sync-${process_}` } : undefined,
  };
}
