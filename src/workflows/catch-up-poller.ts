/**
 * The catch-up poller (scheduled every few minutes per store): lists the orders modified since its durable cursor
 * and starts their order workflows with the webhook's workflow IDs, so an order whose webhook never fired is still
 * synced, and one whose webhook did is not synced twice. See src/catch-up/types.ts.
 */
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { CatchUpActivities } from '../activities/types';
import type { CatchUpInput, CatchUpResult } from '../catch-up/types';

const { pollMissedOrders } = proxyActivities<CatchUpActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
  summary: 'list orders modified since the cursor; start the ones without a sales order',
});

export async function catchUpPollerWorkflow(input: CatchUpInput): Promise<CatchUpResult> {
  setCurrentDetails(`Polling store **${input.store}** for orders whose webhook may never have fired…`);
  const result = await pollMissedOrders(input);
  setCurrentDetails(
    `Store **${result.store}**: ${result.listed} orders modified since ${result.since}; ${result.started} order workflows started or nudged, ` +
      `${result.settled} already settled. Next poll from ${result.cursor}.`,
  );
  return result;
}
