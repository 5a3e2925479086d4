/**
 * The worker's and the CLI's settings, read from the environment and validated with zod. Every field is documented
 * where it is declared; an invalid setting stops the process with a message naming the variable.
 */
import { z } from 'zod';

export const temporalSettingsSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233').describe('host:port of the Temporal frontend. Default 127.0.0.1:7233.'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default').describe('Temporal namespace. Default "default".'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info').describe('Log level. Default info.'),
  WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(30)
    .describe('On SIGTERM, how long in-flight activities may run before the worker stops. Default 30 s.'),
});

export type TemporalSettings = z.infer<typeof temporalSettingsSchema>;

/** Thrown when settings are missing or invalid; the message names every offending variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function parseSettings<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`invalid settings — ${problems.join('; ')}`);
}

export const loadTemporalSettings = (env: NodeJS.ProcessEnv = process.env): TemporalSettings => parseSettings(temporalSettingsSchema, env);
