/**
 * The Temporal connection settings of every process (worker, receiver, CLI and its `schedules` commands): the SDK's
 * own environment configuration (`@temporalio/envconfig`), the same settings the Temporal CLI and every other SDK
 * read. temporalConnectionSettingsSchema describes each variable; envconfig reads them (and the TOML profile they
 * name), and loadTemporalConnectionSettings refuses, naming the variable, anything the SDK would silently drop: a
 * missing config file or profile, a certificate without its key, an unreadable PEM file, and
 * TEMPORAL_TLS_DISABLE_HOST_VERIFICATION, which the TypeScript SDK does not support. The API key and PEM contents
 * never appear in a message or a log line: `describe()` says only what is configured.
 */
import { existsSync } from 'node:fs';
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { z } from 'zod';
import { ConfigError, envValue, processEnv, secretSetting, settingsGroup } from './env';

/** Where no address is configured: the local dev server. */
export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_TEMPORAL_NAMESPACE = 'default';

const text = () => envValue(z.string().optional());

/** The Temporal connection's variables (read by envconfig; TEMPORAL_GRPC_META_<NAME> adds a gRPC header to every call). */
export const temporalConnectionSettingsSchema = settingsGroup(
  z.object({
    TEMPORAL_ADDRESS: text().describe(`host:port of the Temporal frontend. Default: the profile's, else ${DEFAULT_TEMPORAL_ADDRESS}.`),
    TEMPORAL_NAMESPACE: text().describe(
      `The namespace; on Temporal Cloud <namespace>.<account>. Default: the profile's, else "${DEFAULT_TEMPORAL_NAMESPACE}".`,
    ),
    TEMPORAL_API_KEY: secretSetting(text()).describe('Sent as `authorization: Bearer <key>`; turns TLS on unless TEMPORAL_TLS=false.'),
    TEMPORAL_TLS: text().describe('true/false. Default: on when any TLS setting or an API key is given.'),
    TEMPORAL_TLS_CLIENT_CERT_PATH: text().describe("mTLS: the client's certificate (PEM file); needs TEMPORAL_TLS_CLIENT_KEY_PATH (or _DATA)."),
    TEMPORAL_TLS_CLIENT_CERT_DATA: text().describe("mTLS: the client's certificate, the PEM itself."),
    TEMPORAL_TLS_CLIENT_KEY_PATH: text().describe("mTLS: the client's private key (PEM file, a secret)."),
    TEMPORAL_TLS_CLIENT_KEY_DATA: secretSetting(text()).describe("mTLS: the client's private key, the PEM itself."),
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: text().describe("The CA that signed the server's certificate (PEM file). Default: the system's roots."),
    TEMPORAL_TLS_SERVER_CA_CERT_DATA: text().describe("The CA that signed the server's certificate, the PEM itself."),
    TEMPORAL_TLS_SERVER_NAME: text().describe("The name to verify in the server's certificate. Default: the address's host."),
    TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: text().describe('Refused: the TypeScript SDK cannot skip host verification; set TEMPORAL_TLS_SERVER_NAME instead.'),
    TEMPORAL_PROFILE: text().describe('The profile of the TOML config file to read. Default "default"; each variable above wins over the profile.'),
    TEMPORAL_CONFIG_FILE: text().describe('The TOML config file of the profiles. Default ~/.config/temporalio/temporal.toml.'),
  }),
  {
    title: 'Temporal connection',
    description:
      "Every process's connection to Temporal, read by the SDK's environment configuration (@temporalio/envconfig) like the Temporal CLI and the other SDKs read it; TEMPORAL_GRPC_META_<NAME> adds a gRPC header to every call. The defaults are envconfig's.",
  },
);

export interface TemporalConnectionSettings {
  /** host:port of the frontend (TEMPORAL_ADDRESS, else the profile's, else DEFAULT_TEMPORAL_ADDRESS). */
  address: string;
  /** The namespace (TEMPORAL_NAMESPACE, else the profile's, else DEFAULT_TEMPORAL_NAMESPACE). */
  namespace: string;
  /** What the SDK's connections take (address, tls, apiKey, metadata). Holds secrets: never log it. */
  connectionOptions: NativeConnectionOptions & { address: string };
  /** What a log line may say about the connection: no key, no certificate. */
  describe(): TemporalConnectionDescription;
}

