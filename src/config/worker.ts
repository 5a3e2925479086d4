/** The worker process's own settings: its task queue, the NeedsAttention limit, NetSuite slots and caches, drift and inventory. */
import { resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { ORDERS_TASK_QUEUE } from '../api';
import { DEFAULT_FIXTURE_FILE } from '../drift/fixture';
import { envValue, parseSettings, processEnv, settingsGroup } from './env';
import { mappingFilePath } from './files';

/** The worker process's own settings (zod over env). */
export const workerSettingsSchema = settingsGroup(
  z.object({
    TASK_QUEUE: envValue(z.string().min(1).default(ORDERS_TASK_QUEUE)).describe(
      'The orders task queue this worker serves (and the receiver and the CLI start on); the NetSuite queue is derived from it.',
    ),
    NEEDS_ATTENTION_LIMIT_SECONDS: envValue(
      z.coerce
        .number()
        .int()
        .min(1)
        .default(30 * 24 * 3600),
    ).describe('How long, in seconds, an order may stay NeedsAttention (waiting for a retry signal) before its workflow gives up (2592000 = 30 days).'),
    NETSUITE_ACTIVITY_SLOTS: envValue(z.coerce.number().int().min(1).optional()).describe(
      "NetSuite activities one worker runs at once. Each waits in the worker for a cluster-wide permit, and the limiter serves the order that arrived first — so in a flash sale the waiting happens there, in the orders' arrival order, not in the task queue. Default max(1000, 2 × permits).",
    ),
    NETSUITE_LOOKUP_CACHE_SECONDS: envValue(z.coerce.number().int().min(0).default(600)).describe(
      'How long a worker reuses an item or customer NetSuite found, so a repeated SKU or a returning customer costs no request; a sales order NetSuite refuses over a reused ID has it looked up again once. In seconds; 0 = always ask.',
    ),
    NETSUITE_PERMIT_WAIT_REPORT_SECONDS: envValue(z.coerce.number().min(0).default(60)).describe(
      "How long an order's NetSuite step may wait for a concurrency permit (all in use, or the limiter's database down) before the order's current details say so, in seconds.",
    ),
    DRIFT_FIXTURE_FILE: envValue(z.string().min(1).default(DEFAULT_FIXTURE_FILE)).describe(
      'The NetSuite schema fixture (written by `npm run drift:snapshot`) the drift watcher compares the live catalog with, resolved against the working directory.',
    ),
    INVENTORY_FULL_PASS_HOURS: envValue(z.coerce.number().positive().default(24)).describe(
      'Hours between full inventory passes (every owned SKU read from WooCommerce, which corrects stock edited on the WooCommerce side); the runs between read WooCommerce only for SKUs whose NetSuite availability or in-flight units changed.',
    ),
  }),
  {
    title: 'Worker',
    description:
      "The worker process's own settings (`npm run worker`): its task queue, how long an order may wait for a human, NetSuite activity slots and look-up caches, the drift fixture and the inventory passes.",
  },
);

/** The worker process's own settings. */
export interface WorkerSettings {
  /** The orders task queue (TASK_QUEUE). */
  taskQueue: string;
  /** Absolute path of the mapping file (MAPPING_FILE, resolved by mappingFilePath). */
  mappingFile: string;
  /** Seconds an order may stay NeedsAttention before the workflow gives up (NEEDS_ATTENTION_LIMIT_SECONDS). */
  needsAttentionLimitSeconds: number;
  /** NetSuite activity slots per worker (NETSUITE_ACTIVITY_SLOTS); undefined → the worker computes them from the permits. */
  netsuiteActivitySlots: number | undefined;
  /** Seconds a found item or customer is reused; 0 = never (NETSUITE_LOOKUP_CACHE_SECONDS). */
  lookupCacheSeconds: number;
  /** Absolute path of the drift watcher's schema fixture (DRIFT_FIXTURE_FILE). */
  driftFixtureFile: string;
  /** Seconds a NetSuite step may wait for a permit before the order's current details say so (NETSUITE_PERMIT_WAIT_REPORT_SECONDS). */
  permitWaitReportSeconds: number;
  /** Hours between full inventory passes (INVENTORY_FULL_PASS_HOURS). */
  inventoryFullPassHours: number;
}

/**
 * Reads TASK_QUEUE, MAPPING_FILE, NEEDS_ATTENTION_LIMIT_SECONDS, NETSUITE_ACTIVITY_SLOTS, NETSUITE_LOOKUP_CACHE_SECONDS,
 * NETSUITE_PERMIT_WAIT_REPORT_SECONDS, DRIFT_FIXTURE_FILE and INVENTORY_FULL_PASS_HOURS (workerSettingsSchema).
 */
export function loadWorkerSettings(env: NodeJS.ProcessEnv = processEnv()): WorkerSettings {
  const settings = parseSettings(workerSettingsSchema, env);
  return {
    taskQueue: settings.TASK_QUEUE,
    mappingFile: mappingFilePath(env),
    needsAttentionLimitSeconds: settings.NEEDS_ATTENTION_LIMIT_SECONDS,
    netsuiteActivitySlots: settings.NETSUITE_ACTIVITY_SLOTS,
    lookupCacheSeconds: settings.NETSUITE_LOOKUP_CACHE_SECONDS,
    driftFixtureFile: resolvePath(process.cwd(), settings.DRIFT_FIXTURE_FILE),
    permitWaitReportSeconds: settings.NETSUITE_PERMIT_WAIT_REPORT_SECONDS,
    inventoryFullPassHours: settings.INVENTORY_FULL_PASS_HOURS,
  };
}

/** TASK_QUEUE alone (workerSettingsSchema): the orders task queue of this deployment, for the CLI and the receiver. */
export function taskQueueName(env: NodeJS.ProcessEnv = processEnv()): string {
  return parseSettings(workerSettingsSchema.pick({ TASK_QUEUE: true }), env).TASK_QUEUE;
}
