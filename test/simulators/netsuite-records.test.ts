import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateCatalog } from '../../simulators/seed';
import { startNetSuiteSimulator, seedCustomerExternalId, type NetSuiteSimulator } from '../../simulators/netsuite';
import { getAccessToken } from '../../simulators/netsuite/testing';

type Json = Record<string, unknown>;
type ErrorBody = { status: number; 'o:errorDetails': { detail: string; 'o:errorCode': string; 'o:errorPath'?: string }[] };

describe('NetSuite simulator: record API', () => {
  let sim: NetSuiteSimulator;
  let token: string;
  let customerId: string;
  let itemId: string;
  const catalog = generateCatalog({ seed: 7, products: 10, customers: 6 });

  before(async () => {
    sim = await startNetSuiteSimulator({ catalog });
    token = await getAccessToken(sim);
  });
  after(async () => sim.close());

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${sim.url}/services/rest/record/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const suiteql = async (q: string): Promise<Json[]> => {
    const response = await fetch(`${sim.url}/services/rest/query/v1/suiteql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'transient' },
      body: JSON.stringify({ q }),
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { items: Json[] }).items;
  };
  const errorOf = async (response: Response): Promise<ErrorBody['o:errorDetails'][number]> => {
    const body = (await response.json()) as ErrorBody;
    assert.match(String(response.headers.get('content-type')), /^application\/vnd\.oracle\.resource\+json; type=error/);
    return body['o:errorDetails'][0] as ErrorBody['o:errorDetails'][number];
  };
  const order = (extra: Json = {}): Json => ({ entity: { id: customerId }, item: { items: [{ item: { id: itemId }, quantity: 1, rate: 10 }] }, ...extra });

  test('seeded customers are found by e-mail and external ID with q filters', async () => {
    const seeded = catalog.customers.find((c) => c.inNetSuite);
    assert.ok(seeded);
    const byEmail = await call('GET', `/customer?q=${encodeURIComponent(`email IS "${seeded.email.toUpperCase()}"`)}`);
    const list = (await byEmail.json()) as { count: number; items: { id: string; links: unknown[] }[]; totalResults: number; hasMore: boolean };
    assert.equal(list.count, 1);
    assert.equal(list.hasMore, false);
    customerId = list.items[0]?.id as string;
    const byEid = (await (await call('GET', `/customer?q=${encodeURIComponent(`externalId IS "${seedCustomerExternalId(seeded.email)}"`)}`)).json()) as {
      items: { id: string }[];
    };
    assert.equal(byEid.items[0]?.id, customerId);
    const starts = (await (
      await call('GET', `/customer?q=${encodeURIComponent('externalId START_WITH "woo-customer-" AND email CONTAIN "@example.com"')}`)
    ).json()) as { count: number };
    assert.equal(starts.count, catalog.customers.filter((c) => c.inNetSuite).length);
    const items = await suiteql("SELECT id FROM item WHERE itemid = 'SKU-00001'");
    itemId = String(items[0]?.id);
  });

  test('creating a customer answers 204 with a Location holding the numeric internal ID', async () => {
    const response = await call('POST', '/customer', {
      firstName: 'Zoë',
      lastName: 'Ångström',
      email: 'zoe@example.com',
      externalId: 'woo-customer-42',
      subsidiary: { id: '1' },
      custentity_woo_customer_id: '42',
    });
    assert.equal(response.status, 204);
    const location = String(response.headers.get('location'));
    assert.match(location, new RegExp(`^${sim.url}/services/rest/record/v1/customer/\\d+$`));
    const record = (await (await call('GET', `/customer/${location.split('/').pop()}`)).json()) as Json;
    assert.equal(record.firstName, 'Zoë');
    assert.deepEqual(record.subsidiary, { id: '1', refName: 'Parent Company' });
    assert.equal(record.custentity_woo_customer_id, '42');
  });

  test('a sales order is created (path salesorder also works) and reads back with references and sublist links', async () => {
    const response = await call(
      'POST',
      '/salesorder',
      order({ externalId: 'woo-order-1', shippingCost: 5, shipMethod: { id: 'eid:woo-ship-flat_rate' }, custbody_woo_order_key: 'wc_order_abc' }),
    );
    assert.equal(response.status, 204, await response.clone().text());
    const location = String(response.headers.get('location'));
    assert.match(location, /\/services\/rest\/record\/v1\/salesOrder\/\d+$/);
    const record = (await (await call('GET', `/salesOrder/${location.split('/').pop()}`)).json()) as Json;
    assert.equal((record.entity as Json).id, customerId);
    assert.equal(typeof (record.entity as Json).refName, 'string');
    assert.deepEqual(Object.keys(record.item as Json), ['links']);
    assert.equal(record.total, 15);
    assert.equal(record.custbody_woo_order_key, 'wc_order_abc');
    assert.match(String(record.tranId), /^SO\d+$/);
    assert.deepEqual(record.orderStatus, { id: 'B', refName: 'Pending Fulfillment' });
    const expanded = (await (await call('GET', '/salesOrder/eid:woo-order-1?expandSubResources=true')).json()) as { item: { items: Json[] } };
    assert.equal(expanded.item.items.length, 1);
    assert.equal((expanded.item.items[0]?.item as Json).id, itemId);
  });

  test('PUT eid: upsert creates the record and then updates it', async () => {
    const created = await call('PUT', '/salesOrder/eid:woo-order-77', order({ memo: 'first' }));
    assert.equal(created.status, 204);
    assert.match(String(created.headers.get('location')), /\/salesOrder\/\d+$/);
    const updated = await call('PUT', '/salesOrder/eid:woo-order-77', { memo: 'second' });
    assert.equal(updated.status, 204);
    assert.equal(updated.headers.get('location'), null);
    const record = (await (await call('GET', '/salesOrder/eid:woo-order-77')).json()) as Json;
    assert.equal(record.memo, 'second');
    assert.equal(record.externalId, 'woo-order-77');
    const rows = await suiteql("SELECT COUNT(*) AS n FROM transaction WHERE externalid = 'woo-order-77'");
    assert.equal(rows[0]?.n, '1');
  });

  test('a duplicate externalId on create is a 400 with the standard error body', async () => {
    const response = await call('POST', '/salesOrder', order({ externalId: 'woo-order-1' }));
    assert.equal(response.status, 400);
    const detail = await errorOf(response);
    assert.equal(detail['o:errorCode'], 'USER_ERROR');
    assert.match(detail.detail, /external ID 'woo-order-1' already exists/);
  });

  test('an external ID with characters other than letters, digits, _ and - is refused', async () => {
    const detail = await errorOf(await call('POST', '/salesOrder', order({ externalId: 'woo order#1' })));
    assert.equal(detail['o:errorCode'], 'INVALID_CONTENT');
  });

  test('an unknown item on the second line is a 400 INVALID_CONTENT at item.items[1].item', async () => {
    const response = await call('POST', '/salesOrder', {
      entity: { id: customerId },
      item: {
        items: [
          { item: { id: itemId }, quantity: 1 },
          { item: { id: '999999' }, quantity: 1 },
        ],
      },
    });
    assert.equal(response.status, 400);
    const detail = await errorOf(response);
    assert.equal(detail['o:errorCode'], 'INVALID_CONTENT');
    assert.equal(detail['o:errorPath'], 'item.items[1].item');
  });

  test('an unknown customer is refused at entity, and a missing one asks for the Customer', async () => {
    const unknown = await errorOf(await call('POST', '/salesOrder', order({ entity: { id: '424242' } })));
    assert.equal(unknown['o:errorPath'], 'entity');
    const missing = await errorOf(await call('POST', '/salesOrder', { item: { items: [{ item: { id: itemId }, quantity: 1 }] } }));
    assert.equal(missing['o:errorCode'], 'USER_ERROR');
    assert.equal(missing.detail, 'Please enter value(s) for: Customer');
    assert.equal(missing['o:errorPath'], 'entity');
  });

  test('unknown location and shipMethod references are refused with their paths', async () => {
    assert.equal((await errorOf(await call('POST', '/salesOrder', order({ location: { id: '77' } }))))['o:errorPath'], 'location');
    assert.equal((await errorOf(await call('POST', '/salesOrder', order({ shipMethod: { id: '88888' } }))))['o:errorPath'], 'shipMethod');
  });

  test('a legacy line taxCode is refused: SuiteTax is required', async () => {
    const detail = await errorOf(
      await call('POST', '/salesOrder', { entity: { id: customerId }, item: { items: [{ item: { id: itemId }, quantity: 1, taxCode: { id: '5' } }] } }),
    );
    assert.match(detail.detail, /SuiteTax/);
    assert.equal(detail['o:errorPath'], 'item.items[0].taxCode');
  });

  test('an unknown property fails under PropertyNameValidation Error and is dropped under Warning', async () => {
    const strict = await call('POST', '/salesOrder', order({ custbody_nope: 'x' }), { 'X-NetSuite-PropertyNameValidation': 'Error' });
    assert.equal(strict.status, 400);
    const detail = await errorOf(strict);
    assert.equal(detail['o:errorCode'], 'NONEXISTENT_FIELD');
    assert.equal(detail['o:errorPath'], 'custbody_nope');
    const lenient = await call('POST', '/salesOrder', order({ custbody_nope: 'x' }), { 'X-NetSuite-PropertyNameValidation': 'Warning' });
    assert.equal(lenient.status, 204);
    const byDefault = await call('POST', '/salesOrder', order({ custbody_nope: 'x' }));
    assert.equal(byDefault.status, 204);
  });

  test('PATCH changes fields only, and ?replace=item replaces the sublist', async () => {
    const created = await call('POST', '/salesOrder', order({ externalId: 'woo-order-patch' }));
    const id = String(created.headers.get('location')).split('/').pop();
    assert.equal((await call('PATCH', `/salesOrder/${id}`, { memo: 'patched' })).status, 204);
    assert.equal((await call('PATCH', `/salesOrder/${id}`, { item: { items: [{ item: { id: itemId }, quantity: 3, rate: 2 }] } })).status, 204);
    let record = (await (await call('GET', `/salesOrder/${id}?expandSubResources=true`)).json()) as { memo: string; item: { items: Json[] }; total: number };
    assert.equal(record.memo, 'patched');
    assert.equal(record.item.items.length, 2);
    assert.equal((await call('PATCH', `/salesOrder/${id}?replace=item`, { item: { items: [{ item: { id: itemId }, quantity: 3, rate: 2 }] } })).status, 204);
    record = (await (await call('GET', `/salesOrder/${id}?expandSubResources=true`)).json()) as { memo: string; item: { items: Json[] }; total: number };
    assert.equal(record.item.items.length, 1);
    assert.equal(record.total, 6);
    assert.equal((await call('DELETE', `/salesOrder/${id}`)).status, 204);
    assert.equal((await call('GET', `/salesOrder/${id}`)).status, 404);
  });

  test('creating a sales order commits inventory, visible through SuiteQL', async () => {
    sim.control.setItemQuantities(itemId, { location: '2', onHand: 10, committed: 4 });
    const before = await suiteql(`SELECT quantityavailable, quantitycommitted FROM inventoryitemlocations WHERE item = ${itemId} AND location = 2`);
    assert.deepEqual(
      before.map((r) => [r.quantityavailable, r.quantitycommitted]),
      [['6', '4']],
    );
    const response = await call('POST', '/salesOrder', {
      entity: { id: customerId },
      location: { id: '2' },
      item: { items: [{ item: { id: itemId }, quantity: 8, rate: 1 }] },
    });
    assert.equal(response.status, 204);
    const afterRows = await suiteql(
      `SELECT quantityavailable, quantitycommitted, quantitybackordered FROM inventoryitemlocations WHERE item = ${itemId} AND location = 2`,
    );
    assert.deepEqual(
      afterRows.map((r) => [r.quantityavailable, r.quantitycommitted, r.quantitybackordered]),
      [['0', '10', '2']],
    );
    const agg = await suiteql(`SELECT quantityavailable FROM aggregateitemlocation WHERE item = ${itemId} AND location = 2`);
    assert.equal(agg[0]?.quantityavailable, '0');
  });

  test('a renamed custom field no longer exists under Error, and the metadata catalog shows the new name only', async () => {
    await call('POST', '/salesOrder', order({ externalId: 'woo-before-rename', custbody_woo_store: 'eu' }));
    sim.control.renameField({ recordType: 'salesOrder', from: 'custbody_woo_store', to: 'custbody_woo_store_code' });
    const strict = await call('POST', '/salesOrder', order({ custbody_woo_store: 'eu' }), { 'X-NetSuite-PropertyNameValidation': 'Error' });
    assert.equal(strict.status, 400);
    const detail = await errorOf(strict);
    assert.equal(detail['o:errorCode'], 'NONEXISTENT_FIELD');
    assert.equal(detail['o:errorPath'], 'custbody_woo_store');
    const schema = (await (await call('GET', '/metadata-catalog/salesorder', undefined, { accept: 'application/schema+json' })).json()) as {
      properties: Record<string, Json>;
    };
    assert.equal(schema.properties.custbody_woo_store, undefined);
    assert.equal(schema.properties.custbody_woo_store_code?.['x-ns-custom-field'], true);
    const rows = await suiteql("SELECT custbody_woo_store_code FROM transaction WHERE externalid = 'woo-before-rename'");
    assert.equal(rows[0]?.custbody_woo_store_code, 'eu');
    const record = (await (await call('GET', '/salesOrder/eid:woo-before-rename')).json()) as Json;
    assert.equal(record.custbody_woo_store_code, 'eu');
  });

  test('a field made mandatory must be given on create', async () => {
    sim.control.makeMandatory({ recordType: 'salesOrder', scriptId: 'custbody_woo_order_number' });
    const response = await call('POST', '/salesOrder', order());
    assert.equal(response.status, 400);
    const detail = await errorOf(response);
    assert.equal(detail['o:errorCode'], 'USER_ERROR');
    assert.equal(detail.detail, 'Please enter value(s) for: WooCommerce Order Number');
    assert.equal(detail['o:errorPath'], 'custbody_woo_order_number');
    assert.equal((await call('POST', '/salesOrder', order({ custbody_woo_order_number: '1001' }))).status, 204);
    sim.control.makeMandatory({ recordType: 'salesOrder', scriptId: 'custbody_woo_order_number', mandatory: false });
  });

  test('an added custom field is writable, queryable and in the metadata catalog', async () => {
    sim.control.addField({ recordType: 'salesOrder', scriptId: 'custbody_woo_channel', label: 'Channel' });
    assert.equal(
      (await call('POST', '/salesOrder', order({ externalId: 'woo-channel', custbody_woo_channel: 'web' }), { 'X-NetSuite-PropertyNameValidation': 'Error' }))
        .status,
      204,
    );
    assert.equal((await suiteql("SELECT custbody_woo_channel FROM transaction WHERE externalid = 'woo-channel'"))[0]?.custbody_woo_channel, 'web');
    const catalogList = (await (await call('GET', '/metadata-catalog?select=salesorder,customer')).json()) as { items: { name: string }[] };
    assert.deepEqual(catalogList.items.map((i) => i.name).sort(), ['customer', 'salesOrder']);
  });

  test('the permission switch makes sales-order create answer 403 INSUFFICIENT_PERMISSION', async () => {
    sim.control.setPermission({ recordType: 'salesOrder', operation: 'create', allowed: false });
    const response = await call('POST', '/salesOrder', order());
    assert.equal(response.status, 403);
    assert.equal((await errorOf(response))['o:errorCode'], 'INSUFFICIENT_PERMISSION');
    sim.control.setPermission({ allowed: true });
    assert.equal((await call('POST', '/salesOrder', order())).status, 204);
  });

  test('an unknown record ID is a 404', async () => {
    const response = await call('GET', '/customer/987654');
    assert.equal(response.status, 404);
    assert.equal((await errorOf(response))['o:errorCode'], 'NONEXISTENT_ID');
  });
});
