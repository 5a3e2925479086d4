/**
 * Delivery fault injection (`setWebhookFaults`, `PUT /control/webhooks/faults`): drops, duplicates and delays. A drop and a
 * delay are decided when a delivery is queued (webhook-queue.ts), a duplicate when it runs (webhook-manager.ts).
 */

export interface DeliveryFaults {
  /** Fraction of deliveries silently never sent (0..1), decided when queued. Default 0. */
  dropFraction: number;
  /** Fraction of deliveries sent more than once (0..1), decided when the delivery runs. Default 0. */
  duplicateFraction: number;
  /** How many times in total a duplicated delivery is sent (≥ 2); the copies follow the first one by one. Default 2. */
  duplicateCopies: number;
  /** Extra delay added to every delivery's due time, in ms. Default 0. */
  extraDelayMs: number;
  /**
   * Fraction of deliveries (0..1), decided when queued, made due a further uniform(0, delayMaxMs) ms later, so they
   * may arrive after deliveries queued after them (out of order). No effect while delayMaxMs is 0. Default 0.
   */
  delayFraction: number;
  /** Upper bound of the random delay of a delivery picked by `delayFraction`, in ms. Default 0. */
  delayMaxMs: number;
}

export const DEFAULT_DELIVERY_FAULTS: Readonly<DeliveryFaults> = {
  dropFraction: 0,
  duplicateFraction: 0,
  duplicateCopies: 2,
  extraDelayMs: 0,
  delayFraction: 0,
  delayMaxMs: 0,
};
