/**
 * The fulfilment sync (scheduled every few minutes per store): NetSuite's item fulfilments changed or deleted since its
 * durable cursor are sent, per sales order, to the order workflows, which push tracking and completion to WooCommerce
 * exactly once. See src/fulfilment/sync.ts.
 */
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { FulfilmentActivities } from '../activities/types';
import type { FulfilmentSyncInput, FulfilmentSyncResult } from '../fulfilment/sync';

export async function fulfilmentSyncWorkflow(input: FulfilmentSyncInput & { heartbeatTimeoutSeconds?: number }): Promise<FulfilmentSyncResult> {
  const { heartbeatTimeoutSeconds = 60, ...syncInput } = input;
  const { syncFulfilments } = proxyActivities<FulfilmentActivities>({
    startToCloseTimeout: '30 minutes',
    // The heartbeat after every page is what notices a crashed worker; the retry resumes after the last page.
    heartbeatTimeout: `${heartbeatTimeoutSeconds}s`,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
    summary: 'read NetSuite fulfilments changed since the cursor; send each sales order to its order workflow',
  });
  setCurrentDetails(`Reading the NetSuite fulfilments of store **${input.store}** changed since the last sync…`);
  const result = await syncFulfilments(syncInput);
  const lines = [
    `Store **${result.store}**: ${result.changed} fulfilments changed since ${result.since} — ${result.newlyShipped} newly shipped, ` +
      `${result.alreadyPushed} already pushed, ${result.notShipped} not shipped yet; ${result.reverted} pushed ones deleted or un-shipped.`,
    `${result.ordersSignalled} order workflows signalled; ${result.requests} NetSuite requests. Next sync from ${result.cursor}.`,
  ];
  if (result.unroutable > 0) {
    lines.push(
      `${result.unroutable} sales orders could not be sent to a WooCommerce order: ` +
        result.unroutableSalesOrders.map((u) => `${u.tranId ?? u.salesOrderId} (${u.reason})`).join('; '),
    );
  }
  setCurrentDetails(lines.join('\n\n'));
  return result;
}
