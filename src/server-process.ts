/**
 * What the receiver, the codec server and the worker's health endpoint share as server processes: the URL a listener
 * ended up on, and a graceful stop on the first SIGTERM or SIGINT.
 */
import type { AddressInfo, Server } from 'node:net';

/** `http://host:port` of a listening server (an IPv6 address in brackets), without a trailing slash. */
export function listeningUrl(server: Server): string {
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shown}:${address.port}`;
}

/**
 * Runs `stop` on the first SIGTERM or SIGINT and resolves when it has finished. Later signals are ignored while it runs
 * (a second Ctrl-C does not cut the drain short); the handlers are removed afterwards.
 */
export function untilStopSignal(stop: (signal: NodeJS.Signals) => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      void stop(signal).finally(() => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        resolve();
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
