import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** Simulators bind to loopback only: nothing they serve is reachable from another host. */
export const LOOPBACK = '127.0.0.1';

/** A Fastify instance with the defaults every simulator listener shares: no request logging, large bodies allowed. */
export function createHttpApp(options: FastifyServerOptions = {}): FastifyInstance {
  return Fastify({ logger: false, bodyLimit: 110 * 1024 * 1024, forceCloseConnections: true, ...options });
}

/** Listens on 127.0.0.1 (port 0 = any free port) and returns the base URL, without a trailing slash. */
export async function listenOnLoopback(app: FastifyInstance, port = 0): Promise<string> {
  await app.listen({ host: LOOPBACK, port });
  const address = app.server.address() as AddressInfo;
  return `http://${LOOPBACK}:${address.port}`;
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
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: `no control route ${request.method} ${request.url}`, issues: [] }),
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
