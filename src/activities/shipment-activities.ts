/**
 * The order workflow's shipment step: push NetSuite's new shipped fulfilments to the WooCommerce order, exactly once.
 *
 * Per new fulfilment: a claim in the pushed-fulfilment index (write-ahead), then its tracking numbers through the
 * Shipment Tracking extension (when the store has it, or the mapping says so), else one shipment note (a customer note
 * only when the mapping says `notifyCustomer`). A claim that already existed means an earlier attempt may have pushed
 * part of it: the order's trackings or notes are read first and only what is missing is added. Then one PUT of the
 * order: the `_netsuite_fulfilments` meta and, by the completion policy, the status `completed`.
 *
 * Pushed fulfilments NetSuite deleted or un-shipped since are returned for the workflow to raise (never reverted
 * silently); `acknowledge` records the ones a human accepted with `retry`.
 */
import { Context } from '@temporalio/activity';
import { completesOrder, partialShipmentNote, planShipments, shipmentMarker, shipmentNote, trackingOf, type Tracking } from '../fulfilment/plan';
import {
  formatFulfilmentRecord,
  type FulfilmentRecord,
  type NetSuiteFulfilment,
  type PushedFulfilment,
  type PushedVia,
  type SalesOrderShipping,
  type ShipmentEvent,
} from '../fulfilment/types';
import type { PushedFulfilmentIndex } from '../state/pushed-fulfilments';
import type { WooClient } from '../woocommerce/client';
import { isNoRouteError } from '../woocommerce/errors';
import { ORDER_META } from '../woocommerce/order-meta';
import { needsAttention, storeClientOf, toFailure } from './failures';
import type { PushShipmentsInput, PushShipmentsResult } from './contracts';
import type { MappingSource } from './mapping-source';
import { NOTE_PREFIX } from './order-activities';
import type { ShipmentActivities } from './types';

export interface ShipmentActivityDeps {
  stores: ReadonlyMap<string, WooClient>;
  mapping: MappingSource;
  /** Undefined without a database: every push then checks the order's trackings or notes first. */
  index: PushedFulfilmentIndex | undefined;
  /** How long a store's "has the Shipment Tracking extension" answer is reused. Default 5 minutes. */
  extensionProbeTtlMs?: number;
  now?: () => number;
}

