/**
 * Liveness and readiness, as Kubernetes probes read them:
 *   GET /livez   200 while the process can do its work at all (a worker that has stopped or failed answers 503: restart me)
 *   GET /readyz  200 while it is connected to Temporal and not shutting down (503: send me nothing new)
 * Each answers JSON `{status, checks: {name: {ok, detail?}}}`. The worker serves them on their own port
 * (`startHealthServer`); the webhook receiver adds the same routes to its HTTP app (`healthRoutes`).
 */
import { createServer, type Server } from 'node:http';
import { listeningUrl } from './server-process';

export const LIVENESS_PATH = '/livez';
export const READINESS_PATH = '/readyz';

export interface CheckResult {
  ok: boolean;
  /** Why it is not ok, in plain words (never a secret). */
  detail?: string;
}

export type Checks = Record<string, () => CheckResult | Promise<CheckResult>>;

export interface HealthReport {
  status: 'ok' | 'failing';
  checks: Record<string, CheckResult>;
}

/** Runs every check (a throwing or slow check counts as failing) and reports them together. */
export async function runChecks(checks: Checks, timeoutMs = 2000): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<CheckResult>((resolve) => {
          timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
        });
        return [name, await Promise.race([Promise.resolve(check()), timeout])];
      } catch (error) {
        return [name, { ok: false, detail: error instanceof Error ? error.message : String(error) }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const results = Object.fromEntries(entries);
  return { status: entries.every(([, r]) => r.ok) ? 'ok' : 'failing', checks: results };
}

/**
 * "Connected to Temporal": the frontend answers a gRPC health check. `check` is the connection's health service call
 * (NativeConnection and Connection both have `healthService.check`).
 */
export function temporalCheck(connection: { healthService: { check(request: object): Promise<{ status?: unknown }> } }): () => Promise<CheckResult> {
  return async () => {
    try {
      const answer = await connection.healthService.check({});
      // grpc.health.v1 ServingStatus: 1 = SERVING
      const serving = answer.status === 1 || answer.status === 'SERVING';
      return serving ? { ok: true } : { ok: false, detail: `the Temporal frontend answered status ${String(answer.status)}` };
    } catch (error) {
      return { ok: false, detail: `Temporal is unreachable: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
    }
  };
}

export interface HealthEndpoints {
  liveness: Checks;
  readiness: Checks;
}

export interface HealthServer {
  /** Base URL, e.g. http://127.0.0.1:8081. */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves /livez and /readyz on host:port (0 = any free port). */
export async function startHealthServer(host: string, port: number, endpoints: HealthEndpoints): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const checks = path === LIVENESS_PATH ? endpoints.liveness : path === READINESS_PATH ? endpoints.readiness : undefined;
    if (request.method !== 'GET' || checks === undefined) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    void runChecks(checks).then((report) => {
      response.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(report));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    url: listeningUrl(server),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
