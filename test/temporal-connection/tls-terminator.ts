/**
 * A real TLS terminator in front of the dev server: HAProxy (Debian's haproxy, installed by
 * scripts/install-test-tools.sh) in TCP mode, demanding a client certificate signed by the test CA, negotiating ALPN h2
 * (the worker's gRPC core requires it), on 127.0.0.1 and a free port. Missing HAProxy is an error naming the fix.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../dev/temporal-dev-server';
import type { TestCertificates } from '../helpers/certificates';

export const HAPROXY = '/usr/sbin/haproxy';

export interface TlsTerminator {
  /** host:port clients connect to. */
  address: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startTlsTerminator(options: { upstream: string; certificates: TestCertificates }): Promise<TlsTerminator> {
  if (!existsSync(HAPROXY)) throw new Error(`no HAProxy at ${HAPROXY}: run scripts/install-test-tools.sh (installs Debian's haproxy with apt-get)`);
  const { certificates } = options;
  const port = await freePort();
  const config = join(certificates.dir, 'haproxy.cfg');
  writeFileSync(
    config,
    [
      'defaults',
      '  mode tcp',
      '  timeout connect 5s',
      '  timeout client 10m',
      '  timeout server 10m',
      'frontend temporal',
      `  bind 127.0.0.1:${port} ssl crt ${certificates.serverPem} ca-file ${certificates.caCert} verify required alpn h2`,
      '  default_backend dev_server',
      'backend dev_server',
      `  server dev ${options.upstream}`,
      '',
    ].join('\n'),
  );
  const child = spawn(HAPROXY, ['-f', config, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`HAProxy exited (${child.exitCode}):\n${output}`);
    const listening = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(true)).once('error', () => resolve(false));
      socket.once('close', () => socket.destroy());
      setTimeout(() => socket.destroy(), 500);
    });
    if (listening) break;
    if (Date.now() > deadline) throw new Error(`HAProxy did not listen on 127.0.0.1:${port} within 10 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    address: `127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
