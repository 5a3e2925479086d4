/**
 * The one way every process (worker, receiver, CLI and its `schedules` commands) connects to Temporal. The settings —
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE, read
 * by the SDK's environment configuration (`@temporalio/envconfig`) — are src/config/temporal.ts's
 * (loadTemporalConnectionSettings); this module connects with them, and when the frontend cannot be
 * reached, probes the address to say why.
 */
import { connect as netConnect, isIP } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { Client, Connection, type ClientOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { TemporalConnectionSettings } from './config';

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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
