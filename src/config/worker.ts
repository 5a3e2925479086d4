/** The worker process's own settings: its task queue, the NeedsAttention limit, NetSuite slots and caches, drift and inventory. */
import { resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { ORDERS_TASK_QUEUE } from '../api';
import { DEFAULT_FIXTURE_FILE } from '../drift/fixture';
import { envValue, parseSettings, processEnv } from './env';
import { mappingFilePath } from './files';

/** The worker process's own settings (zod over env). */
export const workerSettingsSchema = z.object({
  TASK_QUEUE: envValue(z.string().min(1).default(ORDERS_TASK_QUEUE)).describe(
    `The orders task queue this worker serves; the NetSuite queue is derived from it. Default ${ORDERS_TASK_QUEUE}.`,
  ),
  NEEDS_ATTENTION_LIMIT_SECONDS: envValue(
    z.coerce
      .number()
      .int()
      .min(1)
      .default(30 * 24 * 3600),
  ).describe('How long an order may stay NeedsAttention (waiting for a retry signal) before its workflow gives up. Default 2592000 (30 days).'),
  NETSUITE_ACTIVITY_SLOTS: envValue(z.coerce.number().int().min(1).optional()).describe(
    "NetSuite activities one worker runs at once. Each waits in the worker for a cluster-wide permit, and the limiter serves the order that arrived first — so in a flash sale the waiting happens there, in the orders' arrival order, not in the task queue. Default max(1000, 2 × permits).",
  ),
  NETSUITE_LOOKUP_CACHE_SECONDS: envValue(z.coerce.number().int().min(0).default(600)).describe(
    'How long a worker reuses an item or customer NetSuite found, so a repeated SKU or a returning customer costs no request; a sales order NetSuite refuses over a reused ID has it looked up again once. 0 = always ask. Default 600 (10 minutes).',
  ),
  NETSUITE_PERMIT_WAIT_REPORT_SECONDS: envValue(z.coerce.number().min(0).default(60)).describe(
    "How long an order's NetSuite step may wait for a concurrency permit (all in use, or the limiter's database down) before the order's current details say so. Default 60 s.",
  ),
  DRIFT_FIXTURE_FILE: envValue(z.string().min(1).default(DEFAULT_FIXTURE_FILE)).describe(
    'The NetSuite schema fixture (written by `npm run drift:snapshot`) the drift watcher compares the live catalog with, resolved against the working directory. Default config/netsuite-schema.json.',
  ),
  INVENTORY_FULL_PASS_HOURS: envValue(z.coerce.number().positive().default(24)).describe(
    'Hours between full inventory passes (every owned SKU read from WooCommerce, which corrects stock edited on the WooCommerce side); the runs between read WooCommerce only for SKUs whose NetSuite availability or in-flight units changed. Default 24.',
  ),
});

/** The worker process's own settings. */
export interface WorkerSettings {
  /** The orders task queue. Default `woo-netsuite-orders`. */
  taskQueue: string;
  /** Absolute path of the mapping file (mappingFilePath). Default `<cwd>/config/mapping.json`. */
  mappingFile: string;
  /** Seconds an order may stay NeedsAttention before the workflow gives up. Default 30 days. */
  needsAttentionLimitSeconds: number;
  /** NetSuite activity slots per worker; undefined → the worker's default (max(1000, 2 × permits)). */
  netsuiteActivitySlots: number | undefined;
  /** Seconds a found item or customer is reused; 0 = never. Default 600. */
  lookupCacheSeconds: number;
  /** Absolute path of the drift watcher's schema fixture. */
  driftFixtureFile: string;
  /** Seconds a NetSuite step may wait for a permit before the order's current details say so. Default 60. */
  permitWaitReportSeconds: number;
  /** Hours between full inventory passes. Default 24. */
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
