/**
 * Helpers for tests that talk to the WooCommerce simulator: a real webhook receiver (node:http on 127.0.0.1, any free
 * port) that keeps the raw body bytes of every request, and a small authenticated REST client on global fetch.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The body exactly as received. */
  rawBody: Buffer;
  receivedAt: number;
}

export interface WebhookReceiver {
  /** e.g. http://127.0.0.1:PORT/hook */
  url: string;
  requests: ReceivedRequest[];
  /** Status to answer with (default 200), or a function of the request; 'hang' never answers (the socket stays open until close). */
  respondWith: number | 'hang' | ((request: ReceivedRequest) => number | 'hang');
  /** Requests that carry X-WC-Webhook-* headers (deliveries, not pings). */
  deliveries(): ReceivedRequest[];
  /** Pings: form bodies `webhook_id=<id>`. */
  pings(): ReceivedRequest[];
  /** Resolves once at least `count` deliveries arrived; rejects after timeoutMs (default 5000). */
  waitForDeliveries(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(path = '/hook'): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: (() => void)[] = [];
  const hanging = new Set<http.ServerResponse>();
  const receiver: WebhookReceiver = {
    url: '',
    requests,
    respondWith: 200,
    deliveries: () => requests.filter((r) => r.headers['x-wc-webhook-topic'] !== undefined),
    pings: () => requests.filter((r) => r.headers['x-wc-webhook-topic'] === undefined),
    waitForDeliveries(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (receiver.deliveries().length >= count) {
            clearTimeout(timer);
            resolve(receiver.deliveries());
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => reject(new Error(`only ${receiver.deliveries().length} of ${count} deliveries after ${timeoutMs} ms`)), timeoutMs);
        if (!check()) {
          const waiter = (): void => {
            if (!check()) waiters.push(waiter);
          };
          waiters.push(waiter);
        }
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawBody: Buffer.concat(chunks),
        receivedAt: Date.now(),
      };
      requests.push(received);
      const status = typeof receiver.respondWith === 'function' ? receiver.respondWith(received) : receiver.respondWith;
      if (status === 'hang') {
        hanging.add(res);
        for (const waiter of waiters.splice(0)) waiter();
        return;
      }
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'nope');
      for (const waiter of waiters.splice(0)) waiter();
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return receiver;
}

export interface WooRestClient {
  /** Sends a request to `${url}${base}${path}` (base default `/wp-json/wc/v3`) with Basic auth; returns status, headers and the parsed body. */
  request(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; body: unknown; text: string }>;
  get(path: string): Promise<{ status: number; headers: Headers; body: unknown; text: string }>;
}

/** `base`: the REST namespace path, e.g. `/wp-json/wc-shipment-tracking/v3` for the Shipment Tracking extension. */
export function wooClient(sim: { url: string; consumerKey: string; consumerSecret: string }, base = '/wp-json/wc/v3'): WooRestClient {
  const authorization = `Basic ${Buffer.from(`${sim.consumerKey}:${sim.consumerSecret}`).toString('base64')}`;
  const request: WooRestClient['request'] = async (method, path, body) => {
    const response = await fetch(`${sim.url}${base}${path}`, {
      method,
      headers: body === undefined ? { authorization } : { authorization, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
  return { request, get: (path) => request('GET', path) };
}
