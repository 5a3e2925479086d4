/**
 * The operator's command line (and the Temporal client the webhook receiver uses).
 *
 *   npm run cli -- ping                              does the Temporal server answer?
 *   npm run cli -- sync <orderId> [--wait]           start (or nudge) the order's sync
 *   npm run cli -- status <orderId>                  what happened, in plain words
 *   npm run cli -- retry <orderId>                   after fixing the mapping / NetSuite
 *   npm run cli -- skip <orderId> --reason "…"       close it as Skipped, with the reason recorded
 *   npm run cli -- list [--status NeedsAttention]    orders by status
 *   npm run cli -- schedules apply|list              register / show the scheduled jobs (config/schedules.json)
 *   npm run cli -- schedules trigger|pause|unpause <name>
 *   npm run cli -- reconcile --now [--mail]          the reconciliation report, now
 *
 * Every order command takes --store NAME (default: the only store in WOO_STORES) and --json.
 */
import { Client, Connection } from '@temporalio/client';
import { ORDERS_TASK_QUEUE } from './api';
import { codecDataConverter } from './codec/data-converter';
import { ConfigError, loadTemporalSettings, type TemporalSettings } from './config';
import { parseArgs, UsageError } from './cli/args';
import { reconcileCommand } from './cli/reconcile-command';
import { schedulesCommand } from './cli/schedule-commands';
import { EXIT, listCommand, retryCommand, skipCommand, statusCommand, syncCommand, type CliContext } from './cli/order-commands';

export { EXIT } from './cli/order-commands';

/** A client of the configured server; with PAYLOAD_CODEC_KEYS it reads (and writes) encrypted payloads. */
export async function connectClient(settings: TemporalSettings = loadTemporalSettings(), env: NodeJS.ProcessEnv = process.env): Promise<Client> {
  const dataConverter = codecDataConverter(env);
  const connection = await Connection.connect({ address: settings.TEMPORAL_ADDRESS, connectTimeout: '5s' });
  return new Client({ connection, namespace: settings.TEMPORAL_NAMESPACE, ...(dataConverter ? { dataConverter } : {}) });
}

const USAGE = `usage: client <command> [options]
  ping                          check that the Temporal server at $TEMPORAL_ADDRESS answers
  sync <orderId> [--wait]       start the order's sync (or tell the running one the order changed)
  status <orderId>              the order's sync state, in plain words
  retry <orderId>               resume an order that needs attention (after fixing the cause)
  skip <orderId> --reason "…"   close an order that needs attention as Skipped
  list [--status S] [--limit N] orders by SyncStatus (InProgress, Synced, Skipped, NeedsAttention, Failed)
  schedules apply               create or update every schedule from $SCHEDULES_FILE (default config/schedules.json)
  schedules list                the schedules, their specs, next and last runs
  schedules trigger <name>      run one now (name: inventory:<store>, catch-up:<store>, reconciliation:<store>,
                                schema-drift; a bare kind means every store's)
  schedules pause <name> [--reason "…"] / schedules unpause <name>
  reconcile --now [--mail]      run the store's reconciliation now and print the report (--mail: also mail it)
options: --store NAME (default: the only store in WOO_STORES), --json
exit codes: 0 ok, 1 usage, 2 Temporal unreachable, 3 not found, 4 wrong state, 5 needs attention, 6 failed,
            7 reconciliation out of balance`;

const COMMANDS = { sync: syncCommand, status: statusCommand, retry: retryCommand, skip: skipCommand, list: listCommand, schedules: schedulesCommand, reconcile: reconcileCommand } as const;

/** The store the order commands use without --store: WOO_DEFAULT_STORE, else the only one in WOO_STORES. */
function defaultStore(env: NodeJS.ProcessEnv): string | undefined {
  if (env.WOO_DEFAULT_STORE) return env.WOO_DEFAULT_STORE;
  const stores = (env.WOO_STORES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return stores.length === 1 ? stores[0] : undefined;
}

export async function runCli(argv: string[], out: (line: string) => void = console.log, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    out(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const [command] = args.positionals;
  const settings = loadTemporalSettings(env);
  if (command === 'ping') return ping(settings, out, env);
  const run = command ? COMMANDS[command as keyof typeof COMMANDS] : undefined;
  if (!run) {
    out(USAGE);
    return EXIT.usage;
  }
  let client: Client;
  try {
    client = await connectClient(settings, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      out(`settings refused: ${error.message}`);
      return EXIT.usage;
    }
    out(`Temporal at ${settings.TEMPORAL_ADDRESS} does not answer: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.unreachable;
  }
  const ctx: CliContext = { client, out, env, defaultStore: defaultStore(env), taskQueue: env.TASK_QUEUE || ORDERS_TASK_QUEUE, ...(env.USER ? { user: env.USER } : {}) };
  try {
    return await run(ctx, args);
  } catch (error) {
    if (error instanceof UsageError) {
      out(`${error.message}\n${USAGE}`);
      return EXIT.usage;
    }
    throw error;
  } finally {
    await client.connection.close();
  }
}

async function ping(settings: TemporalSettings, out: (line: string) => void, env: NodeJS.ProcessEnv): Promise<number> {
  try {
    const client = await connectClient(settings, env);
    const info = await client.workflowService.getSystemInfo({});
    out(`Temporal at ${settings.TEMPORAL_ADDRESS} answers (server ${info.serverVersion || 'unknown version'}, namespace ${settings.TEMPORAL_NAMESPACE})`);
    await client.connection.close();
    return EXIT.ok;
  } catch (error) {
    out(`Temporal at ${settings.TEMPORAL_ADDRESS} does not answer: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.unreachable;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`client failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
