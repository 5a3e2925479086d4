/** Builds the NetSuite concurrency limiter the settings ask for: PostgreSQL (cluster-wide) or in-process. */
import type { Logger } from 'pino';
import type { NetSuiteSettings } from '../config';
import { createProcessLimiter, type ConcurrencyLimiter } from './limiter';
import { createPostgresLimiter, lockSpaceOf } from './postgres-limiter';

/**
 * The limiter for `settings` (NetSuiteSettings['limiter']) with `permits` permits: a PostgreSQL advisory-lock limiter
 * when kind is postgres — lock space lockSpaceOf(key), default DEFAULT_LOCK_SPACE (from 'woo-netsuite-sync'); default
 * poll interval — else a process-local FIFO semaphore.
 */
export function createLimiter(settings: NetSuiteSettings['limiter'], permits: number, logger?: Logger): ConcurrencyLimiter {
  if (settings.kind === 'postgres') {
    return createPostgresLimiter({
      connectionString: settings.url,
      permits,
      ...(settings.key !== undefined ? { lockSpace: lockSpaceOf(settings.key) } : {}),
      ...(logger ? { logger } : {}),
    });
  }
  return createProcessLimiter(permits);
}
