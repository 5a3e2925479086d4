/**
 * The operator's command line and the Temporal client the webhook receiver uses.
 *
 *   tsx src/client.ts ping            checks that the Temporal server answers (exit 0) or not (exit 2)
 *
 * Order commands (sync, retry, skip, status, list) arrive with the order workflow.
 */
import { Client, Connection } from '@temporalio/client';
import { loadTemporalSettings, type TemporalSettings } from './config';

/** Exit codes: 0 ok, 1 usage error, 2 Temporal unreachable. */
export const EXIT = { ok: 0, usage: 1, unreachable: 2 } as const;

export async function connectClient(settings: TemporalSettings = loadTemporalSettings()): Promise<Client> {
  const connection = await Connection.connect({ address: settings.TEMPORAL_ADDRESS, connectTimeout: '5s' });
  return new Client({ connection, namespace: settings.TEMPORAL_NAMESPACE });
}

const USAGE = `usage: client <command>
  ping    check that the Temporal server at $TEMPORAL_ADDRESS answers`;

export async function runCli(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const [command] = argv;
  if (command !== 'ping') {
    out(USAGE);
    return EXIT.usage;
  }
  const settings = loadTemporalSettings();
  try {
    const client = await connectClient(settings);
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
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
