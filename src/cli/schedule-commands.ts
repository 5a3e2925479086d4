/**
 * `schedules apply | list | trigger <name> | pause <name> [--reason …] | unpause <name>`: the operator's handle on the
 * Temporal Schedules of this deployment (its orders task queue, TASK_QUEUE). Names are `inventory:<store>`,
 * `catch-up:<store>`, `reconciliation:<store>` and `schema-drift`; a bare kind (`inventory`) means every store's.
 */
import { ScheduleNotFoundError } from '@temporalio/client';
import { scheduleIdPrefix } from '../api';
import { ConfigError, schedulesFilePath, storeNames } from '../config';
import { applySchedules, ourScheduleIds, SPEC_MEMO } from '../schedules/apply';
import { loadSchedulesConfig, SchedulesConfigError } from '../schedules/config';
import { scheduleDefinitions } from '../schedules/definitions';
import { optionString, UsageError, type ParsedArgs } from './args';
import { EXIT, type CliContext } from './order-commands';

export async function schedulesCommand(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const [, sub, name] = args.positionals;
  switch (sub) {
    case 'apply':
      return apply(ctx, args);
    case 'list':
      return list(ctx, args);
    case 'trigger':
    case 'pause':
    case 'unpause':
      if (!name) throw new UsageError(`schedules ${sub} needs a schedule name (e.g. inventory:main, or inventory for every store)`);
      return act(ctx, sub, name, optionString(args, 'reason'));
    default:
      throw new UsageError('schedules needs one of: apply, list, trigger <name>, pause <name>, unpause <name>');
  }
}

async function apply(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const file = schedulesFilePath(ctx.env);
  let config;
  try {
    config = loadSchedulesConfig(file);
  } catch (error) {
    if (error instanceof SchedulesConfigError) {
      ctx.out(error.message);
      return EXIT.usage;
    }
    throw error;
  }
  const stores = storeNames(ctx.env);
  if (stores.length === 0) throw new ConfigError('WOO_STORES names no store: the per-store schedules need at least one');
  const applied = await applySchedules(ctx.client, scheduleDefinitions(config, stores, ctx.taskQueue), ctx.taskQueue);
  if (args.options.json) {
    ctx.out(JSON.stringify({ file, taskQueue: ctx.taskQueue, schedules: applied }));
  } else {
    ctx.out(`Schedules of task queue ${ctx.taskQueue} from ${file}:`);
    for (const a of applied) ctx.out(`  ${a.outcome.padEnd(9)} ${a.name}`);
  }
  return EXIT.ok;
}

async function list(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const prefix = scheduleIdPrefix(ctx.taskQueue);
  const rows = [];
  for (const scheduleId of await ourScheduleIds(ctx.client, ctx.taskQueue)) {
    const description = await ctx.client.schedule.getHandle(scheduleId).describe();
    const last = description.info.recentActions.at(-1);
    rows.push({
      name: scheduleId.slice(prefix.length),
      scheduleId,
      spec: description.action.type === 'startWorkflow' ? String(description.action.memo?.[SPEC_MEMO] ?? '') : '',
      paused: description.state.paused,
      note: description.state.note ?? '',
      nextRun: description.info.nextActionTimes[0]?.toISOString() ?? null,
      lastRun: last ? { at: last.takenAt.toISOString(), workflowId: last.action.workflow.workflowId } : null,
      runningNow: description.info.runningActions.length,
    });
  }
  if (args.options.json) {
    ctx.out(JSON.stringify({ taskQueue: ctx.taskQueue, schedules: rows }));
    return EXIT.ok;
  }
  if (rows.length === 0) {
    ctx.out(`No schedules for task queue ${ctx.taskQueue}: run \`schedules apply\`.`);
    return EXIT.ok;
  }
  for (const row of rows) {
    ctx.out(
      `${row.name.padEnd(32)} ${row.spec.padEnd(30)} ${row.paused ? `PAUSED${row.note ? ` (${row.note})` : ''}` : 'active'}  next ${row.nextRun ?? '—'}  last ${row.lastRun?.at ?? 'never'}${row.runningNow ? '  (running now)' : ''}`,
    );
  }
  return EXIT.ok;
}

async function act(ctx: CliContext, action: 'trigger' | 'pause' | 'unpause', name: string, reason: string | undefined): Promise<number> {
  const prefix = scheduleIdPrefix(ctx.taskQueue);
  const all = await ourScheduleIds(ctx.client, ctx.taskQueue);
  const matching = all.filter((id) => {
    const n = id.slice(prefix.length);
    return n === name || n.startsWith(`${name}:`);
  });
  if (matching.length === 0) {
    ctx.out(
      `No schedule named ${name} on task queue ${ctx.taskQueue} (have: ${all.map((id) => id.slice(prefix.length)).join(', ') || 'none — run `schedules apply`'}).`,
    );
    return EXIT.notFound;
  }
  const note = reason ?? `${action} from the CLI${ctx.user ? ` by ${ctx.user}` : ''}`;
  for (const scheduleId of matching) {
    const handle = ctx.client.schedule.getHandle(scheduleId);
    try {
      if (action === 'trigger') await handle.trigger();
      else if (action === 'pause') await handle.pause(note);
      else await handle.unpause(note);
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) {
        ctx.out(`${scheduleId.slice(prefix.length)} vanished meanwhile`);
        return EXIT.notFound;
      }
      throw error;
    }
    const done = action === 'trigger' ? 'triggered (a run starts now)' : action === 'pause' ? `paused: ${note}` : 'unpaused';
    ctx.out(`${scheduleId.slice(prefix.length)} ${done}`);
  }
  return EXIT.ok;
}
