/**
 * The one way every process (worker, receiver, CLI and its `schedules` commands) connects to Temporal: the SDK's own
 * environment configuration (`@temporalio/envconfig`), the same settings the Temporal CLI and every other SDK read.
 *
 *   TEMPORAL_ADDRESS                      host:port of the frontend (default 127.0.0.1:7233)
 *   TEMPORAL_NAMESPACE                    default "default"; on Temporal Cloud `<namespace>.<account>`
 *   TEMPORAL_API_KEY                      sent as `authorization: Bearer <key>`; turns TLS on unless TEMPORAL_TLS=false
 *   TEMPORAL_TLS                          true/false (default: on when any TLS setting or an API key is given)
 *   TEMPORAL_TLS_CLIENT_CERT_PATH / _DATA and TEMPORAL_TLS_CLIENT_KEY_PATH / _DATA   mTLS: the client's certificate and key (PEM)
 *   TEMPORAL_TLS_SERVER_CA_CERT_PATH / _DATA   the CA that signed the server's certificate (default: the system's roots)
 *   TEMPORAL_TLS_SERVER_NAME              the name to verify in the server's certificate (default: the address's host)
 *   TEMPORAL_GRPC_META_<NAME>             an extra gRPC header on every call
 *   TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE  a profile (default "default") of a TOML file (default
 *                                         ~/.config/temporalio/temporal.toml); each variable above wins over the profile
 *
 * Anything the SDK would silently drop is refused instead, with the variable named (a ConfigError: the process exits
 * 78): a missing config file or profile, a certificate without its key, an unreadable PEM file, and
 * TEMPORAL_TLS_DISABLE_HOST_VERIFICATION, which the TypeScript SDK does not support. The API key and PEM contents never
 * appear in a message or a log line: `describe()` says only what is configured.
 */
import { existsSync } from 'node:fs';
import { connect as netConnect, isIP } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { Client, Connection, type ClientOptions } from '@temporalio/client';
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile } from '@temporalio/envconfig';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import { ConfigError } from './config';

/** Where no address is configured: the local dev server. */
export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_TEMPORAL_NAMESPACE = 'default';

