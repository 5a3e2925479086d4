/**
 * How the worker and the receiver start and stop: every boot failure names its first cause (a port in use, an
 * unreachable Temporal, a refused setting), and the clean-up that follows a failure can never replace that cause —
 * its own errors are logged beside it, not thrown over it.
 */
import type { Logger } from 'pino';
import { ConfigError } from './config';

/** Exit code of a refused configuration (sysexits EX_CONFIG): a setting, a file or a database the process needs. */
export const EXIT_CONFIG = 78;

/** A step of the start-up that failed, in plain words ("the health endpoint cannot listen on 0.0.0.0:8081: …"). */
export class BootError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BootError';
  }
}

/** Why a listener could not start, naming host:port and, for the usual codes, what it means. */
export function listenFailure(what: string, host: string, port: number, error: unknown): BootError {
  const code = (error as { code?: unknown }).code;
  const meaning =
    code === 'EADDRINUSE'
      ? 'the port is in use by another process'
      : code === 'EACCES'
        ? 'permission denied (a port below 1024?)'
        : code === 'EADDRNOTAVAIL'
          ? 'no such interface on this machine'
          : undefined;
  const reason = meaning ? `${meaning} (${String(code)})` : error instanceof Error ? error.message : String(error);
  return new BootError(`${what} cannot listen on ${host}:${port}: ${reason}`, { cause: error });
}

/** What was started, closed in reverse order; a failing close is reported and the others still run. */
export class Closers {
  private readonly steps: { name: string; close: () => Promise<unknown> | unknown }[] = [];
  private readonly report: (step: string, error: unknown) => void;

  /** `report` is told of each failing close (a pino logger: a warning naming the step); the others still run. */
  constructor(report: Logger | ((step: string, error: unknown) => void)) {
    this.report =
      typeof report === 'function'
        ? report
        : (step, error) => report.warn({ step, error: error instanceof Error ? error.message : String(error) }, 'a clean-up step failed');
  }

  add(name: string, close: () => Promise<unknown> | unknown): void {
    this.steps.push({ name, close });
  }

  async closeAll(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.close();
      } catch (error) {
        this.report(step.name, error);
      }
    }
  }
}

/** Prints why the process could not start (`<process> refused to boot` / `failed to start`) and exits 78 or 1. */
export function exitOnBootFailure(processName: string, error: unknown): never {
  const config = error instanceof ConfigError;
  process.stderr.write(`${processName} ${config ? 'refused to boot' : 'failed to start'}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(config ? EXIT_CONFIG : 1);
}
