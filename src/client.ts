/**
 * The operator's command line; connectClient is its Temporal client (the worker and the receiver connect through
 * src/temporal-connection.ts themselves).
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
 * Every order command takes --store NAME (default: WOO_DEFAULT_STORE, else the only store in WOO_STORES) and --json;
 * any command takes --env-file FILE (KEY=value lines that win over the environment) and --help.
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import type { Client } from '@temporalio/client';
import { codecDataConverter } from './codec/data-converter';
import { ConfigError, loadCliSettings, loadTemporalConnectionSettings, processEnv, type TemporalConnectionSettings } from './config';
import { checkOptions, optionString, parseArgs, UsageError, type ParsedArgs } from './cli/args';
import { reconcileCommand } from './cli/reconcile-command';
import { schedulesCommand } from './cli/schedule-commands';
import { EXIT, listCommand, retryCommand, skipCommand, statusCommand, syncCommand, type CliContext } from './cli/order-commands';
import { connectTemporalClient, TemporalUnreachableError } from './temporal-connection';

export { EXIT } from './cli/order-commands';

/** A client of the configured server (src/temporal-connection.ts); with PAYLOAD_CODEC_KEYS it reads (and writes) encrypted payloads. */
export async function connectClient(
  env: NodeJS.ProcessEnv = processEnv(),
  settings: TemporalConnectionSettings = loadTemporalConnectionSettings(env),
): Promise<Client> {
  const dataConverter = codecDataConverter(env);
  return connectTemporalClient(settings, { connectTimeout: '5s', ...(dataConverter ? { dataConverter } : {}) });
}

const USAGE = `usage: npm run cli -- [--env-file FILE] <command> [options]
  ping                          check that the Temporal server at $TEMPORAL_ADDRESS answers
  sync <orderId> [--wait] [--timeout S]  start the order's sync (or tell the running one the order changed)
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
options: --store NAME (default: WOO_DEFAULT_STORE, else the only store in WOO_STORES), --json,
         --env-file FILE (KEY=value lines, e.g. the demo's .demo/cli.env; they win over the environment), --help
Temporal: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_* or TEMPORAL_PROFILE (see the README)
exit codes: 0 ok, 1 usage, 2 Temporal unreachable, 3 not found, 4 wrong state, 5 needs attention, 6 failed,
            7 reconciliation out of balance`;

type Command = (ctx: CliContext, args: ParsedArgs) => Promise<number>;

/** Every command, and the options it takes (besides --env-file and --help). */
const COMMANDS: Record<string, { run: Command | 'ping'; options: readonly string[] }> = {
  ping: { run: 'ping', options: [] },
  sync: { run: syncCommand, options: ['store', 'json', 'wait', 'timeout'] },
  status: { run: statusCommand, options: ['store', 'json'] },
  retry: { run: retryCommand, options: ['store', 'json'] },
  skip: { run: skipCommand, options: ['store', 'json', 'reason'] },
  list: { run: listCommand, options: ['store', 'json', 'status', 'limit'] },
  schedules: { run: schedulesCommand, options: ['json', 'reason'] },
  reconcile: { run: reconcileCommand, options: ['store', 'json', 'now', 'mail'] },
};
const GLOBAL_OPTIONS = ['env-file', 'help'];

/** `env` with the file's KEY=value lines on top (the file wins: it was named on purpose). */
function withEnvFile(env: NodeJS.ProcessEnv, file: string | undefined): NodeJS.ProcessEnv {
  if (file === undefined) return env;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--env-file ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return { ...env, ...parseEnv(text) };
}

export async function runCli(argv: string[], out: (line: string) => void = console.log, baseEnv: NodeJS.ProcessEnv = processEnv()): Promise<number> {
  let args: ParsedArgs;
  let env: NodeJS.ProcessEnv;
  let command: (typeof COMMANDS)[string] | undefined;
  try {
    args = parseArgs(argv);
    const [name] = args.positionals;
    if (args.options.help === true || name === 'help') {
      out(USAGE);
      return EXIT.ok;
    }
    if (name === undefined) throw new UsageError('no command given');
    command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) throw new UsageError(`unknown command "${name}"`);
    checkOptions(args, name, [...command.options, ...GLOBAL_OPTIONS]);
    env = withEnvFile(baseEnv, optionString(args, 'env-file'));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    out(`${error.message}\n${USAGE}`);
    return EXIT.usage;
  }

  let settings: TemporalConnectionSettings;
  try {
    settings = loadTemporalConnectionSettings(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    out(`settings refused: ${error.message}`);
    return EXIT.usage;
  }
  let client: Client;
  try {
    client = await connectClient(env, settings);
  } catch (error) {
    if (error instanceof ConfigError) {
      out(`settings refused: ${error.message}`);
      return EXIT.usage;
    }
    out(`Temporal at ${settings.address} does not answer: ${error instanceof TemporalUnreachableError ? error.reason : firstLine(error)}`);
    return EXIT.unreachable;
  }
  try {
    if (command.run === 'ping') return await ping(client, settings, out);
    const { defaultStore, taskQueue, user } = loadCliSettings(env);
    const ctx: CliContext = { client, out, env, defaultStore, taskQueue, ...(user !== undefined ? { user } : {}) };
    return await command.run(ctx, args);
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

async function ping(client: Client, settings: TemporalConnectionSettings, out: (line: string) => void): Promise<number> {
  try {
    const info = await client.workflowService.getSystemInfo({});
    out(`Temporal at ${settings.address} answers (server ${info.serverVersion || 'unknown version'}, namespace ${settings.namespace})`);
    return EXIT.ok;
  } catch (error) {
    out(`Temporal at ${settings.address} does not answer: ${firstLine(error)}`);
    return EXIT.unreachable;
  }
}

const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`client failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
