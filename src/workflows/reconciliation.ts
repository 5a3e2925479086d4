/**
 * The daily reconciliation of one store: read both sides, compare three numbers (item count, on-hand inventory value,
 * open order value) against the thresholds, list what lies behind the differences, mail the report to the
 * integration owner and keep it as the result. A schedule starts it every morning in the owner's time zone;
 * `reconcile --now` starts it at once and prints the result.
 *
 * The report is dated from the workflow's start time (deterministic) in the owner's time zone. When no report can be
 * made (NetSuite or WooCommerce unreachable for two hours, credentials refused, an invalid mapping), the owner is
 * mailed that, and the run fails with the reason — a missing report never passes silently.
 */
import { ActivityFailure, ApplicationFailure, log, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import { NEEDS_ATTENTION } from '../api';
import type { ReconciliationActivities } from '../activities/types';
import { resolveReconciliationInput } from '../reconciliation/input';
import type { ReconciliationInput, ReconciliationReport } from '../reconciliation/types';

/** Reading both sides: retried with back-off for two hours (an outage), never when a human must fix something. */
const reads = proxyActivities<Pick<ReconciliationActivities, 'reconcileStore'>>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30s',
  scheduleToCloseTimeout: '2 hours',
  retry: {
    initialInterval: '10s',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: [NEEDS_ATTENTION, 'InvalidReconciliationInput'],
  },
});

/** Mailing: retried for an hour (an SMTP server that is down); a report that could not be mailed is still the result. */
const mail = proxyActivities<Pick<ReconciliationActivities, 'mailReconciliation' | 'mailReconciliationFailure'>>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const describeFailure = (error: unknown): string => {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
};

export async function reconciliationWorkflow(input: ReconciliationInput): Promise<ReconciliationReport> {
  const asOf = new Date(workflowInfo().startTime.getTime()).toISOString();
  const resolved = resolveReconciliationInput(input, asOf);
  if (!resolved.ok) {
    throw ApplicationFailure.create({
      type: 'InvalidReconciliationInput',
      message: `Invalid reconciliation input: ${resolved.problems.join('; ')}`,
      nonRetryable: true,
    });
  }
  const { store } = resolved.value;
  const mailIt = input.mail !== false;

  setCurrentDetails(`Reading WooCommerce and NetSuite for store ${store}…`);
  let report: ReconciliationReport;
  try {
    report = await reads.reconcileStore(resolved.value);
  } catch (error) {
    const message = describeFailure(error);
    setCurrentDetails(`No report could be made for store ${store}: ${message}`);
    if (mailIt) {
      try {
        await mail.mailReconciliationFailure({ store, message });
      } catch (mailError) {
        log.warn('the failure mail could not be sent either', { error: describeFailure(mailError) });
      }
    }
    throw ApplicationFailure.create({
      type: 'ReconciliationFailed',
      message: `The reconciliation of store ${store} could not be made: ${message}`,
      nonRetryable: true,
    });
  }

  const verdict = report.inBalance
    ? 'in balance'
    : `${report.differencesOverThreshold} difference${report.differencesOverThreshold === 1 ? '' : 's'} over threshold`;
  if (!mailIt) {
    report.mail = { sent: false, reason: 'mail: false in the input' };
  } else {
    setCurrentDetails(`Report ${report.reportDate}: ${verdict}. Mailing it…`);
    try {
      const { channels } = await mail.mailReconciliation(report);
      report.mail = { sent: true, channels };
    } catch (error) {
      report.mail = { sent: false, reason: describeFailure(error) };
    }
  }
  setCurrentDetails(
    `Report ${report.reportDate} for store ${store}: ${verdict}. ` +
      `Orders without a sales order: ${report.lists.ordersWithoutSalesOrder.count}; sales orders with an unknown key: ${report.lists.salesOrdersUnknownToWoo.count}; ` +
      `SKUs whose quantities differ: ${report.lists.skuQuantityDifferences.count}; ` +
      // Reports made before refunds were reconciled (replayed histories) have no such list.
      `refunds not in NetSuite: ${report.lists.refundsNotInNetSuite?.count ?? 0}. ` +
      (report.mail?.sent
        ? `Mailed (${report.mail.channels.join(', ')}).`
        : `Not mailed: ${report.mail && !report.mail.sent ? report.mail.reason : 'unknown'}.`),
  );
  return report;
}
