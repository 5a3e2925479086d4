/**
 * `npm test`: one real Temporal dev server and one PostgreSQL for the whole run, then Node's test runner over every
 * `test/**\/*.test.ts`. Test files reach the server through TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE and the database
 * through NETSUITE_LIMITER_URL — the developer's when set, else an embedded PostgreSQL (dev/postgres.ts); a file run on
 * its own starts its own.
 * Extra arguments are passed to `node --test` (e.g. `npm test -- --test-name-pattern=webhook`); file arguments
 * narrow the run to those files.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { localPostgres } from '../dev/postgres';
import { startDevServer } from '../dev/temporal-dev-server';

function findTests(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.test.ts'))
    .map((path) => join(dir, path))
    .sort();
}

async function main(): Promise<number> {
  const root = join(__dirname, '..');
  const args = process.argv.slice(2);
  const files = args.filter((a) => a.endsWith('.test.ts'));
  const flags = args.filter((a) => !a.endsWith('.test.ts'));
  const tests = files.length > 0 ? files : findTests(join(root, 'test')).map((f) => relative(root, f));

  const database = await localPostgres({ log: (m) => console.error(`[postgres] ${m}`) });
  let server: Awaited<ReturnType<typeof startDevServer>> | undefined;
  try {
    server = await startDevServer({ ui: false, log: (m) => console.error(`[temporal-cli] ${m}`) });
    console.error(
      `[test] Temporal dev server ${server.address} (CLI: ${server.cli.source}); PostgreSQL ${database.displayUrl} (${database.source}); ${tests.length} test files`,
    );
    const env = { ...process.env, TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: server.namespace, NETSUITE_LIMITER_URL: database.url };
    return await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-reporter=${join(root, 'scripts/test-reporter.mjs')}`, ...flags, ...tests], {
        cwd: root,
        stdio: 'inherit',
        env,
      });
      const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    await server?.stop();
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
