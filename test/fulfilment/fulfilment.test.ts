/**
 * NetSuite's shipments reach the customer, end to end (real dev server, both simulators over HTTP, PostgreSQL for the
 * cursor and the pushed-fulfilment index): the warehouse ships in NetSuite, the fulfilment sync runs, and the tracking
 * reaches the WooCommerce order — through the Shipment Tracking extension, or a note and meta without it — exactly
 * once however often the sync runs; the order completes by the mapping's policy; what NetSuite takes back needs a
 * human; what is not ours is ignored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateCatalog, sellableItems } from '../../simulators/seed';
import { orderWorkflowId, retrySignal } from '../../src/api';
import type { SyncWorkers } from '../../src/worker';
import { readInFlightUnits } from '../../src/inventory/in-flight';
import { readOpenSalesOrders } from '../../src/reconciliation/netsuite-reads';
import { readOpenOrders } from '../../src/reconciliation/woo-reads';
import { createWooClient } from '../../src/woocommerce/client';
import { isNeedsAttention, startE2E, type E2E } from '../order-sync/helpers';
import { syncedOrder } from '../lifecycle/helpers';
import { pushedRecord, runFulfilmentSync, ship, shipmentNotes, trackingNumbers } from './helpers';

const catalog = generateCatalog({ seed: 43 });
const [first, second] = sellableItems(catalog).filter((s) => s.parentSku === undefined);
const SKU_A = first!.sku;
const SKU_B = second!.sku;

const hasShipments = (count: number) => (s: { status: string; outcomeRecorded: boolean; shipments?: unknown[] }) =>
  s.status === 'Synced' && (s.shipments?.length ?? 0) >= count;

describe('NetSuite shipments reach WooCommerce', () => {
  let e2e: E2E;
  let workers: SyncWorkers;
  before(async () => {
    e2e = await startE2E({ catalog, netsuite: { allowNegativeInventory: true } });
    e2e.stack.woo.control.setShipmentTracking(true);
    workers = await e2e.stack.startWorkers();
  });
  after(async () => e2e?.close());

  const setFulfilmentMapping = (fulfilment: Record<string, unknown>): void => {
    const mapping = e2e.stack.readMapping();
    e2e.stack.writeMapping({ ...mapping, fulfilment: { ...(mapping.fulfilment as object), ...fulfilment } });
  };

  it('shipped in full with two packages: both numbers through Shipment Tracking, the order completed, no longer in flight or open; a second sync pushes nothing', async () => {
    const { stack } = e2e;
    const { order, salesOrderId } = await syncedOrder(stack, catalog, [
      { sku: SKU_A, quantity: 2 },
      { sku: SKU_B, quantity: 1 },
    ]);
    ship(stack, salesOrderId, [
      { trackingNumber: '1ZFULL0001', carrier: 'UPS' },
      { trackingNumber: '1ZFULL0002', carrier: 'UPS' },
    ]);
    const result = await runFulfilmentSync(stack);
    assert.equal(result.newlyShipped, 1);
    assert.equal(result.ordersSignalled, 1);
    const state = await stack.waitForOrder(order.id, hasShipments(1));
    assert.deepEqual(state.shipments?.[0]?.trackingNumbers, ['1ZFULL0001', '1ZFULL0002']);
    assert.equal(state.shipments?.[0]?.via, 'shipmentTracking');
    assert.equal(state.shipments?.[0]?.completed, true);

    assert.deepEqual(trackingNumbers(stack, order.id), ['1ZFULL0001', '1ZFULL0002']);
    const [tracking] = stack.woo.control.shipmentTrackings(order.id);
    assert.equal(tracking?.custom_tracking_provider, 'UPS');
    assert.equal(tracking?.custom_tracking_link, 'https://www.ups.com/track?tracknum=1ZFULL0001');
    assert.equal(stack.woo.control.getOrder(order.id).status, 'completed');
    const emails = stack.woo.control.emails(order.id);
    assert.deepEqual(
      emails.map((e) => e.kind),
      ['customer_completed_order'],
      'the Completed e-mail, and no note e-mail',
    );
    assert.deepEqual(emails[0]?.kind === 'customer_completed_order' ? emails[0].trackingNumbers : [], ['1ZFULL0001', '1ZFULL0002']);
    assert.deepEqual(
      pushedRecord(stack, order.id).pushed.map((p) => [p.tranId, p.via, p.trackingNumbers.length]),
      [[state.shipments![0]!.fulfilment.tranId, 'shipmentTracking', 2]],
    );

    // Completed by a shipment: not in flight for the inventory sync, not open for the reconciliation, on either side.
    const woo = createWooClient(stack.store);
    const inFlight = await readInFlightUnits(woo, { statuses: ['processing', 'completed', 'on-hold'] });
    assert.ok(!inFlight.orders.includes(order.id));
    assert.ok(!(await readOpenOrders(woo, { taxIncluded: false })).orders.some((o) => o.id === order.id));
    const fields = {
      store: stack.store.name,
      storeField: 'custbody_woo_store',
      orderKeyField: 'custbody_woo_order_key',
      orderNumberField: 'custbody_woo_order_number',
    };
    assert.ok(!(await readOpenSalesOrders(workers.client, fields)).salesOrders.some((so) => so.id === salesOrderId), 'the shipped sales order is not open');

    // The sync again (the overlap window re-reads the same fulfilment): nothing is pushed twice, no workflow runs.
    const again = await runFulfilmentSync(stack);
    assert.equal(again.alreadyPushed, 1);
    assert.equal(again.ordersSignalled, 0);
    assert.deepEqual(trackingNumbers(stack, order.id), ['1ZFULL0001', '1ZFULL0002']);
  });

  it('shipped in full with two packages after the extension was uninstalled: both numbers in one private note and the meta, the order completed', async () => {
    const { stack } = e2e;
    stack.woo.control.setShipmentTracking(false);
    try {
      const { order, salesOrderId } = await syncedOrder(stack, catalog, [{ sku: SKU_A, quantity: 1 }]);
      ship(stack, salesOrderId, [
        { trackingNumber: '1ZGONE0001', carrier: 'ups' },
        { trackingNumber: 'PIGEON-7', carrier: 'Pigeon Post' },
      ]);
      await runFulfilmentSync(stack);
      const state = await stack.waitForOrder(order.id, hasShipments(1));
      assert.equal(state.shipments?.[0]?.via, 'note', 'the route answered rest_no_route: the note carries the numbers');
      const notes = shipmentNotes(stack, order.id);
      assert.equal(notes.length, 1);
      assert.equal(notes[0]!.customer_note, false, 'notifyCustomer is false: a private note');
      assert.match(notes[0]!.note, /UPS 1ZGONE0001 — https:\/\/www\.ups\.com\/track\?tracknum=1ZGONE0001/);
      assert.match(notes[0]!.note, /Pigeon Post PIGEON-7\n|Pigeon Post PIGEON-7$/, 'an unmapped carrier by its NetSuite name, no link');
      assert.deepEqual(
        pushedRecord(stack, order.id).pushed.map((p) => [p.via, p.trackingNumbers]),
        [['note', ['1ZGONE0001', 'PIGEON-7']]],
      );
      assert.equal(stack.woo.control.getOrder(order.id).status, 'completed');
      assert.deepEqual(
        stack.woo.control.emails(order.id).map((e) => e.kind),
        ['customer_completed_order'],
        'no customer note e-mail',
      );
    } finally {
      stack.woo.control.setShipmentTracking(true);
    }
  });

  it('shipped in part without the extension: a customer note and meta, still processing; the rest shipped later completes it', async () => {
    const { stack } = e2e;
    setFulfilmentMapping({ trackingVia: 'note', notifyCustomer: true });
    try {
      const { order, salesOrderId } = await syncedOrder(stack, catalog, [
        { sku: SKU_A, quantity: 2 },
        { sku: SKU_B, quantity: 1 },
      ]);
      ship(stack, salesOrderId, [{ trackingNumber: '7700PART1', carrier: 'FedEx' }], [{ line: 1 }]);
      await runFulfilmentSync(stack);
      await stack.waitForOrder(order.id, hasShipments(1));
      assert.equal(stack.woo.control.getOrder(order.id).status, 'processing');
      assert.deepEqual(stack.woo.control.shipmentTrackings(order.id), [], 'no extension route was used');
      const [note] = shipmentNotes(stack, order.id);
      assert.equal(note?.customer_note, true);
      assert.match(note!.note, /Your order has shipped \(shipment IF\d+\)/);
      assert.match(note!.note, /FedEx 7700PART1 — https:\/\/www\.fedex\.com\/fedextrack\/\?trknbr=7700PART1/);
      assert.match(note!.note, new RegExp(`2 × ${SKU_A}`));
      assert.match(note!.note, new RegExp(`Still to ship: 1 × ${SKU_B}`));
      assert.deepEqual(
        pushedRecord(stack, order.id).pushed.map((p) => p.via),
        ['note'],
      );

      ship(stack, salesOrderId, [{ trackingNumber: '7700PART2', carrier: 'FedEx' }]);
      await runFulfilmentSync(stack);
      await stack.waitForOrder(order.id, hasShipments(1));
      await stack.waitForOrder(order.id, () => stack.woo.control.getOrder(order.id).status === 'completed');
      const notes = shipmentNotes(stack, order.id);
      assert.equal(notes.length, 2);
      assert.doesNotMatch(notes[1]!.note, /Still to ship/);
      assert.deepEqual(
        stack.woo.control.emails(order.id).map((e) => e.kind),
        ['customer_note', 'customer_note', 'customer_completed_order'],
      );
      assert.equal(pushedRecord(stack, order.id).pushed.length, 2);
    } finally {
      setFulfilmentMapping({ trackingVia: 'auto', notifyCustomer: false });
    }
  });

  it('a sales order this integration did not create is ignored; one whose WooCommerce order was deleted is reported', async () => {
    const { stack } = e2e;
    const ours = await syncedOrder(stack, catalog, [{ sku: SKU_A, quantity: 1 }]);
    const ourRecord = stack.netsuite.control.getRecord('salesOrder', ours.salesOrderId) as {
      entity: { id: string };
      item: { items: { item: { id: string } }[] };
    };
    const foreign = stack.netsuite.control.createRecord('salesOrder', {
      entity: { id: ourRecord.entity.id },
      externalId: 'other-system-77',
      item: { items: [{ item: { id: ourRecord.item.items[0]!.item.id }, quantity: 1 }] },
    });
    ship(stack, foreign.id, [{ trackingNumber: 'FOREIGN-1' }]);
    stack.woo.control.deleteOrder(ours.order.id, true);
    ship(stack, ours.salesOrderId, [{ trackingNumber: 'LOST-1', carrier: 'UPS' }]);

    const result = await runFulfilmentSync(stack);
    assert.equal(result.newlyShipped, 1, 'only our sales order counts');
    assert.equal(result.ordersSignalled, 1);
    const state = await stack.waitForOrder(ours.order.id, (s) => s.status === 'NeedsAttention');
    assert.equal(state.attention?.failureType, 'ShippedOrderMissing');
    assert.match(state.attention!.message, /tracking LOST-1\), but WooCommerce order \d+ no longer exists: the customer was not told/);
    await stack.client.workflow
      .getHandle(orderWorkflowId(stack.store.name, ours.order.id))
      .signal('skip', { reason: 'test: told the customer by phone', by: 'test' });
    await stack.waitForOrder(ours.order.id, (s) => s.status === 'Skipped');
    // Once a human was told, the next sync (its overlap window re-reads the fulfilment) does not raise it again.
    const again = await runFulfilmentSync(stack);
    assert.equal(again.ordersSignalled, 0);
  });

  it('a pushed fulfilment un-shipped, then another deleted, in NetSuite needs attention each time; retry accepts it; shipped again, it is pushed again once', async () => {
    const { stack } = e2e;
    const { order, salesOrderId } = await syncedOrder(stack, catalog, [
      { sku: SKU_A, quantity: 1 },
      { sku: SKU_B, quantity: 1 },
    ]);
    const firstShipment = ship(stack, salesOrderId, [{ trackingNumber: 'REV-1', carrier: 'UPS' }], [{ line: 1 }]);
    await runFulfilmentSync(stack);
    await stack.waitForOrder(order.id, hasShipments(1));
    const handle = stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, order.id));

    stack.netsuite.control.setFulfilmentShipStatus(firstShipment.id, 'B');
    const unshipped = await runFulfilmentSync(stack);
    assert.equal(unshipped.reverted, 1);
    let state = await stack.waitForOrder(order.id, isNeedsAttention);
    assert.equal(state.attention?.failureType, 'FulfilmentReverted');
    assert.match(
      state.attention!.message,
      new RegExp(`Fulfilment ${firstShipment.tranId} \\(tracking REV-1\\) .* is no longer shipped in NetSuite \\(ship status B\\)`),
    );
    assert.deepEqual(trackingNumbers(stack, order.id), ['REV-1'], 'nothing is taken back silently');
    await handle.signal(retrySignal, { by: 'test' });
    await stack.waitForOrder(order.id, (s) => s.status === 'Synced' && s.outcomeRecorded);
    assert.deepEqual(pushedRecord(stack, order.id).acknowledged, [firstShipment.id]);

    // Shipped again: pushed again, and the number the customer already has is not added twice.
    stack.netsuite.control.setFulfilmentShipStatus(firstShipment.id, 'C');
    const reshipped = await runFulfilmentSync(stack);
    assert.equal(reshipped.newlyShipped, 1);
    await stack.waitForOrder(order.id, hasShipments(1));
    assert.deepEqual(trackingNumbers(stack, order.id), ['REV-1']);
    assert.deepEqual(pushedRecord(stack, order.id).acknowledged, []);
    assert.equal(stack.woo.control.getOrder(order.id).status, 'processing', 'line 2 is not shipped yet');

    const secondShipment = ship(stack, salesOrderId, [{ trackingNumber: 'REV-2', carrier: 'UPS' }], [{ line: 2 }]);
    await runFulfilmentSync(stack);
    await stack.waitForOrder(order.id, hasShipments(1));
    assert.equal(stack.woo.control.getOrder(order.id).status, 'completed');
    stack.netsuite.control.deleteFulfilment(secondShipment.id);
    const deleted = await runFulfilmentSync(stack);
    assert.equal(deleted.deleted, 1);
    state = await stack.waitForOrder(order.id, isNeedsAttention);
    assert.equal(state.attention?.failureType, 'FulfilmentReverted');
    assert.match(state.attention!.message, new RegExp(`Fulfilment ${secondShipment.tranId} \\(tracking REV-2\\) .* was deleted in NetSuite`));
    await stack.client.workflow.getHandle(orderWorkflowId(stack.store.name, order.id)).signal(retrySignal, { by: 'test' });
    await stack.waitForOrder(order.id, (s) => s.status === 'Synced' && s.outcomeRecorded);
    assert.equal(stack.woo.control.getOrder(order.id).status, 'completed', 'nothing is reverted in WooCommerce');
  });
});