export function createShipmentActivities(deps: ShipmentActivityDeps): ShipmentActivities {
  /** One probe per store at a time: pushes that start together share its answer. */
  const probes = new Map<string, { has: Promise<boolean>; at: number }>();
  const ttl = deps.extensionProbeTtlMs ?? 5 * 60_000;
  const now = deps.now ?? Date.now;

  return {
    /**
     * Claims the shipped fulfilments of an order WooCommerce no longer has, when ShippedOrderMissing is raised: the
     * fulfilment sync then does not raise it again on every run of its overlap window. A retry after the order was
     * restored still pushes them (a push looks at the order first when a claim exists).
     */
    async claimShipments(input: { store: string; orderId: number; shipping: SalesOrderShipping }): Promise<void> {
      for (const f of input.shipping.fulfilments.filter((x) => x.shipped)) {
        await deps.index?.claim({ store: input.store, fulfilmentId: f.id, orderId: input.orderId, salesOrderId: input.shipping.salesOrderId });
      }
    },

    async pushShipments(input: PushShipmentsInput): Promise<PushShipmentsResult> {
      const { store, orderId, shipping } = input;
      const woo = storeClientOf(deps.stores, store, 'then send "retry"');
      const mapping = deps.mapping.forStore(store).fulfilment;
      const signal = Context.current().cancellationSignal;

      if (shipping.orderKey !== undefined && shipping.orderKey !== input.order.orderKey) {
        throw needsAttention({
          failureType: 'FulfilmentOrderMismatch',
          message:
            `NetSuite sales order ${shipping.tranId ?? shipping.salesOrderId} shipped and names WooCommerce order ${orderId} in its order-number field, ` +
            'but its order key is not this order’s: nothing was pushed to this order (its customer must not see another customer’s parcel).',
          fix: 'Correct the order-number and order-key fields of the sales order in NetSuite (a sequential-order-numbers plugin changes order numbers), tell the right customer, then send "retry" or "skip".',
        });
      }

      const record: FulfilmentRecord = { pushed: [...input.record.pushed], acknowledged: [...new Set([...input.record.acknowledged, ...input.acknowledge])] };
      const plan = planShipments(record, shipping);
      const events: ShipmentEvent[] = [];
      try {
        let via: PushedVia = mapping.trackingVia === 'auto' ? ((await hasExtension(woo, signal)) ? 'shipmentTracking' : 'note') : mapping.trackingVia;
        const completed = completesOrder(mapping.complete, plan, input.order.status, plan.toPush.length);
        for (const fulfilment of plan.toPush) {
          // Shipped again after an accepted revert: what the customer already has is looked up, not added twice.
          const again = record.acknowledged.includes(fulfilment.id);
          const claimed = deps.index ? await deps.index.claim({ store, fulfilmentId: fulfilment.id, orderId, salesOrderId: shipping.salesOrderId }) : false;
          const firstAttempt = claimed && !again;
          const trackings = fulfilment.packages.map((p) => trackingOf(fulfilment, p, mapping.carriers));
          let pushedVia: PushedVia = via === 'shipmentTracking' && trackings.length > 0 ? 'shipmentTracking' : 'note';
          if (pushedVia === 'shipmentTracking') {
            try {
              const existing = firstAttempt ? new Set<string>() : new Set((await woo.listShipmentTrackings(orderId, { signal })).map((t) => t.trackingNumber));
              for (const t of trackings) {
                if (existing.has(t.number)) continue;
                await woo.addShipmentTracking(orderId, trackingInput(t, fulfilment), { signal });
              }
            } catch (error) {
              // Detected earlier, uninstalled since: under `auto` the note carries the numbers (and the probe is forgotten).
              if (mapping.trackingVia !== 'auto' || !isNoRouteError(error)) throw error;
              forgetProbe(store);
              via = pushedVia = 'note';
            }
          }
          if (pushedVia === 'shipmentTracking' && plan.stillToShip.length > 0) {
            await noteOnce(woo, orderId, fulfilment, firstAttempt, `${NOTE_PREFIX} ${partialShipmentNote(fulfilment, plan.stillToShip)}`, false);
          }
          if (pushedVia === 'note') {
            await noteOnce(
              woo,
              orderId,
              fulfilment,
              firstAttempt,
              noteText(fulfilment, trackings, plan.stillToShip, mapping.notifyCustomer),
              mapping.notifyCustomer,
            );
          }
          const pushed: PushedFulfilment = {
            id: fulfilment.id,
            tranId: fulfilment.tranId,
            trackingNumbers: trackings.map((t) => t.number),
            via: pushedVia,
            at: new Date(now()).toISOString(),
          };
          record.pushed = [...record.pushed.filter((p) => p.id !== fulfilment.id), pushed];
          record.acknowledged = record.acknowledged.filter((id) => id !== fulfilment.id);
          events.push({
            at: pushed.at,
            fulfilment: { id: fulfilment.id, tranId: fulfilment.tranId },
            trackingNumbers: pushed.trackingNumbers,
            via: pushedVia,
            customerNotified: pushedVia === 'note' ? mapping.notifyCustomer : completed,
            completed,
            stillToShip: plan.stillToShip,
          });
        }
        const acknowledgedNow = input.acknowledge.filter((id) => !input.record.acknowledged.includes(id));
        if (plan.toPush.length > 0 || acknowledgedNow.length > 0) {
          await woo.updateOrder(
            orderId,
            { ...(completed ? { status: 'completed' } : {}), meta: [{ key: ORDER_META.fulfilments, value: formatFulfilmentRecord(record) }] },
            { signal },
          );
        }
        // Accepted reverts give up their claims (after the meta says so): shipped again, they are pushed again.
        if (acknowledgedNow.length > 0) await deps.index?.release(store, acknowledgedNow);
        return { events, record, reverted: plan.reverted, completed, stillToShip: plan.stillToShip };
      } catch (error) {
        throw toFailure(error, `pushing the shipments of sales order ${shipping.tranId ?? shipping.salesOrderId} to order ${orderId}`);
      }

      /** Adds the note unless an earlier attempt did (its marker is in a note already). */
      async function noteOnce(
        client: WooClient,
        id: number,
        fulfilment: NetSuiteFulfilment,
        firstAttempt: boolean,
        text: string,
        customerNote: boolean,
      ): Promise<void> {
        if (!firstAttempt) {
          const notes = await client.listOrderNotes(id, { signal });
          if (notes.some((n) => n.note.includes(shipmentMarker(fulfilment.tranId)))) return;
        }
        await (customerNote ? client.addShipmentNote(id, text, { customerNote: true }, { signal }) : client.addPrivateNote(id, text, { signal }));
      }
    },
  };

  function forgetProbe(store: string): void {
    probes.delete(store);
  }

  function hasExtension(woo: WooClient, signal: AbortSignal): Promise<boolean> {
    const cached = probes.get(woo.store);
    if (cached && now() - cached.at < ttl) return cached.has;
    const has = woo.hasShipmentTracking({ signal });
    probes.set(woo.store, { has, at: now() });
    // A failed probe is not remembered: the next push asks again.
    has.catch(() => {
      if (probes.get(woo.store)?.has === has) probes.delete(woo.store);
    });
    return has;
  }
}

/** The shipment note: the customer's words when they are notified, else the same words as a private note. */
function noteText(fulfilment: NetSuiteFulfilment, trackings: readonly Tracking[], stillToShip: readonly string[], customer: boolean): string {
  const text = shipmentNote(fulfilment, trackings, stillToShip);
  return customer ? text : `${NOTE_PREFIX} ${text}`;
}

/** A mapped carrier with a URL goes as a custom provider with its link; otherwise by provider name. */
function trackingInput(t: Tracking, fulfilment: NetSuiteFulfilment) {
  return {
    trackingNumber: t.number,
    ...(t.url !== undefined && t.provider !== undefined
      ? { custom: { provider: t.provider, link: t.url } }
      : t.provider !== undefined
        ? { provider: t.provider }
        : {}),
    ...(fulfilment.date !== undefined ? { dateShipped: fulfilment.date } : {}),
  };
}
