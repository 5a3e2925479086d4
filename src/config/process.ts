/** Every process's own settings: the log level and the worker's shutdown grace. */
import { z } from 'zod';
import { envValue, parseSettings, processEnv, settingsGroup } from './env';

/** The log levels a process accepts. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

/** Every process's own settings (zod over env). The Temporal connection is ./temporal.ts. */
export const processSettingsSchema = settingsGroup(
  z.object({
    LOG_LEVEL: envValue(z.enum(LOG_LEVELS).default('info')).describe('Log level: trace, debug, info, warn or error.'),
    WORKER_SHUTDOWN_GRACE_SECONDS: envValue(z.coerce.number().int().min(0).default(30)).describe(
      "On SIGTERM, how long (seconds) in-flight activities may run before the worker stops; keep it below the pod's terminationGracePeriodSeconds.",
    ),
  }),
  { title: 'Every process', description: "Every process's log level, and the worker's shutdown grace." },
);

export type ProcessSettings = z.infer<typeof processSettingsSchema>;

/** Reads the process settings (processSettingsSchema). */
export const loadProcessSettings = (env: NodeJS.ProcessEnv = processEnv()): ProcessSettings => parseSettings(processSettingsSchema, env);

/** LOG_LEVEL alone (processSettingsSchema), for a logger made before the other settings are read. */
export const logLevel = (env: NodeJS.ProcessEnv = processEnv()): ProcessSettings['LOG_LEVEL'] =>
  parseSettings(processSettingsSchema.pick({ LOG_LEVEL: true }), env).LOG_LEVEL;
