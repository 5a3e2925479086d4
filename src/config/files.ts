/** The configuration files a process reads: the mapping (src/mapping/config.ts) and the schedules (src/schedules/config.ts). */
import { resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { envValue, parseSettings, processEnv, settingsGroup } from './env';

/** Default mapping file, relative to the working directory. */
export const DEFAULT_MAPPING_FILE = 'config/mapping.json';

/** The mapping file setting (zod over env). */
export const mappingSettingsSchema = settingsGroup(
  z.object({
    MAPPING_FILE: envValue(z.string().min(1).default(DEFAULT_MAPPING_FILE)).describe(
      'Path of the mapping configuration (JSON, documented in src/mapping/schema.ts), resolved against the working directory.',
    ),
  }),
  { title: 'Mapping file', description: 'How a WooCommerce order becomes a NetSuite sales order: the mapping file the worker reads.' },
);

/** The absolute path of the mapping file: MAPPING_FILE resolved against process.cwd(). */
export function mappingFilePath(env: NodeJS.ProcessEnv = processEnv()): string {
  return resolvePath(process.cwd(), parseSettings(mappingSettingsSchema, env).MAPPING_FILE);
}

/** The schedules file setting (zod over env). */
export const schedulesSettingsSchema = settingsGroup(
  z.object({
    SCHEDULES_FILE: envValue(z.string().min(1).default('config/schedules.json')).describe(
      'When each scheduled job runs and with what input (JSON, src/schedules/config.ts), resolved against the working directory.',
    ),
  }),
  {
    title: 'Schedules file',
    description: 'The scheduled jobs (inventory, drift, reconciliation, catch-up, fulfilment) that `npm run cli -- schedules apply` creates.',
  },
);

/** The absolute path of the schedules file: SCHEDULES_FILE resolved against process.cwd(). */
export function schedulesFilePath(env: NodeJS.ProcessEnv = processEnv()): string {
  return resolvePath(process.cwd(), parseSettings(schedulesSettingsSchema, env).SCHEDULES_FILE);
}
