import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** Simulators bind to loopback unless told otherwise: by default nothing they serve is reachable from another host. */
export const LOOPBACK = '127.0.0.1';

/** A Fastify instance with the defaults every simulator listener shares: no request logging, large bodies allowed. */
export function createHttpApp(options: FastifyServerOptions = {}): FastifyInstance {
  return Fastify({ logger: false, bodyLimit: 110 * 1024 * 1024, forceCloseConnections: true, ...options });
}

/**
 * Where a simulator listens and the host name its URLs carry. Both default to loopback; `npm run sim --host 0.0.0.0
 * --advertise-host simulators` (docker compose) listens on every interface and reports `http://simulators:PORT`, the
 * name other containers reach it by — a wildcard address is never a URL another process can use.
 */
export interface ListenAddress {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Host name in the URLs the simulator reports (store URL, REST base, token URL, record links). Default: see `advertisedHost`. */
  advertiseHost?: string;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/** The host name URLs carry: `advertiseHost` when given, else the listen host, else loopback (also for a wildcard host). */
export function advertisedHost(address: ListenAddress = {}): string {
  if (address.advertiseHost !== undefined && address.advertiseHost !== '') return address.advertiseHost;
  const host = address.host ?? LOOPBACK;
  return WILDCARD_HOSTS.has(host) ? LOOPBACK : host;
}

/** `host` as the host part of a URL: an IPv6 literal gets its brackets. */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Listens on `address.host` (default 127.0.0.1; port 0 = any free port) and returns the base URL, without a trailing
 * slash, named by the advertised host.
 */
export async function listenOn(app: FastifyInstance, port = 0, address: ListenAddress = {}): Promise<string> {
  await app.listen({ host: address.host ?? LOOPBACK, port });
  const bound = app.server.address() as AddressInfo;
  return `http://${urlHost(advertisedHost(address))}:${bound.port}`;
}

/**
 * Bad input to a control API: answered 400 `{"error": "...", "issues": [...]}` by `installControlErrorHandling`,
 * never a crash and never a vendor-shaped error (the control API is ours, not the vendor's).
 */
export class ControlInputError extends Error {
  constructor(
    message: string,
    readonly issues: string[] = [],
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = 'ControlInputError';
  }
}

/** Validates a control-API request body (or query) with zod; a failure becomes a ControlInputError naming each bad field. */
export function parseControlInput<S extends z.ZodType>(schema: S, input: unknown, what = 'request body'): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ControlInputError(`invalid ${what}: ${issues.join('; ')}`, issues);
}

/** Makes a control listener answer every failure with a clear JSON error: 400 for bad input, 404 for unknown routes. */
export function installControlErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, _request, reply) => {
    if (error instanceof ControlInputError) {
      return reply.code(error.statusCode).send({ error: error.message, issues: error.issues });
    }
    const e = error as { statusCode?: number; message?: string };
    const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
    return reply.code(status).send({ error: e.message ?? String(error), issues: [] });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no control route ${request.method} ${request.url}`, issues: [] }));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
