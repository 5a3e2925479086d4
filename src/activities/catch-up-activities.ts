/**
 * The catch-up poller's activity: one poll of one store (src/catch-up/poll.ts). It heartbeats after every page; a
 * retry polls the same window again, which is harmless (starting an order workflow is idempotent by its ID).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import { pollMissedOrders } from '../catch-up/poll';
import type { CatchUpInput, CatchUpResult } from '../catch-up/types';
import type { StartOrder } from '../order-starter';
import type { CursorStore } from '../state/cursor-store';
import type { WooClient } from '../woocommerce/client';
import { storeClientOf, toFailure } from './failures';
import type { MappingSource } from './mapping-source';
import type { CatchUpActivities } from './types';

export interface CatchUpActivityDeps {
  stores: ReadonlyMap<string, WooClient>;
  mapping: MappingSource;
  /** Where the cursors live; undefined when no database is configured (the poll then fails with a plain reason). */
  cursors: CursorStore | undefined;
  startOrder: StartOrder;
  /** Where the poll says it turned our webhooks back on (or could not check them). */
  logger?: Logger;
}

export function createCatchUpActivities(deps: CatchUpActivityDeps): CatchUpActivities {
  return {
    async pollMissedOrders(input: CatchUpInput): Promise<CatchUpResult> {
      const woo = storeClientOf(deps.stores, input.store, 'or run `schedules apply` with WOO_STORES as it is now, to drop its schedules');
      if (!deps.cursors) {
        throw ApplicationFailure.nonRetryable(
          'The catch-up poller keeps its cursor in PostgreSQL and no database is configured: set STATE_DATABASE_URL (or NETSUITE_LIMITER_URL) on the workers.',
          'CatchUpCursorUnavailable',
        );
      }
      const context = Context.current();
      let result: CatchUpResult;
      try {
        result = await pollMissedOrders(
          {
            woo,
            cursors: deps.cursors,
            startOrder: deps.startOrder,
            syncStatuses: deps.mapping.forStore(input.store).syncStatuses,
            signal: context.cancellationSignal,
            progress: (page) => context.heartbeat({ page }),
          },
          input,
        );
      } catch (error) {
        throw toFailure(error, `listing the orders of store ${input.store} modified since the last poll`);
      }
      if (result.webhooksReactivated) {
        deps.logger?.warn(
          { store: input.store, webhooks: result.webhooksReactivated },
          'WooCommerce had disabled our webhooks after failed deliveries; turned them back on (this poll caught the orders they missed)',
        );
      }
      if (result.webhooksUnchecked) deps.logger?.warn({ store: input.store, reason: result.webhooksUnchecked }, "could not check the store's webhooks");
      return result;
    },
  };
}
