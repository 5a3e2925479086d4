/**
 * The NetSuite settings: those shared by both environments, and each environment's account variables
 * (`NS_SANDBOX_*`, `NS_PROD_*`). Each variable's name, default, rule and description live here; ./netsuite-guard.ts
 * and ./netsuite.ts parse them with these schemas.
 */
import { z } from 'zod';
import type { JwtAlgorithm } from '../netsuite/credentials';
import { envBoolean, envValue, requiredSetting, secretSetting, settingsGroup } from './env';

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
export const netsuiteSettingsSchema = settingsGroup(
  z.object({
    NETSUITE_ENVIRONMENT: envValue(
      z.enum(NETSUITE_ENVIRONMENTS, { error: 'set it to sandbox or production (a worker must declare which NetSuite account it writes to)' }),
    ).describe('sandbox | production: which NetSuite account this deployment writes to; selects NS_SANDBOX_* or NS_PROD_*, and only those are read.'),
    NETSUITE_ALLOW_CUSTOM_HOST: envBoolean()
      .default(false)
      .describe('Allow a base URL whose host is not *.netsuite.com (a simulator, a proxy); a warning is reported.'),
    NETSUITE_ACCOUNT_CONCURRENCY: envValue(
      z.coerce.number({ error: WHOLE_LIMIT }).int({ error: WHOLE_LIMIT }).min(1, { error: WHOLE_LIMIT }).default(5),
    ).describe(
      "The NetSuite account's concurrency limit, shared by REST, SOAP and RESTlets (5 standard, 15 premium, 20 enterprise, +10 per SuiteCloud Plus licence).",
    ),
    NETSUITE_CONCURRENCY_SHARE: envValue(z.coerce.number({ error: SHARE_RULE }).gt(0, { error: SHARE_RULE }).lte(1, { error: SHARE_RULE }).default(1)).describe(
      "This integration's share of the account limit (0 < share ≤ 1); permits = max(1, floor(limit × share)).",
    ),
    NETSUITE_LIMITER_URL: secretSetting(envValue(z.string().optional())).describe(
      'postgres:// URL (with its password) of the database whose advisory locks cap NetSuite concurrency across all worker replicas. Unset: the cap is per process, which production refuses unless NETSUITE_LIMITER=process.',
    ),
    NETSUITE_LIMITER_KEY: envValue(z.string().min(1).optional()).describe(
      'Names the lock space of the PostgreSQL limiter: deployments with the same key share the permits. Give each integration on one account its own key. Default woo-netsuite-sync:<account ID>.',
    ),
    NETSUITE_LIMITER: envValue(z.enum(['postgres', 'process'], { error: 'set it to postgres or process' }).optional()).describe(
      'postgres | process. Default: postgres when NETSUITE_LIMITER_URL is set, else process (refused in production unless explicit).',
    ),
    NETSUITE_REQUEST_TIMEOUT_SECONDS: envValue(z.coerce.number({ error: TIMEOUT_RULE }).gt(0, { error: TIMEOUT_RULE }).default(60)).describe(
      'Timeout of one NetSuite HTTP request, in seconds.',
    ),
  }),
  {
    title: 'NetSuite',
    description: 'The NetSuite settings shared by both environments: which account this deployment writes to, and the concurrency cap all its workers share.',
  },
);

export type SharedNetSuiteSettings = z.infer<typeof netsuiteSettingsSchema>;

const text = () => envValue(z.string().optional());

/**
 * One environment's account variables, without their prefix (`NS_SANDBOX_` or `NS_PROD_`), parsed by the guard
 * (./netsuite-guard.ts), which also checks what the values mean and which of them are required.
 */
export const netsuiteAccountSettingsSchema = settingsGroup(
  z.object({
    ACCOUNT_ID: requiredSetting(text()).describe(
      'Account ID as NetSuite spells it: 1234567 (production), 1234567_SB1 (sandbox), 1234567_RP1 (release preview).',
    ),
    BASE_URL: text().describe(
      'Origin of the account, e.g. https://1234567-sb1.suitetalk.api.netsuite.com. Default derived from the account ID (lower-case, _ → -).',
    ),
    CLIENT_ID: requiredSetting(text()).describe('Client ID of the integration record (JWT iss). Required by the worker.'),
    CERTIFICATE_ID: requiredSetting(text()).describe('Certificate ID of the OAuth 2.0 client-credentials mapping (JWT kid). Required by the worker.'),
    PRIVATE_KEY: secretSetting(text()).describe(
      'PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----); literal \\n sequences are read as newlines. This or PRIVATE_KEY_FILE: the worker needs one.',
    ),
    PRIVATE_KEY_FILE: text().describe('Path of a file holding the PKCS#8 PEM private key. This or PRIVATE_KEY.'),
    JWT_ALGORITHM: envValue(
      z
        .enum(NETSUITE_JWT_ALGORITHMS, {
          error: (issue) =>
            `is not accepted by NetSuite: use one of ${NETSUITE_JWT_ALGORITHMS.join(', ')}${String(issue.input).toUpperCase() === 'RS256' ? ' (RS256 was withdrawn; use PS256 with the same RSA key)' : ''}`,
        })
        .default('PS256'),
    ).describe('JWT signing algorithm: PS256|PS384|PS512 (RSA key) or ES256|ES384|ES512 (EC key).'),
    SCOPE: envValue(z.string().min(1).default('rest_webservices')).describe('OAuth scope(s), comma-separated.'),
  }),
  {
    title: 'NetSuite account',
    description:
      "Each environment's account, read as NS_SANDBOX_<NAME> or NS_PROD_<NAME>: only the environment NETSUITE_ENVIRONMENT names is read, and the guard refuses an account ID or host of the other one.",
    prefixes: Object.values(NETSUITE_ENV_PREFIX),
  },
);

export type NetSuiteAccountSettings = z.infer<typeof netsuiteAccountSettingsSchema>;
