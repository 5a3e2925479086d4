/**
 * The operator's order commands: sync, retry, skip, status, list. Each prints readable text, or one JSON document
 * with `--json`, and returns an exit code from EXIT.
 */
import { WorkflowFailedError, WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ShipmentEvent } from '../fulfilment/types';
import type { LifecycleEvent } from '../lifecycle/types';
import { ORDER_WORKFLOW_TYPE, orderWorkflowId, retrySignal, searchAttributes, skipSignal, statusQuery, type OrderSyncState, type SyncStatus } from '../api';
import { storeNames } from '../config';
import { createOrderStarter } from '../order-starter';
import { attentionLines, headline } from '../outcome';
import { optionString, UsageError, type ParsedArgs } from './args';

/** Exit codes of the CLI. */
export const EXIT = {
  ok: 0,
  usage: 1,
  /** Temporal did not answer. */
  unreachable: 2,
  /** No workflow for that order. */
  notFound: 3,
  /** The order is not in a state that accepts the command (e.g. retry of a synced order). */
  wrongState: 4,
  /** `status`/`sync --wait`: the order needs attention. */
  needsAttention: 5,
  /** `status`/`sync --wait`: the order closed as Failed; `reconcile`: the report could not be made. */
  failed: 6,
  /** `reconcile --now`: the report was made and shows differences over threshold. */
  outOfBalance: 7,
} as const;

export interface CliContext {
  client: Client;
  out: (line: string) => void;
  /** Store used when --store is not given. */
  defaultStore: string | undefined;
  taskQueue: string;
  /** Who runs the CLI (recorded with retry and skip). */
  user?: string;
  /** The environment (schedules file, store names). */
  env: NodeJS.ProcessEnv;
}

/** What `status` reports about one order. */
export interface OrderReport {
  store: string;
  orderId: number;
  workflowId: string;
  runId?: string;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, … */
  execution: string;
  state?: OrderSyncState;
  /** Every run of the order's workflow, oldest first (at most LIFE_RUNS): its creation, then each change followed. */
  life?: OrderLifeEntry[];
}

/** One run of an order's workflow, as `status` lists the order's life. */
export interface OrderLifeEntry {
  runId: string;
  started: string;
  closed?: string;
  execution: string;
  status?: SyncStatus;
  headline?: string;
  /** What the run applied to NetSuite after the sales order existed. */
  changes: Pick<LifecycleEvent, 'kind' | 'describe' | 'netsuite' | 'resolvedDuplicate'>[];
  /** The NetSuite shipments the run pushed to the WooCommerce order. */
  shipments: ShipmentEvent[];
}

/** How many runs `status` lists (the newest). */
export const LIFE_RUNS = 20;

/** The order's runs from the visibility store, oldest first, each with the state it ended in (or reports now). */
export async function readOrderLife(client: Client, workflowId: string): Promise<OrderLifeEntry[]> {
  const runs: { runId: string; started: Date; closed?: Date; execution: string }[] = [];
  for await (const execution of client.workflow.list({ query: `WorkflowId = ${JSON.stringify(workflowId)}` })) {
    runs.push({
      runId: execution.runId,
      started: execution.startTime,
      ...(execution.closeTime ? { closed: execution.closeTime } : {}),
      execution: execution.status.name,
    });
  }
  runs.sort((a, b) => a.started.getTime() - b.started.getTime());
  const life: OrderLifeEntry[] = [];
  for (const run of runs.slice(-LIFE_RUNS)) {
    const handle = client.workflow.getHandle(workflowId, run.runId, { followRuns: false });
    let state: OrderSyncState | undefined;
    try {
      if (run.execution === 'RUNNING') state = await handle.query(statusQuery);
      else if (run.execution === 'COMPLETED') state = (await handle.result()) as OrderSyncState;
    } catch {
      state = undefined; // a run that cannot answer is listed without its state
    }
    life.push({
      runId: run.runId,
      started: run.started.toISOString(),
      ...(run.closed ? { closed: run.closed.toISOString() } : {}),
      execution: run.execution,
      ...(state ? { status: state.status, headline: headline(state) } : {}),
      changes: (state?.changes ?? []).map((c) => ({
        kind: c.kind,
        describe: c.describe,
        netsuite: c.netsuite,
        ...(c.resolvedDuplicate ? { resolvedDuplicate: true } : {}),
      })),
      shipments: state?.shipments ?? [],
    });
  }
  return life;
}

const orderIdOf = (args: ParsedArgs): number => {
  const raw = args.positionals[1];
  const id = Number(raw);
  if (!raw || !Number.isInteger(id) || id <= 0) throw new UsageError('give the WooCommerce order ID, e.g. `status 123`');
  return id;
};

