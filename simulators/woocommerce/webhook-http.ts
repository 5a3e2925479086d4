/** The HTTP side of webhook requests: one POST at a time, never following redirects, aborted after a timeout. */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';

export interface PostResult {
  /** HTTP status, or null when the request failed (timeout, connection error, invalid URL). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** Sends webhook requests and keeps those in flight, so that closing the simulator can abort them. */
export class WebhookHttpClient {
  private readonly requests = new Set<http.ClientRequest>();

  /** One POST; never follows redirects (node:http does not), aborts after timeoutMs in total. */
  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostResult> {
    const started = performance.now();
    return new Promise<PostResult>((resolve) => {
      let settled = false;
      const finish = (statusCode: number | null, error: string | null): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ statusCode, error, durationMs: performance.now() - started });
      };
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        settled = true;
        resolve({ statusCode: null, error: `invalid URL ${url}`, durationMs: 0 });
        return;
      }
      const payload = Buffer.from(body, 'utf8');
      const transport = parsed.protocol === 'https:' ? https : http;
      const request = transport.request(parsed, {
        method: 'POST',
        agent: false,
        headers: { ...headers, 'Content-Length': String(payload.length) },
      });
      this.requests.add(request);
      const timer = setTimeout(() => {
        request.destroy(new Error(`timeout after ${timeoutMs} ms`));
      }, timeoutMs);
      request.on('response', (response) => {
        response.resume();
        response.on('end', () => finish(response.statusCode ?? null, null));
        response.on('error', () => finish(response.statusCode ?? null, null));
      });
      request.on('error', (error) => finish(null, error.message));
      request.on('close', () => {
        this.requests.delete(request);
        finish(null, 'connection closed');
      });
      request.end(payload);
    });
  }

  /** Aborts every request in flight. */
  close(): void {
    for (const request of this.requests) request.destroy();
    this.requests.clear();
  }
}
