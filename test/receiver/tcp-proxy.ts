/**
 * A TCP front for a real server (Temporal, PostgreSQL), for the receiver's fault tests: it forwards bytes both ways,
 * and on demand holds them (the server seems to hang: requests get no answer, new connections are accepted and wait)
 * or cuts every connection and refuses new ones (the server is down). Real network faults, no mocks.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  /** host:port to give a client instead of the server's. */
  address: string;
  port: number;
  /** Bytes stop moving in either direction; they flow again on forward(). */
  hold(): void;
  /** Every connection is closed and new ones are refused until forward(). */
  cut(): void;
  /** Forwards again (held bytes are delivered). */
  forward(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  toUpstream: Buffer[];
  toClient: Buffer[];
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'forward' | 'hold' | 'cut' = 'forward';
  const pairs = new Set<Pair>();

  const flush = (pair: Pair): void => {
    for (const chunk of pair.toUpstream.splice(0)) pair.upstream.write(chunk);
    for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
  };
  const server = createServer((client) => {
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair: Pair = { client, upstream, toUpstream: [], toClient: [] };
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => (mode === 'forward' ? upstream.write(chunk) : pair.toUpstream.push(chunk)));
    upstream.on('data', (chunk: Buffer) => (mode === 'forward' ? client.write(chunk) : pair.toClient.push(chunk)));
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    address: `127.0.0.1:${port}`,
    port,
    hold() {
      mode = 'hold';
    },
    cut() {
      mode = 'cut';
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      pairs.clear();
    },
    forward() {
      mode = 'forward';
      for (const pair of pairs) flush(pair);
    },
    close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
