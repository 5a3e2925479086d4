/**
 * Every setting of every process, read from the environment and validated with zod: one module per concern, each
 * variable's name, default, rule and description in its schema (`.describe()`, and `.meta()`: the schema's section
 * title, secrets). docs/settings.md is generated from them (`npm run docs:settings`, scripts/settings-reference.ts;
 * test/config/settings-documented.test.ts checks it is current). An invalid setting stops the process with a ConfigError
 * naming the variable; secrets (private keys, consumer secrets, webhook secrets, database passwords, tokens) are never
 * echoed. Nothing outside src/config/ reads `process.env` (test/config/env-reads.test.ts).
 *
 *   env.ts          ConfigError, parseSettings, the env helpers, displayUrl
 *   process.ts      LOG_LEVEL, WORKER_SHUTDOWN_GRACE_SECONDS
 *   temporal.ts     the Temporal connection (TEMPORAL_*, read by @temporalio/envconfig)
 *   netsuite-schema.ts, netsuite-guard.ts, netsuite-key.ts, netsuite.ts
 *                   NETSUITE_* and NS_SANDBOX_* / NS_PROD_*: the one sandbox/production guard, the key, the limiter
 *   stores.ts       WOO_STORES, WOO_DEFAULT_STORE, WOO_<NAME>_*
 *   receiver.ts, worker.ts, cli.ts, files.ts (MAPPING_FILE, SCHEDULES_FILE), alerts.ts, state.ts, operations.ts,
 *   codec.ts        each process's and each feature's settings
 */
export * from './env';
export * from './process';
export * from './temporal';
export * from './netsuite-schema';
export * from './netsuite-guard';
export * from './netsuite';
export * from './stores';
export * from './receiver';
export * from './files';
export * from './worker';
export * from './cli';
export * from './alerts';
export * from './state';
export * from './operations';
export * from './codec';
