/**
 * `npm run temporal:dev [-- --port 7233 --ui-port 8233 --db-filename .temporal/dev.db --headless]`: finds or installs
 * the pinned Temporal CLI, starts the dev server with the project's search attributes, and stops it on Ctrl-C.
 * `npm run temporal:install` only finds or installs the CLI and prints its path.
 */
import { parseArgs } from 'node:util';
import { resolveTemporalCli, startDevServer } from '../dev/temporal-dev-server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'ui-port': { type: 'string' },
      'db-filename': { type: 'string' },
      namespace: { type: 'string' },
      headless: { type: 'boolean', default: false },
      'install-only': { type: 'boolean', default: false },
    },
  });
  if (values['install-only']) {
    const cli = await resolveTemporalCli();
    console.log(`Temporal CLI (${cli.source}): ${cli.path ?? `downloaded by the SDK into ${cli.downloadDir}`}`);
    return;
  }
  const server = await startDevServer({
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values['ui-port'] ? { uiPort: Number(values['ui-port']) } : {}),
    ...(values['db-filename'] ? { dbFilename: values['db-filename'] } : {}),
    ...(values.namespace ? { namespace: values.namespace } : {}),
    ui: !values.headless,
  });
  console.log(`Temporal dev server (CLI from ${server.cli.source}: ${server.cli.path ?? 'SDK download'})`);
  console.log(`  gRPC:      ${server.address}   namespace: ${server.namespace}`);
  if (server.uiUrl) console.log(`  Web UI:    ${server.uiUrl}`);
  console.log('Ctrl-C to stop.');
  const stop = async (): Promise<void> => {
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
