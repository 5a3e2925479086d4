/**
 * The NetSuite simulator's sales-order lifecycle over real HTTP: line progress (quantityFulfilled / quantityBilled),
 * the computed status, line edits and closing, record transforms (fulfilment, invoice, cash sale, credit memo, cash
 * refund) and the warehouse's control buttons, and what SuiteQL sees of it all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateCatalog } from '../../simulators/seed';
import { startNetSuiteSimulator, type NetSuiteSimulator } from '../../simulators/netsuite';
import { getAccessToken } from '../../simulators/netsuite/testing';

type Json = Record<string, unknown>;
type Detail = { detail: string; 'o:errorCode': string; 'o:errorPath'?: string };
type Line = {
  line: number;
  item: { id: string };
  quantity: number;
  rate: number;
  amount: number;
  isClosed: boolean;
  quantityFulfilled: number;
  quantityBilled: number;
  quantityCommitted: number;
  orderLine?: number;
  description?: string;
};
type Order = Json & { orderStatus: { id: string; refName: string }; status: { id: string }; total: number; lastModifiedDate: string; item: { items: Line[] } };
type Document = Json & {
  tranId: string;
  total: number;
  status: { id: string; refName: string };
  createdFrom: { id: string; refName: string };
  item: { items: Line[] };
  shippingCost?: number;
};
type ControlError = { error: string; issues: string[] };

describe('NetSuite simulator: the sales-order lifecycle', () => {
  let sim: NetSuiteSimulator;
  let token: string;
  let customerId: string;
  let itemA: string;
  let itemB: string;
  let feeItem: string;
  let shippingItem: string;

  before(async () => {
    sim = await startNetSuiteSimulator({ catalog: generateCatalog({ seed: 11, products: 6, customers: 4 }) });
    token = await getAccessToken(sim);
    const customers = await suiteql('SELECT id FROM customer ORDER BY id');
    customerId = String(customers[0]?.id);
    const items = await suiteql("SELECT id FROM item WHERE itemtype = 'InvtPart' ORDER BY id");
    itemA = String(items[0]?.id);
    itemB = String(items[1]?.id);
    for (const item of [itemA, itemB]) sim.control.setItemQuantities(item, { location: '1', onHand: 100, committed: 0 });
    feeItem = String(((await (await call('GET', '/otherChargeItem/eid:woo-fee')).json()) as Json).id);
    shippingItem = String(((await (await call('GET', '/otherChargeItem/eid:woo-shipping')).json()) as Json).id);
  });
  after(async () => sim.close());

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${sim.url}/services/rest/record/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  async function suiteql(q: string): Promise<Json[]> {
    const response = await fetch(`${sim.url}/services/rest/query/v1/suiteql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'transient' },
      body: JSON.stringify({ q }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as { items: Json[] }).items;
  }
  const control = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    fetch(`${sim.controlUrl}/control${path}`, {
      method,
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
  async function controlJson<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await control(method, path, body);
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as T;
  }
  async function controlRefusal(path: string, body: unknown): Promise<ControlError> {
    const response = await control('POST', path, body);
    assert.equal(response.status, 400, await response.clone().text());
    return (await response.json()) as ControlError;
  }
  async function errorOf(response: Response, status = 400): Promise<Detail> {
    assert.equal(response.status, status, await response.clone().text());
    assert.match(String(response.headers.get('content-type')), /^application\/vnd\.oracle\.resource\+json; type=error/);
    return ((await response.json()) as { 'o:errorDetails': Detail[] })['o:errorDetails'][0] as Detail;
  }
  const idOf = (response: Response): string => String(response.headers.get('location')).split('/').pop() as string;
  async function createOrder(body: Json): Promise<string> {
    const response = await call('POST', '/salesOrder', { entity: { id: customerId }, ...body });
    assert.equal(response.status, 204, await response.clone().text());
    return idOf(response);
  }
  const readOrder = async (id: string): Promise<Order> => (await (await call('GET', `/salesOrder/${id}?expandSubResources=true`)).json()) as Order;
  const readDocument = async (type: string, id: string): Promise<Document> =>
    (await (await call('GET', `/${type}/${id}?expandSubResources=true`)).json()) as Document;
  const statusOf = async (id: string): Promise<string> => (await readOrder(id)).orderStatus.id;
  const transform = (source: string, id: string, target: string, body?: unknown) => call('POST', `/${source}/${id}/!transform/${target}`, body);
  const onHand = async (item: string): Promise<{ onHand: number; committed: number }> => {
    const rows = await suiteql(`SELECT quantityonhand, quantitycommitted FROM inventoryitemlocations WHERE item = ${item} AND location = 1`);
    return { onHand: Number(rows[0]?.quantityonhand), committed: Number(rows[0]?.quantitycommitted) };
  };

  /** Two inventory lines (3 × 10, 2 × 7.5), a fee line (4) and shipping 5: total 54. */
  const standardOrder = (extra: Json = {}): Json => ({
    shippingCost: 5,
    item: {
      items: [
        { item: { id: itemA }, quantity: 3, rate: 10 },
        { item: { id: itemB }, quantity: 2, rate: 7.5 },
        { item: { id: feeItem }, quantity: 1, rate: 4, description: 'Gift wrap' },
      ],
    },
    ...extra,
  });

  let shippedOrder: string;
  let invoiceId: string;
  let cashSaleId: string;

  test('sales-order lines carry quantityFulfilled and quantityBilled (0), in REST, the item sublist and SuiteQL', async () => {
    const id = await createOrder(standardOrder());
    const order = await readOrder(id);
    assert.deepEqual(order.orderStatus, { id: 'B', refName: 'Pending Fulfillment' });
    assert.equal(order.total, 54);
    for (const line of order.item.items) {
      assert.equal(line.quantityFulfilled, 0);
      assert.equal(line.quantityBilled, 0);
      assert.equal(line.isClosed, false);
    }
    const sublist = (await (await call('GET', `/salesOrder/${id}/item`)).json()) as { items: Line[] };
    assert.deepEqual(
      sublist.items.map((l) => [l.line, l.quantityFulfilled, l.quantityBilled]),
      [
        [1, 0, 0],
        [2, 0, 0],
        [3, 0, 0],
      ],
    );
    const rows = await suiteql(
      `SELECT linesequencenumber, quantityshiprecv, quantitybilled, createdfrom FROM transactionline WHERE transaction = ${id} ORDER BY linesequencenumber`,
    );
    assert.deepEqual(
      rows.map((r) => [r.linesequencenumber, r.quantityshiprecv, r.quantitybilled, r.createdfrom]),
      [
        ['1', '0', '0', undefined],
        ['2', '0', '0', undefined],
        ['3', '0', '0', undefined],
      ],
    );
  });

  test('the warehouse buttons take an order B → E → D → F → G, moving stock and progress', async () => {
    shippedOrder = await createOrder(standardOrder({ externalId: 'woo-life-1' }));
    const before = await onHand(itemA);
    assert.equal(await statusOf(shippedOrder), 'B');

    const first = await controlJson<Json>('POST', `/sales-orders/${shippedOrder}/fulfil`, {
      lines: [{ line: 1, quantity: 2 }],
      packages: [{ trackingNumber: '1Z999', carrier: 'UPS' }],
    });
    assert.equal(first.type, 'itemFulfillment');
    assert.match(String(first.tranId), /^IF\d+$/);
    assert.deepEqual(Object.keys(first).sort(), ['id', 'tranId', 'type']);
    let order = await readOrder(shippedOrder);
    assert.deepEqual(order.orderStatus, { id: 'E', refName: 'Pending Billing/Partially Fulfilled' });
    assert.deepEqual(order.status, { id: 'pendingBillingPartFulfilled', refName: 'Pending Billing/Partially Fulfilled' });
    assert.deepEqual(
      order.item.items.map((l) => l.quantityFulfilled),
      [2, 0, 0],
    );
    assert.deepEqual(await onHand(itemA), { onHand: before.onHand - 2, committed: before.committed - 2 });

    const fulfilment = await readDocument('itemFulfillment', String(first.id));
    assert.deepEqual(fulfilment.shipStatus, { id: 'C', refName: 'Shipped' });
    assert.deepEqual(fulfilment.status, { id: 'shipped', refName: 'Shipped' });
    assert.equal(fulfilment.createdFrom.id, shippedOrder);
    assert.match(fulfilment.createdFrom.refName, /^Sales Order #SO\d+$/);
    assert.deepEqual((fulfilment.entity as Json).id, customerId);
    assert.deepEqual(
      fulfilment.item.items.map((l) => [l.line, l.item.id, l.quantity, l.orderLine]),
      [[1, itemA, 2, 1]],
    );
    assert.deepEqual(
      (fulfilment.package as { items: Json[] }).items.map((p) => [p.packageTrackingNumber, p.packageDescr]),
      [['1Z999', 'UPS']],
    );

    const invoice = await controlJson<Json>('POST', `/sales-orders/${shippedOrder}/bill`, { as: 'invoice' });
    assert.equal(invoice.type, 'invoice');
    assert.match(String(invoice.tranId), /^INV\d+$/);
    assert.equal(invoice.total, 2 * 10 + 4 + 5, 'the first bill: what was fulfilled, the fee line, and the shipping cost');
    invoiceId = String(invoice.id);
    order = await readOrder(shippedOrder);
    assert.equal(order.orderStatus.id, 'D');
    assert.deepEqual(
      order.item.items.map((l) => l.quantityBilled),
      [2, 0, 1],
    );

    await controlJson('POST', `/sales-orders/${shippedOrder}/fulfil`, {});
    assert.equal(await statusOf(shippedOrder), 'F');
    const cashSale = await controlJson<Json>('POST', `/sales-orders/${shippedOrder}/bill`, { as: 'cashSale' });
    assert.equal(cashSale.total, 10 + 2 * 7.5, 'a later bill carries no shipping cost');
    cashSaleId = String(cashSale.id);
    order = await readOrder(shippedOrder);
    assert.deepEqual(order.orderStatus, { id: 'G', refName: 'Billed' });
    assert.deepEqual(
      order.item.items.map((l) => [l.quantityFulfilled, l.quantityBilled]),
      [
        [3, 3],
        [2, 2],
        [0, 1],
      ],
    );

    const documents = await controlJson<Json[]>('GET', `/sales-orders/eid:woo-life-1/documents`);
    assert.deepEqual(
      documents.map((d) => [d.type, d.createdFrom, d.status]),
      [
        ['itemFulfillment', shippedOrder, 'C'],
        ['invoice', shippedOrder, 'A'],
        ['itemFulfillment', shippedOrder, 'C'],
        ['cashSale', shippedOrder, 'C'],
      ],
    );
  });

  test('nothing left to fulfil or bill, and a Pending Approval order, are refused with USER_ERROR', async () => {
    const nothing = await controlRefusal(`/sales-orders/${shippedOrder}/fulfil`, {});
    assert.match(nothing.error, /USER_ERROR: You cannot fulfill this order/);
    const unbillable = await controlRefusal(`/sales-orders/${shippedOrder}/bill`, { as: 'invoice' });
    assert.match(unbillable.error, /You cannot bill this order: there are no fulfilled, unbilled lines\./);

    const fresh = await createOrder(standardOrder());
    const notFulfilled = await errorOf(await transform('salesOrder', fresh, 'invoice'));
    assert.equal(notFulfilled['o:errorCode'], 'USER_ERROR');
    assert.equal(notFulfilled.detail, 'You cannot bill this order: there are no fulfilled, unbilled lines.');

    const pending = await createOrder(standardOrder({ orderStatus: { id: 'A' } }));
    assert.equal(await statusOf(pending), 'A');
    const refused = await errorOf(await transform('salesOrder', pending, 'invoice', {}));
    assert.equal(refused['o:errorCode'], 'USER_ERROR');
    assert.match(refused.detail, /Pending Approval/);
    assert.equal((await call('PATCH', `/salesOrder/${pending}`, { orderStatus: { id: 'B' } })).status, 204);
    assert.equal(await statusOf(pending), 'B', 'approved: computed again');

    const tooMuch = await errorOf(await transform('salesOrder', fresh, 'itemFulfillment', { item: { items: [{ orderLine: 2, quantity: 3 }] } }));
    assert.equal(tooMuch['o:errorPath'], 'item.items[0].quantity');
    assert.match(tooMuch.detail, /unfulfilled quantity of line 2 \(2\)/);
    const stockless = await createOrder({ item: { items: [{ item: { id: itemA }, quantity: 1000, rate: 1 }] } });
    assert.match((await errorOf(await transform('salesOrder', stockless, 'itemFulfillment'))).detail, /Insufficient stock/);
    assert.deepEqual(await controlJson('GET', `/sales-orders/${fresh}/documents`), []);
  });

  test('with allowNegativeInventory a fulfilment may ship more than is on hand', async () => {
    const lenient = await startNetSuiteSimulator({ catalog: generateCatalog({ seed: 11, products: 6, customers: 4 }), allowNegativeInventory: true });
    try {
      const customer = String((lenient.control.listRecords('customer')[0] as Json).id);
      lenient.control.setItemQuantities(itemA, { location: '1', onHand: 1, committed: 0 });
      const { id } = lenient.control.createRecord('salesOrder', { entity: { id: customer }, item: { items: [{ item: { id: itemA }, quantity: 3, rate: 1 }] } });
      lenient.control.fulfilSalesOrder(id);
      const location = (lenient.control.getRecord('inventoryItem', itemA) as { locations: { items: Json[] } }).locations.items.find(
        (l) => (l.location as Json).id === '1',
      );
      assert.equal(location?.quantityOnHand, -2);
      assert.equal(location?.quantityAvailable, 0);
    } finally {
      await lenient.close();
    }
  });

  test('closing lines releases their commitment; all closed with nothing fulfilled is H; reopening is B again', async () => {
    const before = await onHand(itemB);
    const id = await createOrder({ item: { items: [{ item: { id: itemB }, quantity: 4, rate: 2 }] } });
    assert.equal((await onHand(itemB)).committed, before.committed + 4);
    const created = (await readOrder(id)).lastModifiedDate;
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal((await call('PATCH', `/salesOrder/${id}`, { item: { items: [{ line: 1, isClosed: true }] } })).status, 204);
    const closed = await readOrder(id);
    assert.deepEqual(closed.orderStatus, { id: 'H', refName: 'Closed' });
    assert.equal(closed.item.items[0]?.isClosed, true);
    assert.equal(closed.item.items[0]?.quantityCommitted, 0);
    assert.notEqual(closed.lastModifiedDate, created);
    assert.equal((await onHand(itemB)).committed, before.committed);
    assert.equal((await suiteql(`SELECT status FROM transaction WHERE id = ${id}`))[0]?.status, 'H');
    assert.equal((await errorOf(await transform('salesOrder', id, 'itemFulfillment')))['o:errorCode'], 'USER_ERROR');
    assert.equal((await call('PATCH', `/salesOrder/${id}?replace=item`, { item: { items: [{ line: 1, isClosed: false }] } })).status, 204);
    assert.equal(await statusOf(id), 'B');
    assert.equal((await onHand(itemB)).committed, before.committed + 4);
  });

  test('closing what was not fulfilled after billing what was: G, then H once every line is closed', async () => {
    const id = await createOrder({
      item: {
        items: [
          { item: { id: itemA }, quantity: 2, rate: 10 },
          { item: { id: itemB }, quantity: 3, rate: 1 },
        ],
      },
    });
    sim.control.fulfilSalesOrder(id, { lines: [{ line: 1 }] });
    assert.equal(await statusOf(id), 'E');
    sim.control.billSalesOrder(id);
    assert.equal(await statusOf(id), 'D');
    assert.equal((await call('PATCH', `/salesOrder/${id}`, { item: { items: [{ line: 2, isClosed: true }] } })).status, 204);
    assert.equal(await statusOf(id), 'G');
    assert.equal((await call('PATCH', `/salesOrder/${id}`, { item: { items: [{ line: 1, isClosed: true }] } })).status, 204);
    assert.equal(await statusOf(id), 'H');
  });

  test('a quantity below what was fulfilled is refused at its path; replace=item keeps fulfilled lines', async () => {
    const id = await createOrder({
      item: {
        items: [
          { item: { id: itemA }, quantity: 3, rate: 10 },
          { item: { id: itemB }, quantity: 3, rate: 5 },
        ],
      },
    });
    sim.control.fulfilSalesOrder(id, { lines: [{ line: 2, quantity: 2 }] });
    const below = await errorOf(
      await call('PATCH', `/salesOrder/${id}`, {
        item: {
          items: [
            { line: 1, quantity: 5 },
            { line: 2, quantity: 1 },
          ],
        },
      }),
    );
    assert.equal(below['o:errorCode'], 'USER_ERROR');
    assert.equal(below['o:errorPath'], 'item.items[1].quantity');
    assert.equal(below.detail, 'You cannot reduce the quantity below the quantity already fulfilled (2).');
    let order = await readOrder(id);
    assert.deepEqual(
      order.item.items.map((l) => l.quantity),
      [3, 3],
      'a refused PATCH changes nothing',
    );

    assert.equal((await call('PATCH', `/salesOrder/${id}`, { item: { items: [{ line: 2, quantity: 4 }] } })).status, 204);
    order = await readOrder(id);
    assert.equal(order.item.items[1]?.amount, 20);
    assert.equal(order.item.items[1]?.quantityCommitted, 2, 'the unfulfilled part is committed');
    assert.equal(order.total, 50);

    const dropped = await errorOf(await call('PATCH', `/salesOrder/${id}?replace=item`, { item: { items: [{ line: 1 }] } }));
    assert.equal(dropped['o:errorCode'], 'USER_ERROR');
    assert.match(dropped.detail, /You cannot remove line 2: 2 has been fulfilled/);
    const changed = await errorOf(await call('PATCH', `/salesOrder/${id}?replace=item`, { item: { items: [{ line: 2, item: { id: itemA } }] } }));
    assert.equal(changed['o:errorPath'], 'item.items[0].item');
    assert.match(changed.detail, /You cannot change the item of line 2/);

    assert.equal(
      (await call('PATCH', `/salesOrder/${id}?replace=item`, { item: { items: [{ line: 2 }, { item: { id: itemA }, quantity: 1, rate: 3 }] } })).status,
      204,
    );
    order = await readOrder(id);
    assert.deepEqual(
      order.item.items.map((l) => [l.line, l.quantity, l.quantityFulfilled]),
      [
        [2, 4, 2],
        [3, 1, 0],
      ],
    );
    assert.equal(order.orderStatus.id, 'E');
  });

  test('invoice → creditMemo with part of a line and a line without source: exact total, one credit per external ID', async () => {
    const body = {
      externalId: 'woo-refund-1',
      memo: 'Refund #1',
      item: {
        items: [
          { orderLine: 1, quantity: 1 },
          { item: { id: shippingItem }, amount: 2.5, description: 'Shipping refund' },
        ],
      },
    };
    const response = await transform('invoice', invoiceId, 'creditMemo', body);
    assert.equal(response.status, 204, await response.clone().text());
    assert.match(String(response.headers.get('location')), new RegExp(`^${sim.url}/services/rest/record/v1/creditMemo/\\d+$`));
    const creditId = idOf(response);
    const credit = await readDocument('creditMemo', creditId);
    assert.equal(credit.total, 12.5);
    assert.match(credit.tranId, /^CM\d+$/);
    assert.equal(credit.createdFrom.id, invoiceId);
    assert.match(credit.createdFrom.refName, /^Invoice #INV\d+$/);
    assert.equal(credit.memo, 'Refund #1');
    assert.equal(credit.externalId, 'woo-refund-1');
    assert.deepEqual(credit.status, { id: 'open', refName: 'Open' });
    assert.deepEqual(
      credit.item.items.map((l) => [l.item.id, l.quantity, l.rate, l.amount, l.orderLine, l.description]),
      [
        [itemA, 1, 10, 10, 1, undefined],
        [shippingItem, 1, 2.5, 2.5, undefined, 'Shipping refund'],
      ],
    );
    assert.equal(((await (await call('GET', '/creditMemo/eid:woo-refund-1')).json()) as Json).id, creditId);

    const again = await errorOf(await transform('invoice', invoiceId, 'creditMemo', body));
    assert.equal(again['o:errorCode'], 'USER_ERROR');
    assert.equal(again['o:errorPath'], 'externalId');
    assert.match(again.detail, /external ID 'woo-refund-1' already exists/);
    const documents = await controlJson<Json[]>('GET', `/sales-orders/${shippedOrder}/documents`);
    assert.deepEqual(
      documents.filter((d) => d.type === 'creditMemo').map((d) => [d.id, d.externalId, d.total, d.createdFrom]),
      [[creditId, 'woo-refund-1', 12.5, invoiceId]],
    );

    const badItem = await errorOf(await transform('invoice', invoiceId, 'creditMemo', { item: { items: [{ item: { id: '999999' }, amount: 1 }] } }));
    assert.equal(badItem['o:errorCode'], 'INVALID_CONTENT');
    assert.equal(badItem['o:errorPath'], 'item.items[0].item');
    const overQuantity = await errorOf(await transform('invoice', invoiceId, 'creditMemo', { item: { items: [{ orderLine: 1, quantity: 2 }] } }));
    assert.match(overQuantity.detail, /uncredited quantity of line 1 \(1\)/);
    const overTotal = await errorOf(await transform('invoice', invoiceId, 'creditMemo', { item: { items: [{ item: { id: feeItem }, amount: 20 }] } }));
    assert.equal(overTotal['o:errorCode'], 'USER_ERROR');
    assert.match(overTotal.detail, /You cannot credit more than the total of Invoice #INV\d+ \(29\.00\): 12\.50 has been credited already/);

    const rest = await transform('invoice', invoiceId, 'creditMemo', { shippingCost: 2.5, item: { items: [{ orderLine: 1 }, { orderLine: 2 }] } });
    assert.equal(rest.status, 204, await rest.clone().text());
    assert.equal((await readDocument('creditMemo', idOf(rest))).total, 16.5, 'the rest of the invoice: 10 + 4 + 2.5 shipping');
    const credits = (await controlJson<Json[]>('GET', `/sales-orders/${shippedOrder}/documents`)).filter((d) => d.type === 'creditMemo');
    assert.equal(
      credits.reduce((sum, d) => sum + Number(d.total), 0),
      29,
    );
    const byList = (await (await call('GET', `/creditMemo?q=${encodeURIComponent(`createdFrom IS "${invoiceId}"`)}`)).json()) as { count: number };
    assert.equal(byList.count, 2);
  });

  test('cashSale → cashRefund without a body refunds everything; nothing is left for a second one', async () => {
    const response = await transform('cashsale', cashSaleId, 'cashrefund');
    assert.equal(response.status, 204, await response.clone().text());
    assert.match(String(response.headers.get('location')), /\/record\/v1\/cashRefund\/\d+$/);
    const refund = await readDocument('cashRefund', idOf(response));
    assert.equal(refund.total, 25);
    assert.equal(refund.createdFrom.id, cashSaleId);
    assert.deepEqual(
      refund.item.items.map((l) => [l.orderLine, l.quantity, l.amount]),
      [
        [1, 1, 10],
        [2, 2, 15],
      ],
    );
    const again = await errorOf(await transform('cashSale', cashSaleId, 'cashRefund', {}));
    assert.equal(again['o:errorCode'], 'USER_ERROR');
    assert.match(again.detail, /nothing left to credit/);
  });

  test('salesOrder → creditMemo is not a transform; documents are created only by transforms', async () => {
    const refused = await errorOf(await transform('salesorder', shippedOrder, 'creditMemo', {}));
    assert.equal(refused['o:errorCode'], 'INVALID_PARAMETER');
    assert.match(refused.detail, /^Transformation from salesOrder to creditMemo is not allowed\./);
    const direct = await errorOf(await call('POST', '/invoice', { entity: { id: customerId } }));
    assert.equal(direct['o:errorCode'], 'INVALID_PARAMETER');
    assert.equal((await errorOf(await transform('salesOrder', '987654', 'invoice'), 404))['o:errorCode'], 'NONEXISTENT_ID');
    const list = (await (await call('GET', '/invoice')).json()) as { count: number; items: { id: string }[] };
    assert.ok(list.items.some((i) => i.id === invoiceId));
    const invoices = await suiteql("SELECT COUNT(*) AS n FROM transaction WHERE type = 'CustInvc'");
    assert.equal(String(list.count), invoices[0]?.n);
  });

  test('a REST fulfilment by external ID takes lines, ship status and packages; bills of odd rates add up exactly', async () => {
    const id = await createOrder({ externalId: 'woo-life-odd', item: { items: [{ item: { id: itemA }, quantity: 3, rate: 3.3333, amount: 10 }] } });
    const response = await transform('salesOrder', 'eid:woo-life-odd', 'itemFulfillment', {
      externalId: 'woo-life-odd-f1',
      shipStatus: { id: 'B' },
      package: { items: [{ packageTrackingNumber: 'TRACK-1' }, { packageTrackingNumber: 'TRACK-2', packageDescr: 'DHL' }] },
      item: { items: [{ orderLine: 1, quantity: 1 }] },
    });
    assert.equal(response.status, 204, await response.clone().text());
    const fulfilment = await readDocument('itemFulfillment', idOf(response));
    assert.deepEqual(fulfilment.shipStatus, { id: 'B', refName: 'Packed' });
    assert.equal(fulfilment.externalId, 'woo-life-odd-f1');
    assert.equal((await call('PATCH', `/itemFulfillment/${idOf(response)}`, { shipStatus: { id: 'C' } })).status, 204);
    assert.deepEqual((await readDocument('itemFulfillment', idOf(response))).status, { id: 'shipped', refName: 'Shipped' });
    const packages = await suiteql(`SELECT packagetrackingnumber FROM itemfulfillmentpackage WHERE itemfulfillment = ${idOf(response)} ORDER BY id`);
    assert.deepEqual(
      packages.map((p) => p.packagetrackingnumber),
      ['TRACK-1', 'TRACK-2'],
    );

    const first = sim.control.billSalesOrder(id);
    assert.equal(first.total, 3.33);
    sim.control.fulfilSalesOrder(id);
    const second = sim.control.billSalesOrder(id, { as: 'cashSale' });
    assert.equal(second.total, 6.67, 'the bill completing the line takes what is left of its amount');
    assert.equal(await statusOf(id), 'G');
  });

  test('SuiteQL sees every document: type, status, totals, createdfrom, billed and fulfilled quantities, line links', async () => {
    const transactions = await suiteql(
      `SELECT t.type, t.status, t.foreigntotal, t.entity FROM transaction t WHERE t.id IN (SELECT DISTINCT tl.transaction FROM transactionline tl WHERE tl.createdfrom = ${shippedOrder}) ORDER BY t.id`,
    );
    assert.deepEqual(
      transactions.map((t) => [t.type, t.status, t.foreigntotal]),
      [
        ['ItemShip', 'C', '20'],
        ['CustInvc', 'A', '29'],
        ['ItemShip', 'C', '25'],
        ['CashSale', 'C', '25'],
      ],
    );
    assert.ok(transactions.every((t) => t.entity === customerId));
    const credits = await suiteql(
      `SELECT t.type, tl.createdfrom, tl.item, tl.quantity, tl.foreignamount FROM transactionline tl JOIN transaction t ON t.id = tl.transaction WHERE t.type IN ('CustCred', 'CashRfnd') ORDER BY t.id, tl.linesequencenumber`,
    );
    assert.deepEqual(
      credits.map((c) => [c.type, c.createdfrom]),
      [
        ['CustCred', invoiceId],
        ['CustCred', invoiceId],
        ['CustCred', invoiceId],
        ['CustCred', invoiceId],
        ['CashRfnd', cashSaleId],
        ['CashRfnd', cashSaleId],
      ],
    );
    const order = await suiteql(`SELECT quantityshiprecv, quantitybilled FROM transactionline WHERE transaction = ${shippedOrder} ORDER BY linesequencenumber`);
    assert.deepEqual(
      order.map((l) => [l.quantityshiprecv, l.quantitybilled]),
      [
        ['3', '3'],
        ['2', '2'],
        ['0', '1'],
      ],
    );
    const status = await suiteql(`SELECT status FROM transaction WHERE id = ${shippedOrder} AND type = 'SalesOrd'`);
    assert.equal(status[0]?.status, 'G');
    const links = await suiteql(
      `SELECT previousline, nexttype FROM previoustransactionlinelink WHERE previousdoc = ${shippedOrder} AND nexttype = 'CustInvc' ORDER BY previousline`,
    );
    assert.deepEqual(
      links.map((l) => [l.previousline, l.nexttype]),
      [
        ['1', 'CustInvc'],
        ['3', 'CustInvc'],
      ],
    );
  });

  test('deleting a document with credits is refused; deleting an unbilled fulfilment gives its stock back', async () => {
    assert.equal((await errorOf(await call('DELETE', `/invoice/${invoiceId}`)))['o:errorCode'], 'USER_ERROR');
    assert.equal((await errorOf(await call('DELETE', `/salesOrder/${shippedOrder}`)))['o:errorCode'], 'USER_ERROR');
    const id = await createOrder({ item: { items: [{ item: { id: itemB }, quantity: 2, rate: 1 }] } });
    const before = await onHand(itemB);
    const fulfilment = sim.control.fulfilSalesOrder(id);
    assert.equal((await onHand(itemB)).onHand, before.onHand - 2);
    assert.equal((await call('DELETE', `/itemFulfillment/${fulfilment.id}`)).status, 204);
    assert.deepEqual(await onHand(itemB), before);
    assert.equal(await statusOf(id), 'B');
    assert.deepEqual(sim.control.salesOrderDocuments(id), []);
  });

  test('fulfilments for the shipment sync: the ship method is copied, the warehouse un-ships or deletes one, SuiteQL sees it (TO_TIMESTAMP, deletedrecord)', async () => {
    const shipItems = await suiteql('SELECT id, itemid FROM shipitem ORDER BY id');
    const shipMethod = String(shipItems[0]?.id);
    const id = await createOrder({ shipMethod: { id: shipMethod }, item: { items: [{ item: { id: itemA }, quantity: 1 }] } });
    const before = new Date(Date.now() - 1000).toISOString().slice(0, 19).replace('T', ' ');
    const shipment = sim.control.fulfilSalesOrder(id, { packages: [{ trackingNumber: '1ZSIM1', carrier: 'UPS' }] });
    const rows = await suiteql(
      `SELECT f.id, f.shipstatus, s.itemid AS shipmethod, p.packagetrackingnumber, p.packagedescr FROM transaction f LEFT JOIN shipitem s ON s.id = f.shipmethod ` +
        `JOIN itemfulfillmentpackage p ON p.itemfulfillment = f.id WHERE f.type = 'ItemShip' AND f.lastmodifieddate > TO_TIMESTAMP('${before}', 'YYYY-MM-DD HH24:MI:SS') AND f.id = ${shipment.id}`,
    );
    assert.deepEqual(
      rows.map((r) => [r.shipstatus, r.shipmethod, r.packagetrackingnumber, r.packagedescr]),
      [['C', shipItems[0]?.itemid, '1ZSIM1', 'UPS']],
    );

    assert.equal(sim.control.setFulfilmentShipStatus(shipment.id, 'B').status, 'B');
    assert.deepEqual(
      (await suiteql(`SELECT shipstatus FROM transaction WHERE id = ${shipment.id}`)).map((r) => r.shipstatus),
      ['B'],
    );
    const unknown = await fetch(`${sim.controlUrl}/control/fulfilments/999999`, { method: 'DELETE' });
    assert.equal(unknown.status, 404);

    const deleted = await fetch(`${sim.controlUrl}/control/fulfilments/${shipment.id}`, { method: 'DELETE' });
    assert.equal(deleted.status, 200, await deleted.clone().text());
    assert.deepEqual(await suiteql(`SELECT id FROM transaction WHERE id = ${shipment.id}`), []);
    // (Other tests of this file delete fulfilments too: this one is picked by its ID.)
    const log = await suiteql(
      `SELECT recordid, type, name FROM deletedrecord WHERE type = 'itemfulfillment' AND deleteddate > TO_TIMESTAMP('${before}', 'YYYY-MM-DD HH24:MI:SS')`,
    );
    assert.deepEqual(
      log.filter((r) => r.recordid === shipment.id).map((r) => [r.recordid, r.name]),
      [[shipment.id, shipment.tranId]],
    );
    const later = new Date(Date.now() + 2000).toISOString().slice(0, 19).replace('T', ' ');
    assert.deepEqual(
      await suiteql(`SELECT recordid FROM deletedrecord WHERE deleteddate > TO_TIMESTAMP('${later}', 'YYYY-MM-DD HH24:MI:SS')`),
      [],
      'TO_TIMESTAMP compares as an instant',
    );
    assert.equal(
      ((await (await call('GET', `/salesOrder/${id}?expandSubResources=true`)).json()) as Order).item.items[0]?.quantityFulfilled,
      0,
      'un-shipped on the sales order',
    );
  });
});
