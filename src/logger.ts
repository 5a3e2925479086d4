/**
 * The project's logger: pino, JSON lines, with secrets redacted wherever they may appear in a logged object.
 * `temporalLogger` adapts it to the Temporal Runtime's logger interface.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { logLevel } from './config';

/** Paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  '*.secret',
  '*.consumerSecret',
  '*.consumer_secret',
  '*.privateKey',
  '*.privateKeyPem',
  '*.access_token',
  '*.accessToken',
  '*.client_assertion',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'req.headers.authorization',
];

/** A pino logger writing JSON lines to stdout (or `destination`), with REDACTED_PATHS censored; `level` defaults to LOG_LEVEL. */
export function createLogger(options: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      name: options.name ?? 'woo-netsuite-sync',
      level: options.level ?? logLevel(),
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination,
  );
}

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Puts pino behind the Temporal SDK's logger interface (Runtime.install({ logger })). */
export function temporalLogger(logger: Logger): TemporalLogger {
  const at =
    (level: LogLevel) =>
    (message: string, meta?: LogMetadata): void => {
      logger[LEVELS[level]](meta ?? {}, message);
    };
  return {
    log: (level, message, meta) => at(level)(message, meta),
    trace: at('TRACE'),
    debug: at('DEBUG'),
    info: at('INFO'),
    warn: at('WARN'),
    error: at('ERROR'),
  };
}
