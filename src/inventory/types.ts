/**
 * The inventory sync's names and shapes, shared by its workflow, its activity, the worker and the operator's tools.
 * Types and pure constants only — the workflow imports this module, so nothing here may do I/O.
 */
import type { InventoryPass } from './pass';

/** Default NetSuite pages one activity processes before reporting back to the workflow. */
export const DEFAULT_PAGES_PER_ACTIVITY = 10;
/** Default activities per workflow run before it continues as new (a 500,000-item catalog at the other defaults). */
export const DEFAULT_ACTIVITIES_PER_RUN = 50;
/** Default heartbeat timeout of the chunk activity: a crashed worker's chunk resumes elsewhere within this. */
export const DEFAULT_HEARTBEAT_TIMEOUT_SECONDS = 20;
/** At most this many per-item write errors and missing SKUs are listed in a result (all are counted). */
export const LISTED_PER_KIND = 50;
/** Default hours between full passes (INVENTORY_FULL_PASS_HOURS); the runs between them are incremental. */
export const DEFAULT_FULL_PASS_HOURS = 24;
/** The workflow's patch that added the full-or-incremental choice (an activity before the first chunk). */
export const INVENTORY_INCREMENTAL_PATCH = 'inventory-incremental-v1';

/** Counters of one run (summed over its activities and continue-as-new runs). */
export interface InventoryCounts {
  /** NetSuite SuiteQL pages read. */
  pagesRead: number;
  /** NetSuite inventory items read. */
  skusRead: number;
  /** WooCommerce SKUs whose stock was written (successfully). */
  updated: number;
  /** WooCommerce SKUs read whose stock already matched. */
  unchanged: number;
  /** Owned SKUs not read from WooCommerce: NetSuite's availability and the in-flight units are as in the snapshot (incremental runs). */
  skipped: number;
  /** WooCommerce SKUs whose write WooCommerce refused (per-item errors; listed in `errors`). */
  failed: number;
  /** Owned NetSuite SKUs WooCommerce has no product for. */
  missingInWooCommerce: number;
  /** NetSuite items whose WooCommerce SKUs NetSuite does not own (mapping `inventory.owns`), or without a match key. */
  notOwned: number;
  /** WooCommerce write requests (batches) sent. */
  writes: number;
  /** WooCommerce product read requests sent. */
  productReads: number;
  /** WooCommerce order listing requests sent (in-flight units). */
  orderReads: number;
}

export const emptyCounts = (): InventoryCounts => ({
  pagesRead: 0,
  skusRead: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  failed: 0,
  missingInWooCommerce: 0,
  notOwned: 0,
  writes: 0,
  productReads: 0,
  orderReads: 0,
});

/** Adds `delta` into `into` (returns `into`). */
export function addCounts(into: InventoryCounts, delta: InventoryCounts): InventoryCounts {
  for (const key of Object.keys(into) as (keyof InventoryCounts)[]) into[key] += delta[key] ?? 0;
  return into;
}

/** One SKU whose stock write WooCommerce refused (inside a 200 batch answer, or a batch it refused whole). */
export interface InventoryWriteError {
  sku: string;
  /** WooCommerce product or variation ID. */
  productId: number;
  /** The variable product, for a variation. */
  parentId?: number;
  /** WooCommerce's error code, e.g. woocommerce_rest_product_invalid_id. */
  code: string;
  message: string;
}

/** What a run hands to the next one when it continues as new. */
export interface InventoryCarried {
  /** NetSuite keyset cursor: the next page holds items whose internal ID is greater. */
  cursor: string;
  counts: InventoryCounts;
  /** ISO time the first run of this sync started. */
  startedAt: string;
  /** Listed write errors so far (at most LISTED_PER_KIND). */
  errors: InventoryWriteError[];
  /** Listed owned SKUs WooCommerce lacks so far (at most LISTED_PER_KIND). */
  missingInWooCommerce: string[];
  /** NetSuite keys of in-flight order lines that pages read so far contained. */
  inFlightKeysFound: string[];
  /** Runs before this one. */
  runs: number;
  /** Full or incremental, as chosen by the first run (absent: a run started before the choice existed — a full pass, not recorded). */
  pass?: InventoryPass;
  /** Why (shown in the current details and the result). */
  passReason?: string;
}

