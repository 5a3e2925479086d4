import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateCatalog, sellableItems } from '../../simulators/seed';
import { startNetSuiteSimulator, type NetSuiteSimulator } from '../../simulators/netsuite';
import { getAccessToken } from '../../simulators/netsuite/testing';

type Page = { links: { rel: string; href: string }[]; count: number; hasMore: boolean; offset: number; totalResults: number; items: Record<string, unknown>[] };
type ErrorBody = { 'o:errorDetails': { detail: string; 'o:errorCode': string }[] };

describe('NetSuite simulator: SuiteQL', () => {
  let sim: NetSuiteSimulator;
  let token: string;
  const catalog = generateCatalog({ seed: 3, products: 2600, customers: 4 });
  const skuCount = sellableItems(catalog).length;

  before(async () => {
    sim = await startNetSuiteSimulator();
    sim.control.seed(catalog);
    token = await getAccessToken(sim);
  });
  after(async () => sim.close());

  const query = (q: string, params = '') =>
    fetch(`${sim.url}/services/rest/query/v1/suiteql${params}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'transient' },
      body: JSON.stringify({ q }),
    });

  test('paging more than 2500 items by 1000 gives pages of 1000, 1000 and the rest with consistent totals and links', async () => {
    assert.ok(skuCount > 2500);
    const q = "SELECT id, itemid, displayname FROM item WHERE itemtype = 'InvtPart' ORDER BY id";
    const ids: string[] = [];
    const sizes: number[] = [];
    let offset = 0;
    for (;;) {
      const response = await query(q, `?limit=1000&offset=${offset}`);
      assert.equal(response.status, 200);
      const page = (await response.json()) as Page;
      assert.equal(page.totalResults, skuCount);
      assert.equal(page.offset, offset);
      sizes.push(page.count);
      for (const item of page.items) ids.push(String(item.id));
      const next = page.links.find((l) => l.rel === 'next');
      assert.equal(Boolean(next), page.hasMore);
      if (!page.hasMore) break;
      assert.match(String(next?.href), new RegExp(`limit=1000&offset=${offset + 1000}$`));
      offset += 1000;
    }
    const tail = skuCount - 2000 - (skuCount > 3000 ? 1000 : 0);
    assert.deepEqual(sizes.slice(0, 2), [1000, 1000]);
    assert.equal(sizes[sizes.length - 1], skuCount % 1000 === 0 ? 1000 : skuCount % 1000);
    assert.ok(tail > 0);
    assert.equal(new Set(ids).size, ids.length);
    const count = (await (await query("SELECT COUNT(*) AS n FROM item WHERE itemtype = 'InvtPart'")).json()) as Page;
    assert.equal(count.items[0]?.n, String(ids.length));
  });

  test('a JOIN with GROUP BY runs as real SQL', async () => {
    const response = await query(
      `SELECT l.name AS locationname, COUNT(*) AS items, SUM(il.quantityonhand) AS onhand
         FROM inventoryitemlocations il JOIN location l ON l.id = il.location JOIN item i ON i.id = il.item
        WHERE i.itemtype = 'InvtPart' GROUP BY l.name ORDER BY l.name`,
    );
    assert.equal(response.status, 200);
    const page = (await response.json()) as Page;
    assert.equal(page.count, 3);
    const expected = new Map<string, number>();
    for (const item of sellableItems(catalog))
      for (const [location, stock] of Object.entries(item.stock)) expected.set(location, (expected.get(location) ?? 0) + stock.onHand);
    const main = page.items.find((r) => r.locationname === 'Main Warehouse');
    assert.equal(main?.items, String(skuCount));
    assert.equal(main?.onhand, String(expected.get('1')));
  });

  test('a WITH query and a query with a trailing semicolon work', async () => {
    assert.equal((await query('WITH x AS (SELECT id FROM item) SELECT COUNT(*) AS n FROM x;')).status, 200);
  });

  test('DELETE, INSERT and stacked statements are refused', async () => {
    for (const q of ['DELETE FROM item', "INSERT INTO location (id, name) VALUES (9, 'x')", 'SELECT 1; DELETE FROM item']) {
      const response = await query(q);
      assert.equal(response.status, 400, q);
      const body = (await response.json()) as ErrorBody;
      assert.equal(body['o:errorDetails'][0]?.['o:errorCode'], 'INVALID_PARAMETER');
    }
    const page = (await (await query('SELECT COUNT(*) AS n FROM item')).json()) as Page;
    assert.ok(Number(page.items[0]?.n) > 2500);
  });

  test('an SQL error is a 400 carrying the SQLite message', async () => {
    const response = await query('SELECT nosuchcolumn FROM item');
    assert.equal(response.status, 400);
    const body = (await response.json()) as ErrorBody;
    assert.match(body['o:errorDetails'][0]?.detail ?? '', /no such column: nosuchcolumn/);
  });

  test('limit 1001 is refused, and so is an offset of 100000 or more', async () => {
    const big = await query('SELECT id FROM item', '?limit=1001');
    assert.equal(big.status, 400);
    assert.equal(((await big.json()) as ErrorBody)['o:errorDetails'][0]?.['o:errorCode'], 'INVALID_PARAMETER');
    const far = await query('SELECT id FROM item', '?limit=1000&offset=100000');
    assert.equal(far.status, 400);
    assert.match(((await far.json()) as ErrorBody)['o:errorDetails'][0]?.detail ?? '', /at most 100000 rows/);
  });

  test('rows beyond 100,000 are never returned and hasMore is false at the cap', async () => {
    const q = 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100500) SELECT x FROM n';
    const page = (await (await query(q, '?limit=1000&offset=99000')).json()) as Page;
    assert.equal(page.count, 1000);
    assert.equal(page.hasMore, false);
    assert.equal(page.totalResults, 100500);
    assert.equal(page.items[999]?.x, '100000');
  });

  test('values come back as strings with lower-case column names', async () => {
    const page = (await (await query("SELECT ID AS ItemId, BasePrice FROM item WHERE itemtype = 'InvtPart' ORDER BY id", '?limit=1')).json()) as Page;
    assert.equal(typeof page.items[0]?.itemid, 'string');
    assert.equal(typeof page.items[0]?.baseprice, 'string');
    assert.deepEqual(page.items[0]?.links, []);
  });
});
