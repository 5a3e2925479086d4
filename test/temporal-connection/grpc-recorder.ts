/**
 * A TLS gRPC proxy that records what clients send: an HTTP/2 server (node:http2, ALPN h2, the test server certificate)
 * forwarding every call to the dev server and keeping each call's `authorization` header — so a test sees the API key
 * exactly as the SDK sends it, on calls that really reach Temporal.
 */
import { connect, constants, createSecureServer, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { TestCertificates } from '../helpers/certificates';

export interface GrpcRecorder {
  address: string;
  /** The `authorization` header of every call so far (undefined where a call had none). */
  authorizations(): (string | undefined)[];
  stop(): Promise<void>;
}

const { HTTP2_HEADER_METHOD, HTTP2_HEADER_PATH, HTTP2_HEADER_STATUS } = constants;

/** The headers to pass on: HTTP/2 pseudo-headers and connection-level ones stay behind. */
function forwardable(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith(':') && name !== 'host'));
}

export async function startGrpcRecorder(options: { upstream: string; certificates: TestCertificates }): Promise<GrpcRecorder> {
  const upstream = connect(`http://${options.upstream}`);
  upstream.on('error', () => undefined);
  const seen: (string | undefined)[] = [];
  const server = createSecureServer({ cert: readFileSync(options.certificates.serverCert), key: readFileSync(options.certificates.serverKey) });
  // Open sessions, for a stop that does not wait for the workers' long polls to end.
  const sessions = new Set<{ destroy(): void }>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    seen.push(typeof headers.authorization === 'string' ? headers.authorization : undefined);
    const call = upstream.request({
      [HTTP2_HEADER_METHOD]: headers[HTTP2_HEADER_METHOD],
      [HTTP2_HEADER_PATH]: headers[HTTP2_HEADER_PATH],
      ...forwardable(headers),
    });
    let trailers: OutgoingHttpHeaders = {};
    call.on('response', (response) => {
      const { [HTTP2_HEADER_STATUS]: status, ...rest } = response;
      // A gRPC error may come as headers only ("trailers-only"): answer it the same way.
      const trailersOnly = rest['grpc-status'] !== undefined;
      if (!stream.destroyed)
        stream.respond({ [HTTP2_HEADER_STATUS]: status, ...forwardable(rest) }, trailersOnly ? { endStream: true } : { waitForTrailers: true });
    });
    call.on('trailers', (received) => (trailers = forwardable(received)));
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    call.on('data', (chunk: Buffer) => !stream.destroyed && stream.write(chunk));
    call.on('end', () => !stream.destroyed && stream.end());
    call.on('error', () => stream.destroy());
    stream.on('data', (chunk: Buffer) => call.write(chunk));
    stream.on('end', () => call.end());
    stream.on('close', () => call.close());
    stream.on('error', () => call.close());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    authorizations: () => [...seen],
    async stop() {
      upstream.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.destroy();
      });
    },
  };
}