/** The inventory workflow's input. Small: the store and tuning; the mapping is read by the activity. */
export interface InventorySyncInput {
  /** Configured store name, e.g. "main". */
  store: string;
  /** NetSuite pages per activity. Default 10. */
  pagesPerActivity?: number;
  /** Activities per workflow run before continuing as new (or earlier, when Temporal suggests it). Default 50. */
  activitiesPerRun?: number;
  /** Heartbeat timeout of the chunk activity, in seconds. Default 20. */
  heartbeatTimeoutSeconds?: number;
  /** A full pass now, whatever the snapshot's age (e.g. after stock was bulk-edited in WooCommerce). Default false. */
  fullPass?: boolean;
  /** Set by the previous run when this one continues it. */
  carried?: InventoryCarried;
}

/** What the inventory sync returns. */
export interface InventorySyncResult {
  store: string;
  /** Full pass (every owned SKU read from WooCommerce) or incremental (only those NetSuite or in-flight orders changed). */
  pass: InventoryPass;
  /** Why this kind of run. */
  passReason: string;
  /** WooCommerce SKUs written. */
  updated: number;
  /** WooCommerce SKUs read and already right. */
  unchanged: number;
  /** Owned SKUs not read (unchanged since the snapshot; incremental runs only). */
  skipped: number;
  /** WooCommerce SKUs whose write was refused (see `errors`). */
  failed: number;
  missing: {
    /** Owned NetSuite SKUs WooCommerce has no product for. */
    inWooCommerce: number;
    /** SKUs on in-flight order lines that NetSuite has no active inventory item for. */
    inNetSuite: number;
  };
  /** Some of the missing SKUs (at most LISTED_PER_KIND each). SKUs only: never customer data. */
  missingSkus: { inWooCommerce: string[]; inNetSuite: string[] };
  /** NetSuite items read. */
  skusRead: number;
  /** NetSuite SuiteQL pages read. */
  pagesRead: number;
  notOwned: number;
  /** WooCommerce write requests (batches). */
  writes: number;
  /** WooCommerce product read requests. */
  productReads: number;
  /** WooCommerce order listing requests. */
  orderReads: number;
  /** Units held by in-flight orders (from the last activity's reading). */
  inFlightUnits: number;
  /** In-flight orders (from the last activity's reading). */
  inFlightOrders: number;
  startedAt: string;
  finishedAt: string;
  /** Workflow runs this sync took (1 + continue-as-new count). */
  runs: number;
  /** Per-item write errors (at most LISTED_PER_KIND; `failed` counts all). */
  errors: InventoryWriteError[];
}

/** The chunk activity's input. */
export interface InventoryChunkInput {
  store: string;
  /** Keyset cursor ('0' = from the start). */
  cursor: string;
  /** NetSuite pages to process at most. */
  maxPages: number;
  /** NetSuite keys of in-flight order lines found by earlier chunks (decides "missing in NetSuite" at the end). */
  inFlightKeysFound: string[];
  /** Full (default) or incremental: read WooCommerce only for SKUs changed since the snapshot. */
  pass?: InventoryPass;
  /**
   * When the sync's first run started (ISO): the snapshot entries this chunk settles are recorded with it, and the
   * last chunk of a full pass completes the pass with it. Absent: nothing is recorded (a run from before snapshots).
   */
  runStartedAt?: string;
}

/** What one chunk did. */
export interface InventoryChunkResult {
  /** Cursor of the next chunk; undefined when NetSuite has no more items (the run is complete). */
  nextCursor?: string;
  /** This chunk's counts (the workflow sums them). */
  counts: InventoryCounts;
  /** This chunk's per-item write errors (at most LISTED_PER_KIND). */
  errors: InventoryWriteError[];
  /** This chunk's owned SKUs WooCommerce lacks (at most LISTED_PER_KIND). */
  missingInWooCommerce: string[];
  /** NetSuite keys of in-flight order lines this chunk's pages contained. */
  inFlightKeysFound: string[];
  /** The in-flight reading this chunk used. */
  inFlight: { units: number; orders: number };
  /** Only on the last chunk: SKUs on in-flight order lines NetSuite has no active inventory item for. */
  missingInNetSuite?: { count: number; skus: string[] };
}