export interface TemporalConnectionDescription {
  address: string;
  namespace: string;
  /** off, tls (server verified), or mtls (and a client certificate). */
  tls: 'off' | 'tls' | 'mtls';
  apiKey: 'set' | 'none';
  /** The TOML profile read, when a config file was found. */
  profile?: string;
}

const truthy = (value: string | undefined): boolean => value !== undefined && ['1', 'true'].includes(value.trim().toLowerCase());

/** Reads the connection settings from `env` (and the TOML profile it names); throws a ConfigError naming the variable. */
export function loadTemporalConnectionSettings(env: NodeJS.ProcessEnv = processEnv()): TemporalConnectionSettings {
  const vars = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''));
  const problems: string[] = [];
  if (vars.TEMPORAL_CONFIG_FILE && !existsSync(vars.TEMPORAL_CONFIG_FILE)) problems.push(`TEMPORAL_CONFIG_FILE=${vars.TEMPORAL_CONFIG_FILE} does not exist`);
  if (truthy(vars.TEMPORAL_TLS_DISABLE_HOST_VERIFICATION)) {
    problems.push(
      'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION is not supported by the TypeScript SDK: set TEMPORAL_TLS_SERVER_NAME to the name in the server certificate instead',
    );
  }
  if (problems.length > 0) throw temporalConfigError(problems);

  let profile: ClientConfigProfile;
  try {
    profile = loadClientConfigProfile({ overrideEnvVars: vars });
  } catch (error) {
    throw temporalConfigError([`the Temporal client configuration cannot be read (TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE): ${messageOf(error)}`]);
  }
  const tls = profile.tls;
  const hasCert = tls?.clientCert !== undefined;
  const hasKey = tls?.clientKey !== undefined;
  if (hasCert !== hasKey) {
    problems.push(
      hasCert
        ? 'TEMPORAL_TLS_CLIENT_CERT_PATH (or _DATA) is set without TEMPORAL_TLS_CLIENT_KEY_PATH (or _DATA): mTLS needs both'
        : 'TEMPORAL_TLS_CLIENT_KEY_PATH (or _DATA) is set without TEMPORAL_TLS_CLIENT_CERT_PATH (or _DATA): mTLS needs both',
    );
  }
  for (const [name, source] of [
    ['TEMPORAL_TLS_CLIENT_CERT_PATH', tls?.clientCert],
    ['TEMPORAL_TLS_CLIENT_KEY_PATH', tls?.clientKey],
    ['TEMPORAL_TLS_SERVER_CA_CERT_PATH', tls?.serverCACert],
  ] as const) {
    if (source && 'path' in source && !existsSync(source.path)) problems.push(`${name}=${source.path} does not exist`);
  }
  if (problems.length > 0) throw temporalConfigError(problems);

  let connect: ReturnType<typeof toClientOptions>;
  try {
    connect = toClientOptions(profile);
  } catch (error) {
    throw temporalConfigError([`a Temporal TLS file cannot be read: ${messageOf(error)}`]);
  }
  const address = connect.connectionOptions.address ?? DEFAULT_TEMPORAL_ADDRESS;
  const namespace = connect.namespace ?? DEFAULT_TEMPORAL_NAMESPACE;
  const connectionOptions = { ...withoutUndefined(connect.connectionOptions), address };
  const tlsOn = connectionOptions.tls !== undefined && connectionOptions.tls !== false;
  const description: TemporalConnectionDescription = {
    address,
    namespace,
    tls: !tlsOn ? 'off' : hasCert ? 'mtls' : 'tls',
    apiKey: profile.apiKey ? 'set' : 'none',
    ...(vars.TEMPORAL_PROFILE ? { profile: vars.TEMPORAL_PROFILE } : {}),
  };
  return { address, namespace, connectionOptions, describe: () => ({ ...description }) };
}

function temporalConfigError(problems: readonly string[]): ConfigError {
  return new ConfigError(`invalid Temporal connection settings — ${problems.join('; ')}`, problems);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
