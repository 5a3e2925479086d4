/**
 * The pure part of the shipment push: what is new, what NetSuite took back, what is still to ship, when the order
 * completes, which carrier and link the customer sees, and the words of the notes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completesOrder, describeReverted, planShipments, shipmentNote, trackingOf } from '../../src/fulfilment/plan';
import { parseFulfilmentRecord, formatFulfilmentRecord, type NetSuiteFulfilment, type SalesOrderShipping } from '../../src/fulfilment/types';

const fulfilment = (id: string, shipped: boolean, lines: [number, string, number][], packages: string[] = []): NetSuiteFulfilment => ({
  id,
  tranId: `IF${id}`,
  shipStatus: shipped ? 'C' : 'B',
  shipped,
  date: '2026-12-06',
  shipMethod: 'UPS Ground',
  packages: packages.map((trackingNumber) => ({ trackingNumber })),
  lines: lines.map(([orderLine, item, quantity]) => ({ orderLine, item, quantity })),
});

const shipping = (fulfilments: NetSuiteFulfilment[]): SalesOrderShipping => ({
  store: 'main',
  orderId: 100,
  salesOrderId: '1000',
  tranId: 'SO1000',
  lines: [
    { line: 1, item: 'A', quantity: 2 },
    { line: 2, item: 'B', quantity: 1 },
  ],
  fulfilments,
  deleted: [],
  readAt: '2026-12-06T10:00:00.000Z',
});

const pushed = (id: string) => ({ id, tranId: `IF${id}`, trackingNumbers: ['T'], via: 'note' as const, at: '2026-12-05T10:00:00.000Z' });

describe('planShipments', () => {
  it('pushes shipped fulfilments not pushed yet, oldest first; picked or packed ones wait', () => {
    const plan = planShipments(
      { pushed: [], acknowledged: [] },
      shipping([fulfilment('12', true, [[2, 'B', 1]]), fulfilment('11', true, [[1, 'A', 2]]), fulfilment('13', false, [])]),
    );
    assert.deepEqual(
      plan.toPush.map((f) => f.id),
      ['11', '12'],
    );
    assert.equal(plan.fullyShipped, true);
    assert.deepEqual(plan.stillToShip, []);
  });

  it('what was pushed is not pushed again; the rest still to ship is named', () => {
    const plan = planShipments({ pushed: [pushed('11')], acknowledged: [] }, shipping([fulfilment('11', true, [[1, 'A', 1]])]));
    assert.deepEqual(plan.toPush, []);
    assert.equal(plan.fullyShipped, false);
    assert.deepEqual(plan.stillToShip, ['1 × A', '1 × B']);
  });

  it('a pushed fulfilment deleted or un-shipped is reverted until acknowledged', () => {
    const plan = planShipments(
      { pushed: [pushed('11'), pushed('12'), pushed('13')], acknowledged: ['13'] },
      shipping([fulfilment('12', false, [[1, 'A', 2]])]),
    );
    assert.deepEqual(
      plan.reverted.map((r) => [r.fulfilment.id, r.how, r.shipStatus]),
      [
        ['11', 'deleted', undefined],
        ['12', 'unshipped', 'B'],
      ],
    );
    assert.match(
      describeReverted(plan.reverted, 'SO1000'),
      /Fulfilment IF11 \(tracking T\) of sales order SO1000 was pushed to WooCommerce on 2026-12-05 and was deleted in NetSuite\./,
    );
  });

  it('completion follows the policy, and never from cancelled or refunded', () => {
    assert.equal(completesOrder('whenFullyShipped', { fullyShipped: true }, 'processing', 1), true);
    assert.equal(completesOrder('whenFullyShipped', { fullyShipped: false }, 'processing', 1), false);
    assert.equal(completesOrder('onFirstShipment', { fullyShipped: false }, 'on-hold', 1), true);
    assert.equal(completesOrder('onFirstShipment', { fullyShipped: false }, 'processing', 0), false);
    assert.equal(completesOrder('never', { fullyShipped: true }, 'processing', 1), false);
    assert.equal(completesOrder('whenFullyShipped', { fullyShipped: true }, 'cancelled', 1), false);
  });
});

describe('carriers and notes', () => {
  const carriers = { 'ups ground': { provider: 'UPS', trackingUrl: 'https://www.ups.com/track?tracknum={number}' }, DHL: { provider: 'DHL' } };

  it('the package description wins over the ship method; keys match case-insensitively; the number is URL-encoded', () => {
    assert.deepEqual(trackingOf({ shipMethod: 'UPS Ground' }, { trackingNumber: '1Z 9' }, carriers), {
      number: '1Z 9',
      provider: 'UPS',
      mapped: true,
      url: 'https://www.ups.com/track?tracknum=1Z%209',
    });
    assert.deepEqual(trackingOf({ shipMethod: 'UPS Ground' }, { trackingNumber: 'J1', description: 'dhl' }, carriers), {
      number: 'J1',
      provider: 'DHL',
      mapped: true,
    });
    assert.deepEqual(trackingOf({ shipMethod: 'Pigeon Post' }, { trackingNumber: 'P1' }, carriers), { number: 'P1', provider: 'Pigeon Post', mapped: false });
  });

  it('the note says what shipped, each number with its link, and what is still to ship; it carries its marker', () => {
    const f = fulfilment('11', true, [[1, 'A', 2]], ['1Z1']);
    const text = shipmentNote(f, [trackingOf(f, f.packages[0]!, carriers)], ['1 × B']);
    assert.equal(text, 'Your order has shipped (shipment IF11) on 2026-12-06: 2 × A.\nUPS 1Z1 — https://www.ups.com/track?tracknum=1Z1\nStill to ship: 1 × B.');
  });

  it('the meta round-trips, and an unreadable value is an empty record', () => {
    const record = { pushed: [pushed('11')], acknowledged: ['9'] };
    assert.deepEqual(parseFulfilmentRecord(formatFulfilmentRecord(record)), record);
    assert.deepEqual(parseFulfilmentRecord('not json'), { pushed: [], acknowledged: [] });
  });
});
