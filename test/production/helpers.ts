/** Small helpers of the production tests: polling, plain HTTP GETs, and reading a process's logged addresses. */
import type { WorkerProcess } from '../../dev/sync-stack';

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** GET `url`: the status and the body (JSON when it parses, else the text). Rejects when nothing answers. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body };
}

/** The health URL a worker process logged at start (HEALTH_PORT=0 picks a free port). */
export function healthUrlOf(worker: WorkerProcess): string {
  const health = worker.logged('worker started')?.health;
  if (typeof health !== 'string') throw new Error(`the worker logged no health URL:\n${worker.output().slice(-2000)}`);
  return health;
}
