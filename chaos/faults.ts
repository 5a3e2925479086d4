/**
 * The chaos run's faults, applied to the running stack: the simulators' request faults (on for the whole fault
 * window, off after it) and the planned process faults (a SIGKILL, an outage of the Temporal dev server or of the
 * limiter's PostgreSQL, NetSuite revoking every token). Counts what it did, for the run's `faults` figures.
 */
import type { EmbeddedPostgres } from '../dev/postgres';
import type { SyncStack } from '../dev/sync-stack';
import type { DevServer } from '../dev/temporal-dev-server';
import type { ProcessFault } from './plan';
import type { Supervisor } from './supervisor';

/** Shares of NetSuite requests answered with a fault; each is a share of all requests (see requestFaults). */
export const NETSUITE_FAULT_SHARES = { http429RetryAfter: 0.1, http429: 0.1, http5xx: 0.05, hang: 0.01 } as const;
export const WOOCOMMERCE_5XX_SHARE = 0.03;
export const WEBHOOK_FAULTS = { dropFraction: 0.3, duplicateFraction: 0.2, duplicateCopies: 3, delayFraction: 0.1, delayMaxMs: 8000 } as const;

export interface ProcessFaultCounts {
  workerKills: number;
  receiverKills: number;
  temporalRestarts: number;
  postgresOutages: number;
  tokenRevocations: number;
  tokensRevoked: number;
}

/**
 * Turns on the request faults. The NetSuite simulator tries its faults in order, each with its own rate, so each rate
 * is the share wanted divided by what the earlier ones leave: 10 % 429 with Retry-After, 10 % 429 without, 5 % 503,
 * 1 % held `hangMs` (past the client's timeout) and then processed — a create NetSuite makes after the client gave up.
 */
export function startRequestFaults(stack: SyncStack, hangMs: number): void {
  const shares = NETSUITE_FAULT_SHARES;
  let left = 1;
  const rate = (share: number): number => {
    const conditional = share / left;
    left -= share;
    return conditional;
  };
  stack.netsuite.control.addFault({ kind: '429', rate: rate(shares.http429RetryAfter), retryAfterSeconds: 1 });
  stack.netsuite.control.addFault({ kind: '429', rate: rate(shares.http429), retryAfterSeconds: null });
  stack.netsuite.control.addFault({ kind: '5xx', status: 503, rate: rate(shares.http5xx) });
  stack.netsuite.control.addFault({ kind: 'hang', rate: rate(shares.hang), ms: hangMs });
  stack.woo.control.addFault({ kind: '5xx', status: 503, rate: WOOCOMMERCE_5XX_SHARE });
  stack.woo.control.setWebhookFaults({ ...WEBHOOK_FAULTS });
}

export function stopRequestFaults(stack: SyncStack): void {
  stack.netsuite.control.clearFaults();
  stack.woo.control.clearFaults();
  stack.woo.control.setWebhookFaults({ dropFraction: 0, duplicateFraction: 0, delayFraction: 0 });
}

export interface FaultTargets {
  stack: SyncStack;
  temporal: DevServer;
  database: EmbeddedPostgres;
  workers: Supervisor[];
  receiver: Supervisor;
  log: (line: string) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Applies one process fault; resolves when it is over (the outage ended). */
export async function applyProcessFault(fault: ProcessFault, targets: FaultTargets, counts: ProcessFaultCounts): Promise<void> {
  switch (fault.kind) {
    case 'kill-worker':
      targets.workers[fault.worker]!.kill();
      counts.workerKills++;
      return;
    case 'kill-receiver':
      targets.log(`SIGKILL the receiver (back in ${fault.downMs / 1000} s)`);
      targets.receiver.kill(fault.downMs);
      counts.receiverKills++;
      return;
    case 'restart-temporal':
      targets.log(`Temporal dev server stopped for ${fault.downMs / 1000} s (same database file)`);
      await targets.temporal.halt();
      counts.temporalRestarts++;
      await sleep(fault.downMs);
      await targets.temporal.resume();
      targets.log('Temporal dev server back');
      return;
    case 'halt-postgres':
      targets.log(`PostgreSQL (limiter, cursors) stopped for ${fault.downMs / 1000} s`);
      await targets.database.halt();
      counts.postgresOutages++;
      await sleep(fault.downMs);
      await targets.database.resume();
      targets.log('PostgreSQL back');
      return;
    case 'revoke-tokens': {
      const { revoked } = targets.stack.netsuite.control.revokeAllTokens();
      counts.tokenRevocations++;
      counts.tokensRevoked += revoked;
      targets.log(`NetSuite revoked every token (${revoked})`);
      return;
    }
  }
}
