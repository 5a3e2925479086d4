/**
 * The chaos run's plan, drawn from one seed before anything starts (pure; no I/O): when each order is placed, which
 * orders are provoked on purpose, what happens to each order after its sales order, and when each process fault hits.
 * The same seed gives the same plan; the simulators' own RNGs (seeded from it too) pick which requests fail.
 *
 * Arrivals: a steady stream at `ratePerSecond` (exponential gaps) with bursts — every 20–40 s, 15–40 orders at
 * once, as when a newsletter goes out. After its sales order, 10 % of orders are cancelled or refunded, half of the
 * refunds after NetSuite shipped and invoiced them; 50 % are shipped (in full, or a first part); 5 % are edited.
 * Process faults fall inside the fault window (first order → last order + 20 s): each worker is SIGKILLed every
 * 10–20 s; the receiver, the Temporal dev server and the limiter's PostgreSQL each go down once, in separate parts of
 * the window so each outage is seen on its own; NetSuite revokes every token twice.
 */
import { createRng, type Rng } from '../simulators/shared/rng';
import { generateOrderDrafts, type OrderDraft, type SeedCatalog } from '../simulators/seed';

/**
 * What the run does to an order once WooCommerce shows its sales order: nothing; NetSuite ships it in full or in part;
 * the customer cancels it; the store refunds a unit before NetSuite billed it, or after NetSuite shipped and invoiced it
 * (a credit memo); the store edits a quantity before it ships.
 */
export type AfterSync = 'none' | 'fulfil' | 'fulfil-part' | 'cancel' | 'refund' | 'refund-invoiced' | 'edit';

export interface PlannedOrder {
  /** Milliseconds after the run's start. */
  atMs: number;
  draft: OrderDraft & { lines: (OrderDraft['lines'][number] & { raw?: boolean; name?: string; price?: string })[] };
  /**
   * What the order should end as: a draft left in pending is skipped by the status rule (or never heard of, if its
   * webhooks were lost: an unpaid order needs no sales order); one paid later, synced; an unknown SKU needs attention.
   */
  expect: 'Synced' | 'Skipped' | 'NeedsAttention';
  /** A pending order the shopper pays this long after placing it (it moves to processing). */
  payAfterMs?: number;
  afterSync: AfterSync;
}

export type ProcessFault =
  | { kind: 'kill-worker'; worker: number }
  | { kind: 'kill-receiver'; downMs: number }
  | { kind: 'restart-temporal'; downMs: number }
  | { kind: 'halt-postgres'; downMs: number }
  | { kind: 'revoke-tokens' };

export interface PlannedFault {
  atMs: number;
  fault: ProcessFault;
}

export interface ChaosPlan {
  seed: number;
  orders: PlannedOrder[];
  faults: PlannedFault[];
  /** Faults stop here (ms after the start). */
  faultWindowMs: number;
}

export interface PlanOptions {
  seed: number;
  orders: number;
  ratePerSecond: number;
  workers: number;
  catalog: SeedCatalog;
  /** Share of orders given a SKU NetSuite does not know (NeedsAttention on purpose). Default 0.02. */
  unknownSkuShare?: number;
}

/** The SKU of the provoked unknown-SKU line of order `index`. */
export const unknownSku = (index: number): string => `CHAOS-UNKNOWN-${index}`;

const uniform = (rng: Rng, min: number, max: number): number => min + rng.next() * (max - min);

function arrivals(rng: Rng, count: number, ratePerSecond: number): number[] {
  const times: number[] = [];
  let now = 0;
  let nextBurst = uniform(rng, 20_000, 40_000);
  while (times.length < count) {
    now += (-Math.log(1 - rng.next()) * 1000) / ratePerSecond;
    if (now >= nextBurst) {
      const size = rng.int(15, 40);
      for (let i = 0; i < size && times.length < count; i++) times.push(Math.round(nextBurst));
      nextBurst += uniform(rng, 20_000, 40_000);
      continue;
    }
    times.push(Math.round(now));
  }
  return times;
}

function afterSync(rng: Rng): AfterSync {
  const roll = rng.next();
  if (roll < 0.05) return 'cancel';
  if (roll < 0.075) return 'refund';
  if (roll < 0.1) return 'refund-invoiced';
  if (roll < 0.45) return 'fulfil';
  if (roll < 0.6) return 'fulfil-part';
  if (roll < 0.65) return 'edit';
  return 'none';
}

export function chaosPlan(options: PlanOptions): ChaosPlan {
  const rng = createRng(options.seed * 7919 + 17);
  const drafts = generateOrderDrafts(options.catalog, options.orders, options.seed + 1000);
  const times = arrivals(rng, options.orders, options.ratePerSecond);
  const orders: PlannedOrder[] = drafts.map((draft, index) => {
    const provoke = draft.status !== 'pending' && rng.chance(options.unknownSkuShare ?? 0.02);
    const lines = provoke ? [...draft.lines, { sku: unknownSku(index), quantity: 1, raw: true, name: 'Discontinued widget', price: '9.90' }] : draft.lines;
    // A refund takes one unit of a line holding two or more; an order without one is cancelled instead.
    let after = afterSync(rng);
    if ((after === 'refund' || after === 'refund-invoiced') && !lines.some((l) => l.quantity >= 2 && !('raw' in l))) after = 'cancel';
    const payAfterMs = draft.status === 'pending' && rng.chance(0.5) ? rng.int(10_000, 30_000) : undefined;
    const expect = draft.status === 'pending' && payAfterMs === undefined ? 'Skipped' : provoke ? 'NeedsAttention' : 'Synced';
    return { atMs: times[index]!, draft: { ...draft, lines }, expect, ...(payAfterMs ? { payAfterMs } : {}), afterSync: expect === 'Synced' ? after : 'none' };
  });

  const lastOrderMs = Math.max(...times);
  const faultWindowMs = lastOrderMs + 20_000;
  const faults: PlannedFault[] = [];
  for (let worker = 0; worker < options.workers; worker++) {
    for (let at = uniform(rng, 10_000, 20_000); at < faultWindowMs; at += uniform(rng, 10_000, 20_000))
      faults.push({ atMs: Math.round(at), fault: { kind: 'kill-worker', worker } });
  }
  const within = (from: number, to: number): number => Math.round(uniform(rng, from, to) * faultWindowMs);
  faults.push({ atMs: within(0.1, 0.3), fault: { kind: 'kill-receiver', downMs: rng.int(1000, 3000) } });
  faults.push({ atMs: within(0.4, 0.6), fault: { kind: 'restart-temporal', downMs: rng.int(3000, 6000) } });
  faults.push({ atMs: within(0.7, 0.9), fault: { kind: 'halt-postgres', downMs: rng.int(3000, 6000) } });
  faults.push({ atMs: within(0.2, 0.45), fault: { kind: 'revoke-tokens' } });
  faults.push({ atMs: within(0.55, 0.85), fault: { kind: 'revoke-tokens' } });
  faults.sort((a, b) => a.atMs - b.atMs);
  return { seed: options.seed, orders, faults, faultWindowMs };
}
