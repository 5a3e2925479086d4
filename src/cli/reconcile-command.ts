/**
 * `reconcile --now [--store S] [--mail] [--json]`: runs the reconciliation of one store now, with the same input as its
 * schedule (SCHEDULES_FILE: time zone, thresholds, grace period), waits for it and prints the report. It mails the
 * owner only with --mail (the daily schedule mails; an engineer checking by hand usually does not want to).
 * Exit 0 in balance, 7 when differences are over threshold, 6 when no report could be made.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { manualReconciliationWorkflowId, SCHEDULED_WORKFLOW_TYPES, scheduleName } from '../api';
import { renderReconciliationText } from '../reconciliation/render';
import type { ReconciliationInput, ReconciliationReport } from '../reconciliation/types';
import { schedulesFilePath } from '../config';
import { loadSchedulesConfig } from '../schedules/config';
import { scheduleDefinitions } from '../schedules/definitions';
import type { reconciliationWorkflow } from '../workflows/reconciliation';
import { UsageError, type ParsedArgs } from './args';
import { EXIT, storeOf, type CliContext } from './order-commands';

export async function reconcileCommand(ctx: CliContext, args: ParsedArgs): Promise<number> {
  if (args.options.now !== true) throw new UsageError('reconcile needs --now (the daily run is the schedule reconciliation:<store>)');
  const store = storeOf(args, ctx);
  const definition = scheduleDefinitions(loadSchedulesConfig(schedulesFilePath(ctx.env)), [store], ctx.taskQueue).find(
    (d) => d.name === scheduleName('reconciliation', store),
  );
  const input: ReconciliationInput = { ...(definition?.input as Partial<ReconciliationInput> | undefined), store, mail: args.options.mail === true };
  const workflowId = manualReconciliationWorkflowId(store, new Date().toISOString());
  let report: ReconciliationReport;
  try {
    report = await ctx.client.workflow.execute<typeof reconciliationWorkflow>(SCHEDULED_WORKFLOW_TYPES.reconciliation, {
      taskQueue: ctx.taskQueue,
      workflowId,
      args: [input],
      staticSummary: `Reconciliation report: WooCommerce (${store}) vs NetSuite — run by hand`,
    });
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    ctx.out(`The reconciliation of ${store} could not be made (workflow ${workflowId}): ${error.cause?.message ?? error.message}`);
    return EXIT.failed;
  }
  ctx.out(args.options.json ? JSON.stringify(report) : renderReconciliationText(report));
  return report.inBalance ? EXIT.ok : EXIT.outOfBalance;
}
