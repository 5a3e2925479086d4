/**
 * Loopback HTTP servers (127.0.0.1 only) that stand in front of the simulators for the answers the simulators do not
 * give: a WooCommerce front that serves chosen orders as a plugin (or real WooCommerce) would, and a NetSuite front
 * that answers chosen requests with a body that is not JSON, an HTML login page, or the same SuiteQL page again.
 * Everything else passes through unchanged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NetSuiteSimulator } from '../../simulators/netsuite';
import { createTokenProvider } from '../../src/netsuite/auth';
import { simulatorCredentials } from '../../dev/simulator-credentials';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers never copied from one hop to the next. */
const HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'accept-encoding']);

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

async function forward(target: string, request: IncomingMessage, body: Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (!HOP.has(name) && typeof value === 'string') sent[name] = value;
  const response = await fetch(`${target}${request.url ?? '/'}`, {
    method: request.method ?? 'GET',
    headers: { ...sent, ...headers },
    ...(body.length > 0 ? { body } : {}),
    redirect: 'manual',
  });
  const answer: Answer = { status: response.status, headers: {}, body: await response.text() };
  response.headers.forEach((value, name) => {
    if (!HOP.has(name) && name !== 'content-encoding') answer.headers[name] = value;
  });
  return answer;
}

function send(response: ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
  response.end(answer.body);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

export interface WooFront {
  /** Base URL, e.g. http://127.0.0.1:PORT (a store URL for StoreSettings). */
  url: string;
  /** From now on, `GET /orders/<orderId>` answers the order as `rewrite` changes it (list pages are left alone). */
  serveOrder(orderId: number, rewrite: (order: Record<string, unknown>) => Record<string, unknown>): void;
  close(): Promise<void>;
}

/** A WooCommerce front: everything is passed to `target` (the simulator), chosen orders' reads are rewritten. */
export async function startWooFront(target: string): Promise<WooFront> {
  const rewrites = new Map<number, (order: Record<string, unknown>) => Record<string, unknown>>();
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const answer = await forward(target, request, body);
      const id = /^\/wp-json\/wc\/v3\/orders\/(\d+)(?:\?|$)/.exec(request.url ?? '')?.[1];
      const rewrite = id === undefined ? undefined : rewrites.get(Number(id));
      if (request.method === 'GET' && rewrite && answer.status === 200)
        answer.body = JSON.stringify(rewrite(JSON.parse(answer.body) as Record<string, unknown>));
      send(response, answer);
    })().catch((error: unknown) => send(response, { status: 502, headers: { 'content-type': 'text/plain' }, body: String(error) }));
  });
  const url = await listen(server);
  return { url, serveOrder: (orderId, rewrite) => void rewrites.set(orderId, rewrite), close: closer(server) };
}

/** A request the NetSuite front saw: method and path below the origin (query string cut). */
export interface FrontRequest {
  method: string;
  path: string;
  /** The JSON body the client sent, when it sent one. */
  body: unknown;
}

/** What the front does with the next request `when` matches: answer it instead of NetSuite, or after NetSuite did. */
export interface FrontFault {
  when: (request: FrontRequest) => boolean;
  /** true: NetSuite processes the request first (a create happens), then the client gets `answer` instead of NetSuite's. */
  afterForwarding?: boolean;
  answer: (request: FrontRequest, netsuite?: Answer) => Answer;
  /** Requests it answers before it is spent. Default 1. */
  count?: number;
}

export interface NetSuiteFront {
  /** The origin to give the client as its base URL. */
  url: string;
  /** Adds a fault; faults are tried in the order added. */
  fault(fault: FrontFault): void;
  /** Removes every fault. */
  clearFaults(): void;
  /** Requests answered by a fault so far. */
  faulted: FrontRequest[];
  /** Every API request seen (the token endpoint apart). */
  requests: FrontRequest[];
  close(): Promise<void>;
}

export const TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';

/**
 * A NetSuite front for the real client: it answers the token endpoint itself (a JWT assertion is bound to the URL it
 * is sent to, so the simulator would refuse one meant for the front) and sends every other request on to the
 * simulator with a token of its own, minted from the simulator's default client.
 */
export async function startNetSuiteFront(sim: NetSuiteSimulator): Promise<NetSuiteFront> {
  const tokens = createTokenProvider(simulatorCredentials(sim));
  const faults: (FrontFault & { left: number })[] = [];
  const faulted: FrontRequest[] = [];
  const requests: FrontRequest[] = [];
  const toSim = async (request: IncomingMessage, body: Buffer): Promise<Answer> => {
    for (let attempt = 0; ; attempt++) {
      const token = await tokens.getToken();
      const answer = await forward(sim.url, request, body, { authorization: `Bearer ${token}` });
      if (answer.status !== 401 || attempt > 0) return answer;
      tokens.invalidate(token);
    }
  };
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
      if (path === TOKEN_PATH) {
        send(response, {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ access_token: 'front-token', expires_in: 3600, token_type: 'bearer' }),
        });
        return;
      }
      let parsed: unknown;
      try {
        parsed = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
      } catch {
        parsed = undefined;
      }
      const seen: FrontRequest = { method: request.method ?? 'GET', path, body: parsed };
      requests.push(seen);
      const fault = faults.find((f) => f.left > 0 && f.when(seen));
      if (!fault) {
        send(response, await toSim(request, body));
        return;
      }
      fault.left--;
      faulted.push(seen);
      send(response, fault.answer(seen, fault.afterForwarding ? await toSim(request, body) : undefined));
    })().catch((error: unknown) => send(response, { status: 502, headers: { 'content-type': 'text/plain' }, body: String(error) }));
  });
  const url = await listen(server);
  return {
    url,
    fault: (f) => void faults.push({ ...f, left: f.count ?? 1 }),
    clearFaults: () => void faults.splice(0),
    faulted,
    requests,
    close: closer(server),
  };
}
