/** The PostgreSQL database of durable state: the catch-up poller's cursors, the receiver's webhook outbox, the inventory snapshot. */
import { z } from 'zod';
import { ConfigError, displayUrl, envValue, parseSettings, processEnv, secretSetting, settingsGroup } from './env';
import { netsuiteSettingsSchema } from './netsuite-schema';

/** The state database setting (zod over env); without it, NETSUITE_LIMITER_URL's database is used. */
export const stateSettingsSchema = settingsGroup(
  z.object({
    STATE_DATABASE_URL: secretSetting(envValue(z.string().optional())).describe(
      "postgres:// URL (with its password) of the durable state: the catch-up poller's cursors, the receiver's webhook outbox, the inventory snapshot. Default NETSUITE_LIMITER_URL; none when neither is set.",
    ),
  }),
  { title: 'State database', description: 'The PostgreSQL database of durable state.' },
);

const stateSources = stateSettingsSchema.extend({ NETSUITE_LIMITER_URL: netsuiteSettingsSchema.shape.NETSUITE_LIMITER_URL });

/** The state database and the variable that named it (STATE_DATABASE_URL, else NETSUITE_LIMITER_URL), or undefined. */
export function stateDatabase(env: NodeJS.ProcessEnv = processEnv()): { url: string; variable: 'STATE_DATABASE_URL' | 'NETSUITE_LIMITER_URL' } | undefined {
  const settings = parseSettings(stateSources, env);
  const variable = settings.STATE_DATABASE_URL !== undefined ? 'STATE_DATABASE_URL' : 'NETSUITE_LIMITER_URL';
  const url = settings.STATE_DATABASE_URL ?? settings.NETSUITE_LIMITER_URL;
  if (url === undefined) return undefined;
  if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError(`${variable}=${displayUrl(url)} is not a postgres:// URL`);
  return { url, variable };
}

/** The PostgreSQL database of durable cursors (the catch-up poller's): STATE_DATABASE_URL, else NETSUITE_LIMITER_URL, else none. */
export function stateDatabaseUrl(env: NodeJS.ProcessEnv = processEnv()): string | undefined {
  return stateDatabase(env)?.url;
}
