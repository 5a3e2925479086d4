/**
 * The NetSuite environment guard — one resolver for both entry points: the worker's settings (loadNetSuiteSettings)
 * and the receiver's check without credentials (checkNetSuiteEnvironment). NETSUITE_ENVIRONMENT, and the declared
 * environment's NS_<ENV>_ACCOUNT_ID and NS_<ENV>_BASE_URL, must agree: the account ID is spelled as NetSuite spells it
 * and belongs to the declared environment (`_SB<n>`/`_RP<n>` ⇔ sandbox); a `*.netsuite.com` host belongs to the
 * account; any other host needs NETSUITE_ALLOW_CUSTOM_HOST=true. Only the declared environment's variables are read.
 */
import { describeIssue, displayUrl, envString, parseEach } from './env';
import {
  NETSUITE_ENV_PREFIX,
  NETSUITE_ENVIRONMENTS,
  netsuiteAccountSettingsSchema,
  netsuiteSettingsSchema,
  type NetSuiteAccountSettings,
  type NetSuiteEnvironment,
  type SharedNetSuiteSettings,
} from './netsuite-schema';

/** An account variable a caller may require (PRIVATE_KEY: it or PRIVATE_KEY_FILE). */
export type RequiredAccountField = 'ACCOUNT_ID' | 'CLIENT_ID' | 'CERTIFICATE_ID' | 'PRIVATE_KEY';

/** What the guard found: the declared environment and its account, or the problems that refuse them. */
export interface NetSuiteAccountResolution {
  /** The shared settings that parsed (netsuiteSettingsSchema); each that did not is in `problems`. */
  shared: Partial<SharedNetSuiteSettings>;
  environment: NetSuiteEnvironment | undefined;
  /** The declared environment's variable prefix, `NS_SANDBOX_` or `NS_PROD_` (with `environment`). */
  prefix: string | undefined;
  /** The declared environment's account variables, prefix removed (netsuiteAccountSettingsSchema). */
  account: Partial<NetSuiteAccountSettings>;
  /** The account ID, when present and right for the environment. */
  accountId: string | undefined;
  /** The normalised base URL (given, or derived from the account ID), when it passed. */
  baseUrl: string | undefined;
  /** Problems of the environment, the required variables, the account ID, the host and the shared settings. */
  problems: string[];
  /** Problems of the other account variables (JWT_ALGORITHM): only a caller that uses them reports them. */
  accountProblems: string[];
  /** Accepted but unusual settings (a custom host). */
  warnings: string[];
}

/**
 * Resolves NETSUITE_ENVIRONMENT and the declared environment's account: the variables in `required` are present,
 * the account ID and the host are checked against the environment and each other. Never throws: the caller decides.
 */
export function resolveNetSuiteAccount(env: NodeJS.ProcessEnv, required: readonly RequiredAccountField[]): NetSuiteAccountResolution {
  const problems: string[] = [];
  const warnings: string[] = [];
  const parsed = parseEach(netsuiteSettingsSchema, env);
  for (const issue of parsed.issues) problems.push(describeIssue(issue, issue.name === 'NETSUITE_LIMITER_URL' ? displayUrl : undefined));
  const shared = parsed.values;
  const environment = shared.NETSUITE_ENVIRONMENT;
  const resolution = { shared, environment, problems, warnings, accountProblems: [] as string[] };
  if (environment === undefined) {
    const present = NETSUITE_ENVIRONMENTS.filter((e) => hasAnyAccountVariable(env, e)).map((e) => `${NETSUITE_ENV_PREFIX[e]}*`);
    if (present.length > 0)
      problems.push(`${present.join(' and ')} settings are present, but they are read only once NETSUITE_ENVIRONMENT names their environment`);
    return { ...resolution, prefix: undefined, account: {}, accountId: undefined, baseUrl: undefined };
  }
  const prefix = NETSUITE_ENV_PREFIX[environment];
  const other: NetSuiteEnvironment = environment === 'sandbox' ? 'production' : 'sandbox';
  const { values: account, issues } = parseEach(netsuiteAccountSettingsSchema, env, prefix);
  // The account schema's rules are phrased to follow "NAME=value" ("is not accepted by NetSuite: …").
  resolution.accountProblems.push(...issues.map((issue) => `${issue.name}=${issue.raw ?? ''} ${issue.rule}`));

  // Presence.
  const missing = required
    .filter((field) => (field === 'PRIVATE_KEY' ? account.PRIVATE_KEY === undefined && account.PRIVATE_KEY_FILE === undefined : account[field] === undefined))
    .map((field) => (field === 'PRIVATE_KEY' ? `${prefix}PRIVATE_KEY (or ${prefix}PRIVATE_KEY_FILE)` : `${prefix}${field}`));
  if (missing.length > 0) {
    if (!hasAnyAccountVariable(env, environment) && hasAnyAccountVariable(env, other)) {
      problems.push(
        `NETSUITE_ENVIRONMENT=${environment} but only ${NETSUITE_ENV_PREFIX[other]}* settings are present: set ${missing.join(', ')}, or set NETSUITE_ENVIRONMENT=${other} if this deployment is meant to write to the ${other} account`,
      );
    } else {
      const them = missing.length > 1 ? 'them (they are' : 'it (it is';
      problems.push(`NETSUITE_ENVIRONMENT=${environment} needs ${missing.join(', ')}: set ${them} not read from ${NETSUITE_ENV_PREFIX[other]}*)`);
    }
  }

  // Account ID, then the host: given (and checked against the account), or derived from the account ID.
  const accountId = account.ACCOUNT_ID !== undefined && checkAccountId(account.ACCOUNT_ID, environment, prefix, problems) ? account.ACCOUNT_ID : undefined;
  const baseUrl =
    account.BASE_URL !== undefined
      ? checkBaseUrl(account.BASE_URL, accountId, environment, prefix, shared.NETSUITE_ALLOW_CUSTOM_HOST ?? false, problems, warnings)
      : accountId !== undefined
        ? defaultNetSuiteBaseUrl(accountId)
        : undefined;
  return { ...resolution, prefix, account, accountId, baseUrl };
}

/** Whether any NS_<ENV>_* variable is set. */
function hasAnyAccountVariable(env: NodeJS.ProcessEnv, environment: NetSuiteEnvironment): boolean {
  const prefix = NETSUITE_ENV_PREFIX[environment];
  return Object.keys(env).some((name) => name.startsWith(prefix) && envString(env, name) !== undefined);
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
