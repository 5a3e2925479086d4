import type { SeedCatalog } from '../seed';

/** How unknown body properties are treated (`X-NetSuite-PropertyNameValidation`). */
export type PropertyNameValidation = 'Error' | 'Warning' | 'Ignore';

/**
 * Kinds of vendor request that can be given a latency of their own (latency.ts classifies a request by method and path):
 * `suiteql` POST …/query/v1/suiteql; `create` any other POST under /services/rest (record creates and `!transform`);
 * `read` GET; `update` PATCH and PUT; `delete` DELETE. The token endpoint is none of them (it takes the default).
 */
export type NetSuiteOperation = 'suiteql' | 'create' | 'read' | 'update' | 'delete';
export const NETSUITE_OPERATIONS: readonly NetSuiteOperation[] = ['suiteql', 'create', 'read', 'update', 'delete'];

/**
 * One latency: `fixedMs` + a uniform draw in [0, jitterMs] + a uniform draw in [−spreadMs, +spreadMs] (seeded RNG),
 * never below 0. Its mean is `fixedMs + jitterMs / 2` (while spreadMs ≤ fixedMs): "400 ± 150 ms" is `{fixedMs: 400, spreadMs: 150}`.
 */
export interface LatencySpec {
  /** Fixed delay, in milliseconds. Default 0. */
  fixedMs?: number;
  /** Extra uniformly distributed delay in [0, jitterMs] (seeded RNG), in milliseconds. Default 0. */
  jitterMs?: number;
  /** Symmetric spread: a uniformly distributed delay in [−spreadMs, +spreadMs] around fixedMs (seeded RNG), in milliseconds. Default 0. */
  spreadMs?: number;
}

export interface LatencyOptions extends LatencySpec {
  /**
   * A latency of its own per kind of request, replacing the default above for that kind (fields left out are 0), e.g.
   * `{suiteql: {fixedMs: 400, spreadMs: 150}, create: {fixedMs: 2000, spreadMs: 600}}`. Kinds not listed take the default.
   */
  byOperation?: Partial<Record<NetSuiteOperation, LatencySpec>>;
}

/** A latency with every field filled in. */
export type ResolvedLatencySpec = Required<LatencySpec>;

/** The latency model in effect (the control API may change fixedMs and jitterMs at run time). */
export interface ResolvedLatency extends ResolvedLatencySpec {
  byOperation: Partial<Record<NetSuiteOperation, ResolvedLatencySpec>>;
}

export function resolveLatencySpec(spec: LatencySpec | undefined): ResolvedLatencySpec {
  return { fixedMs: spec?.fixedMs ?? 0, jitterMs: spec?.jitterMs ?? 0, spreadMs: spec?.spreadMs ?? 0 };
}

export function resolveLatency(options: LatencyOptions | undefined): ResolvedLatency {
  const byOperation: ResolvedLatency['byOperation'] = {};
  for (const operation of NETSUITE_OPERATIONS) {
    const spec = options?.byOperation?.[operation];
    if (spec) byOperation[operation] = resolveLatencySpec(spec);
  }
  return { ...resolveLatencySpec(options), byOperation };
}

