import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateCatalog } from '../../simulators/seed';
import { startNetSuiteSimulator, type NetSuiteSimulator } from '../../simulators/netsuite';
import { createNetSuiteClient, type NetSuiteClient } from '../../src/netsuite/client';
import { createProcessLimiter } from '../../src/netsuite/limiter';
import { suiteQlString, suiteQlStringList } from '../../src/netsuite/suiteql';
import { credentialsFor } from './helpers';

type SalesOrder = {
  id: string;
  externalId?: string;
  entity: { id: string };
  item: { items?: { item: { id: string }; quantity: number }[]; links?: unknown[] };
};

describe('NetSuite client: records and SuiteQL', () => {
  let sim: NetSuiteSimulator;
  let client: NetSuiteClient;
  let customerId: string;
  let itemId: string;

  before(async () => {
    sim = await startNetSuiteSimulator({ catalog: generateCatalog({ seed: 11, products: 12, customers: 4 }) });
    client = createNetSuiteClient({ credentials: credentialsFor(sim) });
    customerId = sim.control.createRecord('customer', { companyName: 'Records Co', subsidiary: { id: '1' } }).id;
    itemId = (await client.suiteql("SELECT id FROM item WHERE itemtype = 'InvtPart' ORDER BY id", { limit: 1 })).items[0]?.id as string;
  });
  after(async () => sim.close());

  test('createRecord returns the internal ID from the Location header', async () => {
    const { id } = await client.createRecord('salesOrder', {
      entity: { id: customerId },
      externalId: 'woo-shop-1001',
      item: { items: [{ item: { id: itemId }, quantity: 2, rate: 5 }] },
    });
    assert.match(id, /^\d+$/);
    const stored = sim.control.getRecord('salesOrder', id);
    assert.equal(stored.externalId, 'woo-shop-1001');
  });

  test('getRecord reads by internal ID and by eid:, expands sublists on request, and answers undefined on 404', async () => {
    const { id } = await client.createRecord('salesOrder', {
      entity: { id: customerId },
      externalId: 'woo-shop-1002',
      item: { items: [{ item: { id: itemId }, quantity: 3 }] },
    });
    const byId = await client.getRecord<SalesOrder>('salesOrder', id);
    assert.equal(byId?.externalId, 'woo-shop-1002');
    assert.equal(byId?.item.items, undefined);
    const byEid = await client.getRecord<SalesOrder>('salesOrder', 'eid:woo-shop-1002', { expandSubResources: true });
    assert.equal(byEid?.id, id);
    assert.equal(byEid?.entity.id, customerId);
    assert.equal(byEid?.item.items?.[0]?.quantity, 3);
    assert.equal(await client.getRecord('salesOrder', 'eid:woo-shop-never'), undefined);
    assert.equal(await client.getRecord('salesOrder', '987654'), undefined);
  });

  test('suiteql pages with limit and offset, reporting hasMore, totalResults, offset and count', async () => {
    const all = await client.suiteql('SELECT id, itemid FROM item ORDER BY id');
    const total = all.totalResults;
    assert.ok(total > 5, `need more than 5 items, have ${total}`);
    assert.equal(all.count, total);
    assert.equal(all.hasMore, false);
    const pages = [];
    for (let offset = 0; offset < total; offset += 5) pages.push(await client.suiteql('SELECT id, itemid FROM item ORDER BY id', { limit: 5, offset }));
    assert.equal(pages[0]?.hasMore, true);
    assert.equal(pages[0]?.count, 5);
    assert.equal(pages[1]?.offset, 5);
    assert.equal(pages.at(-1)?.hasMore, false);
    for (const page of pages) assert.equal(page.totalResults, total);
    assert.deepEqual(
      pages.flatMap((p) => p.items),
      all.items,
    );
    assert.equal(typeof all.items[0]?.id, 'string');
    assert.equal(all.items[0]?.links, undefined);
  });

  test('suiteql refuses a limit above 1000 before sending anything', async () => {
    const before = client.stats().requests;
    await assert.rejects(client.suiteql('SELECT id FROM item', { limit: 1001 }), { name: 'NetSuiteError', kind: 'rejected' });
    assert.equal(client.stats().requests, before);
  });

  test("suiteQlString neutralises ' OR '1'='1 and still matches a value with a quote", async () => {
    const attack = "nobody' OR '1'='1";
    const unsafe = await client.suiteql(`SELECT id FROM customer WHERE companyname = '${attack}'`);
    assert.ok(unsafe.totalResults > 0, 'the raw interpolation is injectable (the premise of this test)');
    const safe = await client.suiteql(`SELECT id FROM customer WHERE companyname = ${suiteQlString(attack)}`);
    assert.equal(safe.totalResults, 0);
    sim.control.createRecord('customer', { companyName: "O'Brien & Sons", subsidiary: { id: '1' } });
    const quoted = await client.suiteql(`SELECT companyname FROM customer WHERE companyname = ${suiteQlString("O'Brien & Sons")}`);
    assert.deepEqual(quoted.items, [{ companyname: "O'Brien & Sons" }]);
    const listed = await client.suiteql(
      `SELECT companyname FROM customer WHERE companyname IN ${suiteQlStringList(["O'Brien & Sons", 'Records Co', attack])} ORDER BY companyname`,
    );
    assert.deepEqual(
      listed.items.map((r) => r.companyname),
      ["O'Brien & Sons", 'Records Co'],
    );
  });

  test('a process limiter of 2 keeps 10 concurrent requests at a simulator peak of at most 2', async () => {
    sim.control.setGovernance({ latency: { fixedMs: 50 } });
    try {
      const limited = createNetSuiteClient({ credentials: credentialsFor(sim), limiter: createProcessLimiter(2) });
      await limited.suiteql('SELECT id FROM item', { limit: 1 });
      sim.control.resetCounters();
      const pages = await Promise.all(Array.from({ length: 10 }, () => limited.suiteql('SELECT id FROM item', { limit: 1 })));
      assert.equal(pages.length, 10);
      const counters = sim.control.counters();
      assert.ok(counters.peakConcurrency <= 2, `peak ${counters.peakConcurrency}`);
      assert.equal(counters.peakConcurrency, 2);
      assert.equal(counters.http429, 0);
    } finally {
      sim.control.setGovernance({ latency: { fixedMs: 0 } });
    }
  });
});