export interface TemporalConnectionSettings {
  address: string;
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
export function loadTemporalConnectionSettings(env: NodeJS.ProcessEnv = process.env): TemporalConnectionSettings {
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

/** The frontend could not be reached: "Temporal at <address> cannot be reached: <reason>". */
export class TemporalUnreachableError extends Error {
  constructor(
    readonly address: string,
    /** The SDK's first line, and what a TCP and TLS probe of the address found. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Temporal at ${address} cannot be reached: ${reason}`, options);
    this.name = 'TemporalUnreachableError';
  }
}

/** A connection for workers (the Rust core's). */
export async function connectNative(settings: TemporalConnectionSettings): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(settings.connectionOptions);
  } catch (error) {
    throw await unreachable(settings, error);
  }
}

/** A Client whose connection is a gRPC-js Connection (health checks, close). */
export type TemporalClient = Client & { readonly connection: Connection };

/** A client (gRPC-js) of the settings' namespace. `connectTimeout` bounds the first call (default the SDK's, 10 s). */
export async function connectTemporalClient(
  settings: TemporalConnectionSettings,
  options: Pick<ClientOptions, 'dataConverter' | 'plugins'> & { connectTimeout?: string } = {},
): Promise<TemporalClient> {
  const { connectTimeout, ...clientOptions } = options;
  const { address, tls, apiKey, metadata } = settings.connectionOptions;
  let connection: Connection;
  try {
    connection = await Connection.connect({
      address,
      ...(tls !== undefined ? { tls } : {}),
      ...(apiKey !== undefined ? { apiKey } : {}),
      ...(metadata !== undefined ? { metadata } : {}),
      ...(connectTimeout !== undefined ? { connectTimeout } : {}),
    });
  } catch (error) {
    throw await unreachable(settings, error);
  }
  return new Client({ connection, namespace: settings.namespace, ...withoutUndefined(clientOptions) }) as TemporalClient;
}

/** The SDK's error (its first line), and what a probe of the address found, e.g. "the server refused the client certificate". */
async function unreachable(settings: TemporalConnectionSettings, error: unknown): Promise<TemporalUnreachableError> {
  const said = messageOf(error).split('\n')[0] ?? '';
  const found = await probeConnection(settings).catch(() => undefined);
  return new TemporalUnreachableError(settings.address, found ? `${said} — ${found}` : said, { cause: error });
}

/**
 * Connects to the address over TCP and, with TLS on, completes a handshake with the same certificates, to name a
 * cause the SDK's error hides ("Failed to connect before the deadline"): nothing listening, an untrusted server
 * certificate, a client certificate refused or missing. Undefined when the probe finds nothing wrong.
 */
export async function probeConnection(settings: TemporalConnectionSettings, timeoutMs = 3000): Promise<string | undefined> {
  const { host, port } = hostAndPort(settings.address);
  const tlsOptions = settings.connectionOptions.tls ?? undefined;
  const socket =
    tlsOptions === undefined || tlsOptions === false
      ? netConnect({ host, port })
      : tlsConnect({
          host,
          port,
          ALPNProtocols: ['h2'],
          ...(tlsOptions === true ? {} : tlsProbeOptions(tlsOptions)),
          ...((tlsOptions === true || !tlsOptions.serverNameOverride) && !isIP(host) ? { servername: host } : {}),
        });
  return new Promise<string | undefined>((resolve) => {
    const done = (result: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(`no answer from ${host}:${port} within ${timeoutMs} ms`), timeoutMs);
    const checkedName = (tlsOptions && tlsOptions !== true && tlsOptions.serverNameOverride) || host;
    socket.once('error', (error: NodeJS.ErrnoException) => done(explainSocketError(error, host, port, checkedName)));
    // TLS 1.3 servers judge the client certificate after the handshake: wait a moment for their alert.
    socket.once(tlsOptions ? 'secureConnect' : 'connect', () => setTimeout(() => done(undefined), tlsOptions ? 300 : 0));
  });
}

function tlsProbeOptions(tls: Exclude<NonNullable<NativeConnectionOptions['tls']>, boolean>): ConnectionOptions {
  return {
    ...(tls.serverNameOverride ? { servername: tls.serverNameOverride } : {}),
    ...(tls.serverRootCACertificate ? { ca: Buffer.from(tls.serverRootCACertificate) } : {}),
    ...(tls.clientCertPair ? { cert: Buffer.from(tls.clientCertPair.crt), key: Buffer.from(tls.clientCertPair.key) } : {}),
  };
}

function hostAndPort(address: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  return match ? { host: match[1] ?? address, port: Number(match[2]) } : { host: address, port: 7233 };
}

/** A socket or TLS error in plain words, with the setting that fixes it. */
function explainSocketError(error: NodeJS.ErrnoException, host: string, port: number, checkedName: string): string {
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') return `nothing listens at ${host}:${port} (ECONNREFUSED)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host ${host} cannot be resolved (${code})`;
  if (/CERTIFICATE_REQUIRED/.test(code))
    return `the server requires a client certificate (${code}): set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH`;
  if (
    /ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|CERTIFICATE_REVOKED|CERTIFICATE_EXPIRED|ACCESS_DENIED|DECRYPT_ERROR)/.test(
      code,
    )
  ) {
    return `the server refused the client certificate (${code}): TEMPORAL_TLS_CLIENT_CERT_PATH must be signed by a CA the server trusts, and not expired`;
  }
  if (/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT|CERT_UNTRUSTED/.test(code)) {
    return `the server's certificate is not trusted (${code}): set TEMPORAL_TLS_SERVER_CA_CERT_PATH to the CA that signed it`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `the server's certificate does not name ${checkedName} (${code}): set TEMPORAL_TLS_SERVER_NAME to a name it holds`;
  if (code === 'CERT_HAS_EXPIRED') return `the server's certificate has expired (${code})`;
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG/.test(code) || /wrong version number/i.test(error.message)) {
    return `the server at ${host}:${port} does not speak TLS (${code || error.message}): check the address, or set TEMPORAL_TLS=false`;
  }
  return `${code ? `${code}: ` : ''}${error.message}`;
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
