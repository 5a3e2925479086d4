/** The operator CLI's settings (src/client.ts): its default store, the task queue, and who runs it. */
import { z } from 'zod';
import { envValue, parseSettings, processEnv, settingsGroup } from './env';
import { defaultStoreName } from './stores';
import { taskQueueName } from './worker';

/** The CLI's own variable (zod over env); it also reads WOO_STORES, WOO_DEFAULT_STORE (./stores.ts) and TASK_QUEUE (./worker.ts). */
export const cliSettingsSchema = settingsGroup(
  z.object({
    USER: envValue(z.string().optional()).describe('Who runs the CLI (set by the shell), recorded with retry and skip. Unset: none recorded.'),
  }),
  {
    title: 'CLI',
    description: "The operator CLI's own variable (`npm run cli -- …`); it also reads WOO_STORES, WOO_DEFAULT_STORE and TASK_QUEUE.",
  },
);

/** What the CLI's commands take from the environment. */
export interface CliSettings {
  /** The store used without --store: WOO_DEFAULT_STORE, else the only one in WOO_STORES. */
  defaultStore: string | undefined;
  /** The orders task queue (TASK_QUEUE). */
  taskQueue: string;
  /** Who runs the CLI (USER). */
  user: string | undefined;
}

/** Reads the CLI's settings (cliSettingsSchema, storesSettingsSchema, TASK_QUEUE). */
export function loadCliSettings(env: NodeJS.ProcessEnv = processEnv()): CliSettings {
  return { defaultStore: defaultStoreName(env), taskQueue: taskQueueName(env), user: parseSettings(cliSettingsSchema, env).USER };
}