export interface NetSuiteSimulatorOptions {
  /** NetSuite account ID, used as the `realm` of 401 answers. Default `'1234567_SB1'`. */
  accountId?: string;
  /** Port of the vendor-shaped API. Default 0 (any free port). */
  port?: number;
  /** Port of the control API. Default 0 (any free port). */
  controlPort?: number;
  /** Interface both listeners (vendor and control API) bind to. Default 127.0.0.1. */
  host?: string;
  /**
   * Host name in the URLs the simulator reports (`url`, `tokenUrl`, the JWT `aud` it accepts, record links). Default:
   * the host, or 127.0.0.1 when the host is a wildcard (0.0.0.0).
   */
  advertiseHost?: string;
  /** Account-wide concurrency limit of the vendor API. Default 5. */
  concurrencyLimit?: number;
  /** Seconds sent in `Retry-After` on 429 answers. Default undefined = never send `Retry-After` (no source shows NetSuite sending it). */
  retryAfterSeconds?: number;
  /**
   * Artificial latency of vendor requests, optionally per kind of request (`byOperation`); the request holds its
   * concurrency slot for the whole delay. Default `{fixedMs: 0, jitterMs: 0, spreadMs: 0}`.
   */
  latency?: LatencyOptions;
  /** Lifetime of minted access tokens in seconds. Default 3600 (NetSuite: 60 minutes). */
  tokenLifetimeSeconds?: number;
  /** Send `expires_in` as a string (`"3600"`) instead of a number; NetSuite's choice is unconfirmed. Default false (number). */
  expiresInAsString?: boolean;
  /** Seed of the RNG used for latency jitter and fault fractions. Default 1. */
  seed?: number;
  /**
   * A seed catalog to load at start (items, stock, locations, existing customers). Default: none (only locations,
   * subsidiary and default non-inventory items).
   */
  catalog?: SeedCatalog;
  /** Count token-endpoint requests toward the concurrency limit. Default false. */
  countTokenRequestsTowardConcurrency?: boolean;
  /** Treatment of unknown properties when a request has no `X-NetSuite-PropertyNameValidation` header. Default `'Warning'`. */
  propertyNameValidationDefault?: PropertyNameValidation;
  /** `o:errorCode` of the 400 answered for a duplicate external ID (unconfirmed in NetSuite). Default `'USER_ERROR'`. */
  duplicateExternalIdErrorCode?: string;
  /**
   * What a sales-order line `taxCode` does: `'reject'` = 400 (legacy tax is not supported over REST, SuiteTax is
   * required), `'ignore'` = dropped. Default `'reject'`.
   */
  legacyTaxCode?: 'reject' | 'ignore';
  /** SuiteQL result columns whose value is NULL: `'omit'` them from the row (as NetSuite does) or send `null`. Default `'omit'`. */
  suiteQlNullColumns?: 'omit' | 'null';
  /** Number of server-side request timings kept (ring buffer). Default 100000. */
  timingBufferSize?: number;
  /**
   * NetSuite's "Allow Negative Inventory" preference: when true an item fulfilment may ship more than is on hand at the
   * location (on hand goes below 0); when false it is refused with 400 USER_ERROR "Insufficient stock". Default false.
   */
  allowNegativeInventory?: boolean;
}

export interface ResolvedOptions {
  accountId: string;
  port: number;
  controlPort: number;
  host: string;
  advertiseHost: string | undefined;
  concurrencyLimit: number;
  retryAfterSeconds: number | undefined;
  latency: ResolvedLatency;
  tokenLifetimeSeconds: number;
  expiresInAsString: boolean;
  seed: number;
  catalog: SeedCatalog | undefined;
  countTokenRequestsTowardConcurrency: boolean;
  propertyNameValidationDefault: PropertyNameValidation;
  duplicateExternalIdErrorCode: string;
  legacyTaxCode: 'reject' | 'ignore';
  suiteQlNullColumns: 'omit' | 'null';
  timingBufferSize: number;
  allowNegativeInventory: boolean;
}

export function resolveOptions(options: NetSuiteSimulatorOptions = {}): ResolvedOptions {
  return {
    accountId: options.accountId ?? '1234567_SB1',
    port: options.port ?? 0,
    controlPort: options.controlPort ?? 0,
    host: options.host ?? '127.0.0.1',
    advertiseHost: options.advertiseHost,
    concurrencyLimit: options.concurrencyLimit ?? 5,
    retryAfterSeconds: options.retryAfterSeconds,
    latency: resolveLatency(options.latency),
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    expiresInAsString: options.expiresInAsString ?? false,
    seed: options.seed ?? 1,
    catalog: options.catalog,
    countTokenRequestsTowardConcurrency: options.countTokenRequestsTowardConcurrency ?? false,
    propertyNameValidationDefault: options.propertyNameValidationDefault ?? 'Warning',
    duplicateExternalIdErrorCode: options.duplicateExternalIdErrorCode ?? 'USER_ERROR',
    legacyTaxCode: options.legacyTaxCode ?? 'reject',
    suiteQlNullColumns: options.suiteQlNullColumns ?? 'omit',
    timingBufferSize: options.timingBufferSize ?? 100_000,
    allowNegativeInventory: options.allowNegativeInventory ?? false,
  };
}
