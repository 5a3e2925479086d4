/**
 * The worker's PostgreSQL databases — the limiter's (NETSUITE_LIMITER_URL) and the cursors' (STATE_DATABASE_URL) — as
 * health checks: at boot, a database that does not answer stops the worker (exit 78, its URL named without the
 * password); later, one that goes away makes /readyz fail with the cause, logged once when it goes and once when it is back.
 */
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { ConfigError, displayUrl } from './config';
import type { CheckResult } from './health';

export interface DatabaseProbe {
  /** What it is, e.g. "NETSUITE_LIMITER_URL" or "NETSUITE_LIMITER_URL and STATE_DATABASE_URL". */
  readonly name: string;
  /** The URL without user name and password. */
  readonly displayUrl: string;
  /** SELECT 1, within a few seconds. */
  check(): Promise<CheckResult>;
  close(): Promise<void>;
}

/** The databases a worker uses, each URL once (named by every variable that points at it). */
export function workerDatabases(databases: { variable: string; url: string | undefined }[]): { name: string; url: string }[] {
  const byUrl = new Map<string, string[]>();
  for (const { variable, url } of databases) if (url) byUrl.set(url, [...(byUrl.get(url) ?? []), variable]);
  return [...byUrl].map(([url, variables]) => ({ name: variables.join(' and '), url }));
}

export function databaseProbe(database: { name: string; url: string }, logger: Logger): DatabaseProbe {
  const shown = displayUrl(database.url);
  const pool = new Pool({
    connectionString: database.url,
    max: 1,
    connectionTimeoutMillis: 3_000,
    query_timeout: 3_000,
    idleTimeoutMillis: 30_000,
    allowExitOnIdle: true,
  });
  pool.on('error', () => undefined); // an idle connection dropped: the next check reconnects and says so
  let healthy: boolean | undefined;
  return {
    name: database.name,
    displayUrl: shown,
    async check() {
      let result: CheckResult;
      try {
        await pool.query('SELECT 1');
        result = { ok: true };
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        const reason = error instanceof Error && error.message ? error.message : String(code ?? error);
        result = { ok: false, detail: `the PostgreSQL of ${database.name} (${shown}) does not answer: ${reason}` };
      }
      // Only changes are logged (the first answer at boot is the boot's to report).
      if (healthy === true && !result.ok)
        logger.error({ database: database.name, url: shown, detail: result.detail }, 'database unreachable: /readyz fails, NetSuite calls wait for it');
      if (healthy === false && result.ok) logger.info({ database: database.name, url: shown }, 'database reachable again');
      healthy = result.ok;
      return result;
    },
    close: () => pool.end(),
  };
}

/** Refuses to boot (ConfigError, exit 78) when any database does not answer; names each URL without its password. */
export async function requireReachable(probes: readonly DatabaseProbe[]): Promise<void> {
  const results = await Promise.all(probes.map(async (probe) => ({ probe, result: await probe.check() })));
  const problems = results
    .filter(({ result }) => !result.ok)
    .map(({ probe, result }) => result.detail ?? `the PostgreSQL of ${probe.name} (${probe.displayUrl}) does not answer`);
  if (problems.length > 0) throw new ConfigError(`database unreachable — ${problems.join('; ')}`, problems);
}