export const storeOf = (args: ParsedArgs, ctx: CliContext): string => {
  const store = optionString(args, 'store') ?? ctx.defaultStore;
  if (!store) {
    const stores = storeNames(ctx.env).join(',');
    throw new UsageError(
      stores
        ? `--store is required: WOO_STORES names more than one store (${stores}) and WOO_DEFAULT_STORE is not set`
        : 'no store given: pass --store NAME, or set WOO_STORES (or WOO_DEFAULT_STORE) — the demo writes them to .demo/cli.env (--env-file .demo/cli.env)',
    );
  }
  return store;
};

const exitFor = (status: SyncStatus | undefined): number => (status === 'NeedsAttention' ? EXIT.needsAttention : status === 'Failed' ? EXIT.failed : EXIT.ok);

/** Reads an order's state: the live query while it runs, else the closed run's result (no worker needed). */
export async function readOrderReport(client: Client, store: string, orderId: number): Promise<OrderReport | undefined> {
  const workflowId = orderWorkflowId(store, orderId);
  const handle = client.workflow.getHandle(workflowId);
  let description;
  try {
    description = await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
  const report: OrderReport = { store, orderId, workflowId, runId: description.runId, execution: description.status.name };
  // Everything below reads the run just described: a handle without its run ID would wait for whichever run is newest
  // by then — a change's run started in between may sit in NeedsAttention for an hour.
  const run = client.workflow.getHandle(workflowId, description.runId, { followRuns: false });
  if (description.status.name === 'RUNNING') {
    report.state = await run.query(statusQuery);
  } else if (description.status.name === 'COMPLETED') {
    report.state = (await run.result()) as OrderSyncState;
  } else if (description.status.name === 'FAILED') {
    try {
      await run.result();
    } catch (error) {
      const cause = error instanceof WorkflowFailedError ? error.cause : undefined;
      if (cause instanceof ApplicationFailure && cause.details?.[0]) report.state = cause.details[0] as OrderSyncState;
    }
  }
  return report;
}

function printReport(ctx: CliContext, report: OrderReport): void {
  const state = report.state;
  ctx.out(`order ${report.orderId} (store ${report.store}) — workflow ${report.workflowId}, ${report.execution.toLowerCase()}`);
  if (!state) return;
  ctx.out(`  ${headline(state)}`);
  if (state.attention && (state.status === 'NeedsAttention' || state.status === 'Failed')) {
    for (const line of attentionLines(state.attention).slice(1)) ctx.out(`  ${line}`);
    if (state.status === 'NeedsAttention')
      ctx.out(
        `  Then: retry ${report.orderId}${ctx.defaultStore === report.store ? '' : ` --store ${report.store}`}  (or: skip ${report.orderId} --reason "…")`,
      );
  }
  if (state.customerId) ctx.out(`  NetSuite customer: ${state.customerId}`);
  for (const warning of state.warnings) ctx.out(`  warning: ${warning}`);
}

function printLife(ctx: CliContext, life: readonly OrderLifeEntry[]): void {
  if (life.length === 0) return;
  ctx.out(`  life (${life.length} run${life.length > 1 ? 's' : ''}, oldest first):`);
  for (const entry of life) {
    ctx.out(`    ${entry.started}  ${entry.execution.toLowerCase()}${entry.headline ? `  ${entry.headline}` : ''}`);
    for (const change of entry.changes) ctx.out(`      applied: ${change.describe} → ${change.netsuite.type} ${change.netsuite.id}`);
    for (const shipment of entry.shipments) {
      const numbers = shipment.trackingNumbers.length > 0 ? shipment.trackingNumbers.join(', ') : 'no tracking number';
      ctx.out(
        `      shipped: NetSuite ${shipment.fulfilment.tranId} (${numbers}) → WooCommerce by ${shipment.via === 'shipmentTracking' ? 'Shipment Tracking' : 'note'}${shipment.completed ? ', order completed' : ''}`,
      );
    }
  }
}

export async function statusCommand(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const store = storeOf(args, ctx);
  const orderId = orderIdOf(args);
  const report = await readOrderReport(ctx.client, store, orderId);
  if (!report) {
    if (args.options.json) ctx.out(JSON.stringify({ store, orderId, found: false }));
    else ctx.out(`no sync workflow for order ${orderId} in store ${store} (run: sync ${orderId})`);
    return EXIT.notFound;
  }
  report.life = await readOrderLife(ctx.client, report.workflowId);
  if (args.options.json) ctx.out(JSON.stringify(report));
  else {
    printReport(ctx, report);
    printLife(ctx, report.life);
  }
  return exitFor(report.state?.status);
}

export async function syncCommand(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const store = storeOf(args, ctx);
  const orderId = orderIdOf(args);
  const started = await createOrderStarter(ctx.client, ctx.taskQueue)({ store, orderId, source: 'cli' });
  if (!args.options.wait) {
    if (args.options.json) ctx.out(JSON.stringify({ store, orderId, ...started }));
    else ctx.out(`order ${orderId}: sync requested (workflow ${started.workflowId})`);
    return EXIT.ok;
  }
  const timeoutMs = Number(optionString(args, 'timeout') ?? '60') * 1000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await readOrderReport(ctx.client, store, orderId);
    const status = report?.state?.status;
    if (report && status && status !== 'InProgress') {
      if (args.options.json) ctx.out(JSON.stringify(report));
      else printReport(ctx, report);
      return exitFor(status);
    }
    if (Date.now() > deadline) {
      ctx.out(`order ${orderId}: still in progress after ${timeoutMs / 1000} s (workflow ${started.workflowId})`);
      return EXIT.ok;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** retry and skip: signal a running workflow that waits in NeedsAttention. */
async function signalWaiting(ctx: CliContext, args: ParsedArgs, kind: 'retry' | 'skip'): Promise<number> {
  const store = storeOf(args, ctx);
  const orderId = orderIdOf(args);
  const reason = optionString(args, 'reason');
  if (kind === 'skip' && !reason?.trim()) throw new UsageError('skip needs --reason "…" (it is recorded on the order)');
  const report = await readOrderReport(ctx.client, store, orderId);
  if (!report) {
    ctx.out(args.options.json ? JSON.stringify({ store, orderId, found: false }) : `no sync workflow for order ${orderId} in store ${store}`);
    return EXIT.notFound;
  }
  if (report.execution !== 'RUNNING' || report.state?.status !== 'NeedsAttention') {
    const what = report.state?.status ?? report.execution.toLowerCase();
    ctx.out(args.options.json ? JSON.stringify({ ...report, signalled: false }) : `order ${orderId} is ${what}, not waiting for attention: nothing to ${kind}`);
    return EXIT.wrongState;
  }
  const handle = ctx.client.workflow.getHandle(report.workflowId, report.runId);
  const by = ctx.user ? `cli:${ctx.user}` : 'cli';
  if (kind === 'retry') await handle.signal(retrySignal, { by });
  else await handle.signal(skipSignal, { reason: reason ?? '', by });
  if (args.options.json) ctx.out(JSON.stringify({ store, orderId, workflowId: report.workflowId, signalled: kind }));
  else ctx.out(`order ${orderId}: ${kind} sent to ${report.workflowId}`);
  return EXIT.ok;
}

export const retryCommand = (ctx: CliContext, args: ParsedArgs): Promise<number> => signalWaiting(ctx, args, 'retry');
export const skipCommand = (ctx: CliContext, args: ParsedArgs): Promise<number> => signalWaiting(ctx, args, 'skip');

/** A row of `list`. */
export interface ListedOrder {
  store: string;
  orderId: string;
  status: string;
  failureType?: string;
  salesOrderId?: string;
  workflowId: string;
  startTime: string;
  execution: string;
}

const quote = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export async function listCommand(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const status = optionString(args, 'status');
  const store = optionString(args, 'store');
  const limit = Number(optionString(args, 'limit') ?? '100');
  const clauses = [`WorkflowType = ${quote(ORDER_WORKFLOW_TYPE)}`];
  if (status) clauses.push(`SyncStatus = ${quote(status)}`);
  if (store) clauses.push(`WooStore = ${quote(store)}`);
  const rows = new Map<string, ListedOrder>();
  for await (const execution of ctx.client.workflow.list({ query: clauses.join(' AND ') })) {
    if (rows.has(execution.workflowId)) continue; // newest run first
    rows.set(execution.workflowId, toRow(execution));
    if (rows.size >= limit) break;
  }
  const list = [...rows.values()];
  if (args.options.json) {
    ctx.out(JSON.stringify(list));
    return EXIT.ok;
  }
  if (list.length === 0) {
    ctx.out(`no orders${status ? ` with status ${status}` : ''}${store ? ` in store ${store}` : ''}`);
    return EXIT.ok;
  }
  const table = [
    ['STORE', 'ORDER', 'STATUS', 'FAILURE', 'SALES ORDER', 'STARTED'],
    ...list.map((r) => [r.store, r.orderId, r.status, r.failureType ?? '', r.salesOrderId ?? '', r.startTime]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table)
    ctx.out(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
  return EXIT.ok;
}

function toRow(execution: WorkflowExecutionInfo): ListedOrder {
  const get = (key: (typeof searchAttributes)[keyof typeof searchAttributes]): string | undefined => {
    const value = execution.typedSearchAttributes.get(key);
    return value === undefined || value === null ? undefined : String(value);
  };
  const failureType = get(searchAttributes.FailureType);
  const salesOrderId = get(searchAttributes.NetSuiteSalesOrderId);
  return {
    store: get(searchAttributes.WooStore) ?? '',
    orderId: get(searchAttributes.WooOrderId) ?? '',
    status: get(searchAttributes.SyncStatus) ?? '',
    ...(failureType ? { failureType } : {}),
    ...(salesOrderId ? { salesOrderId } : {}),
    workflowId: execution.workflowId,
    startTime: execution.startTime.toISOString(),
    execution: execution.status.name,
  };
}
