/** The delivery log (every delivery and ping sent, with the exact request and the answer) and the delivery counters. */

export interface DeliveryLogEntry {
  /** 'ping' = the request sent on creation; 'delivery' = an event delivery. */
  kind: 'delivery' | 'ping';
  webhookId: number;
  topic: string;
  resourceId: number | null;
  deliveryId: string | null;
  url: string;
  /** true for the extra copies of a duplicated delivery (every copy after the first). */
  duplicate: boolean;
  /** Only on a delivery picked by the delay fault: the random extra delay it was given, in ms. */
  delayedMs?: number;
  requestHeaders: Record<string, string>;
  /** The exact request body (ASCII, as signed). */
  rawBody: string;
  /** HTTP status, or null when the request failed (timeout, connection error). */
  statusCode: number | null;
  error: string | null;
  success: boolean;
  durationMs: number;
  /** ISO 8601 time of the attempt. */
  at: string;
}

export interface DeliveryCounters {
  /** Delivery requests sent (duplicates included; pings excluded). */
  attempted: number;
  succeeded: number;
  failed: number;
  /** Deliveries dropped by fault injection (never sent). */
  dropped: number;
  /** Extra copies sent by the duplicate fault (a delivery sent N times in total counts N − 1). */
  duplicated: number;
  /** Deliveries given a random extra delay by the delay fault (`delayFraction`). */
  delayed: number;
  /** Events not queued because an identical delivery was pending. */
  coalesced: number;
  /** Due deliveries not sent because the webhook was no longer active (paused, disabled, deleted) or the resource is a draft. */
  skipped: number;
  pings: number;
}

export const zeroCounters = (): DeliveryCounters => ({
  attempted: 0,
  succeeded: 0,
  failed: 0,
  dropped: 0,
  duplicated: 0,
  delayed: 0,
  coalesced: 0,
  skipped: 0,
  pings: 0,
});

/** Which log entries to list; every field left out matches all. */
export interface DeliveryLogFilter {
  webhookId?: number;
  resourceId?: number;
  kind?: 'delivery' | 'ping';
}

/** The newest entries, at most `maxEntries()` (read at every record), oldest dropped first. */
export class DeliveryLog {
  private readonly entries: DeliveryLogEntry[] = [];

  constructor(private readonly maxEntries: () => number) {}

  record(entry: DeliveryLogEntry): void {
    this.entries.push(entry);
    const max = this.maxEntries();
    if (this.entries.length > max) this.entries.splice(0, this.entries.length - max);
  }

  filter(filter: DeliveryLogFilter = {}): DeliveryLogEntry[] {
    return this.entries.filter(
      (e) =>
        (filter.webhookId === undefined || e.webhookId === filter.webhookId) &&
        (filter.resourceId === undefined || e.resourceId === filter.resourceId) &&
        (filter.kind === undefined || e.kind === filter.kind),
    );
  }

  clear(): void {
    this.entries.length = 0;
  }
}
