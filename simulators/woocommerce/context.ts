/** What every part of the simulator shares: the state, the options, the site clock, the RNG and the event sink. */
import type { Rng } from '../shared/rng';
import type { SiteClock } from './clock';
import type { ResolvedOptions } from './options';
import type { Store } from './store';

export type WebhookResource = 'order' | 'product';
export type WebhookEvent = 'created' | 'updated' | 'deleted' | 'restored';

export interface SimContext {
  store: Store;
  options: ResolvedOptions;
  clock: SiteClock;
  rng: Rng;
  /** The store URL without trailing slash (known once the vendor listener is up). */
  storeUrl(): string;
  /** Something happened to a resource: the webhook layer queues deliveries for matching subscriptions. */
  emit(resource: WebhookResource, event: WebhookEvent, id: number): void;
}
