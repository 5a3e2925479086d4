/**
 * The fulfilment sync's activity: one sync of one store (src/fulfilment/sync.ts). It heartbeats after every page with
 * where it got to; a retry (a worker SIGKILLed mid-page) resumes after the last page it finished. A page handled twice
 * only signals the same shipping state again, which the order workflow ignores.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { NetSuiteClient } from '../netsuite/client';
import type { StartOrder } from '../order-starter';
import type { CursorStore } from '../state/cursor-store';
import type { PushedFulfilmentIndex } from '../state/pushed-fulfilments';
import { syncFulfilments, type FulfilmentSyncInput, type FulfilmentSyncProgress, type FulfilmentSyncResult } from '../fulfilment/sync';
import { toFailure } from './failures';
import type { MappingSource } from './mapping-source';
import type { FulfilmentActivities } from './types';

export interface FulfilmentActivityDeps {
  netsuite: NetSuiteClient;
  mapping: MappingSource;
  /** Where the cursor and the pushed-fulfilment index live; undefined when no database is configured. */
  state: { cursors: CursorStore; index: PushedFulfilmentIndex } | undefined;
  startOrder: StartOrder;
}

export function createFulfilmentActivities(deps: FulfilmentActivityDeps): FulfilmentActivities {
  return {
    async syncFulfilments(input: FulfilmentSyncInput): Promise<FulfilmentSyncResult> {
      if (!deps.state) {
        throw ApplicationFailure.nonRetryable(
          'The fulfilment sync keeps its cursor and the pushed-fulfilment index in PostgreSQL and no database is configured: set STATE_DATABASE_URL (or NETSUITE_LIMITER_URL) on the workers.',
          'FulfilmentStateUnavailable',
        );
      }
      const context = Context.current();
      const mapping = deps.mapping.forStore(input.store);
      const resume = context.info.heartbeatDetails as FulfilmentSyncProgress | undefined;
      try {
        return await syncFulfilments(
          {
            netsuite: deps.netsuite,
            cursors: deps.state.cursors,
            index: deps.state.index,
            signalOrder: async (shipping) => {
              await deps.startOrder({ store: input.store, orderId: shipping.orderId, source: 'fulfilment-sync', shipping });
            },
            salesOrders: {
              storeField: mapping.customFields.store,
              orderKeyField: mapping.customFields.orderKey,
              orderNumberField: mapping.customFields.orderNumber,
              externalIdPrefix: mapping.externalIdPrefix,
            },
            signal: context.cancellationSignal,
            ...(resume?.phase ? { resume } : {}),
            progress: (progress) => context.heartbeat(progress),
          },
          input,
        );
      } catch (error) {
        throw toFailure(error, `reading the NetSuite fulfilments of store ${input.store} changed since the last sync`);
      }
    },
  };
}
