/**
 * The drift watcher's pure parts: the metadata catalog normalised into a stable, sorted shape; the diff through the
 * eyes of the mapping (vanished, type changed, new custom field alert; everything else is informational); a renamed
 * custom field recognised by its label and type; the fixture file round trip; the alert's text and HTML.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  diffSchemas,
  DriftFixtureError,
  formatFixture,
  mappedFields,
  normalizeRecordSchema,
  parseFixture,
  readFixture,
  renderDriftAlert,
  SchemaShapeError,
  type LiveSchema,
  type RecordSchema,
  type SchemaFixture,
} from '../../src/drift';
import { defaultMapping } from '../mapping/fixtures';

const text = (title: string, custom = false) => ({ custom, nullable: true, title, type: 'string' });
const ref = (title: string) => ({ custom: false, nullable: true, title, type: 'object' });
const money = (title: string) => ({ custom: false, format: 'double', nullable: true, title, type: 'number' });

/** A small but complete picture of what the default mapping writes, as a snapshot would hold it. */
function baseSchema(): Record<string, RecordSchema> {
  return {
    salesOrder: {
      entity: ref('Customer'),
      externalId: text('External ID'),
      tranDate: { custom: false, format: 'date', nullable: true, title: 'Date', type: 'string' },
      otherRefNum: text('PO #'),
      memo: text('Memo'),
      email: text('Email'),
      item: ref('Items'),
      'item.items[].item': ref('Item'),
      'item.items[].quantity': money('Quantity'),
      'item.items[].rate': money('Rate'),
      'item.items[].amount': money('Amount'),
      'item.items[].description': text('Description'),
      discountItem: ref('Discount'),
      discountRate: text('Rate'),
      shipMethod: ref('Ship Via'),
      shippingCost: money('Shipping Cost'),
      terms: ref('Terms'),
      custbody_woo_order_key: text('WooCommerce Order Key', true),
      custbody_woo_order_number: text('WooCommerce Order Number', true),
      custbody_woo_store: text('WooCommerce Store', true),
      custbody_legacy: text('Legacy Flag', true),
    },
    customer: {
      externalId: text('External ID'),
      isPerson: { custom: false, nullable: true, title: 'Type', type: 'boolean' },
      companyName: text('Company Name'),
      firstName: text('First Name'),
      lastName: text('Last Name'),
      email: text('Email'),
      phone: text('Phone'),
      comments: text('Comments'),
      custentity_woo_customer_id: text('WooCommerce Customer ID', true),
    },
  };
}

const fixtureOf = (recordTypes: Record<string, RecordSchema>): SchemaFixture => ({ account: '1234567_SB1', recordTypes, takenAt: '2026-11-01T09:00:00.000Z' });
const liveOf = (recordTypes: Record<string, RecordSchema>): LiveSchema => ({ account: '1234567_SB1', recordTypes, readAt: '2026-11-23T09:00:00.000Z' });
const mapped = mappedFields([{ store: 'main', mapping: defaultMapping('main') }]);

function diffAgainstBase(change: (live: Record<string, RecordSchema>) => void) {
  const live = baseSchema();
  change(live);
  return diffSchemas({
    fixture: fixtureOf(baseSchema()),
    live: liveOf(live),
    mapped,
    fixtureFile: 'config/netsuite-schema.json',
    mappingFile: 'config/mapping.json',
  });
}

const so = (live: Record<string, RecordSchema>): RecordSchema => live.salesOrder as RecordSchema;

describe('normalising the metadata catalog', () => {
  test('keeps type, format, nullability, label and the custom flag, sorts the keys, and flattens sublist lines', () => {
    const normalised = normalizeRecordSchema({
      type: 'object',
      properties: {
        zeta: { type: 'string', title: 'Zeta', nullable: true, readOnly: true, maxLength: 40 },
        custbody_a: { title: 'A', type: 'string', nullable: true, 'x-ns-custom-field': true },
        entity: { title: 'Customer', type: 'object', properties: { id: { type: 'string' }, refName: { type: 'string' } } },
        item: {
          title: 'Items',
          type: 'object',
          properties: {
            items: { type: 'array', items: { type: 'object', properties: { quantity: { title: 'Quantity', type: 'number', format: 'double' } } } },
          },
        },
        amount: { title: 'Amount', type: ['number', 'null'] },
        sub: { $ref: '/services/rest/record/v1/metadata-catalog/salesOrder-itemCollection' },
      },
    });
    assert.deepEqual(Object.keys(normalised), ['amount', 'custbody_a', 'entity', 'item', 'item.items[].quantity', 'sub', 'zeta']);
    assert.deepEqual(normalised.zeta, { custom: false, nullable: true, title: 'Zeta', type: 'string' });
    assert.deepEqual(Object.keys(normalised.zeta ?? {}), ['custom', 'nullable', 'title', 'type']);
    assert.deepEqual(normalised.custbody_a, { custom: true, nullable: true, title: 'A', type: 'string' });
    assert.deepEqual(normalised.entity, { custom: false, title: 'Customer', type: 'object' });
    assert.deepEqual(normalised['item.items[].quantity'], { custom: false, format: 'double', title: 'Quantity', type: 'number' });
    assert.deepEqual(normalised.amount, { custom: false, title: 'Amount', type: 'null|number' });
    assert.deepEqual(normalised.sub, { custom: false, type: '$ref:salesOrder-itemCollection' });
  });

  test('an answer without properties is not a schema', () => {
    assert.throws(() => normalizeRecordSchema({ type: 'object' }), SchemaShapeError);
    assert.throws(() => normalizeRecordSchema([]), SchemaShapeError);
  });
});

describe('the fields the mapping writes', () => {
  test('the default mapping: the fixed fields, the custom fields it names, and no optional default it leaves unset', () => {
    const salesOrder = mapped.salesOrder ?? {};
    for (const field of ['entity', 'externalId', 'item.items[].quantity', 'shipMethod', 'custbody_woo_order_key', 'custbody_woo_store'])
      assert.ok(field in salesOrder, field);
    for (const field of ['department', 'class', 'location', 'orderStatus', 'subsidiary', 'terms']) assert.ok(!(field in salesOrder), field);
    assert.deepEqual(salesOrder.custbody_woo_order_key, [{ setting: 'customFields.orderKey', what: 'the WooCommerce order key', stores: ['main'] }]);
    assert.ok('custentity_woo_customer_id' in (mapped.customer ?? {}));
  });

  test('several stores: the union, each use naming the stores whose mapping writes the field', () => {
    const eu = {
      ...defaultMapping('eu'),
      customFields: { ...defaultMapping('eu').customFields, orderKey: 'custbody_eu_order_key' },
      defaults: { department: { id: '3' } },
    };
    const both = mappedFields([
      { store: 'main', mapping: defaultMapping('main') },
      { store: 'eu', mapping: eu },
    ]);
    assert.deepEqual(both.salesOrder?.custbody_woo_order_key?.[0]?.stores, ['main']);
    assert.deepEqual(both.salesOrder?.custbody_eu_order_key?.[0]?.stores, ['eu']);
    assert.deepEqual(both.salesOrder?.entity?.[0]?.stores, ['main', 'eu']);
    assert.deepEqual(both.salesOrder?.department, [{ setting: 'defaults.department', what: 'the department', stores: ['eu'] }]);
  });
});

describe('the drift diff', () => {
  test('nothing changed: no change, nothing informational', () => {
    const diff = diffAgainstBase(() => undefined);
    assert.equal(diff.changes, 0);
    assert.deepEqual(diff.details, []);
    assert.deepEqual(diff.recordTypes, ['salesOrder', 'customer']);
  });

  test('a renamed mapped custom field: vanished with the rename suggested, and the new field named as the likely rename', () => {
    const diff = diffAgainstBase((live) => {
      const fields = so(live);
      fields.custbody_woo_order_key2 = fields.custbody_woo_order_key as RecordSchema[string];
      delete fields.custbody_woo_order_key;
    });
    assert.equal(diff.changes, 2);
    const [vanished, added] = diff.details;
    assert.equal(vanished?.kind, 'vanished');
    assert.equal(vanished?.field, 'custbody_woo_order_key');
    assert.equal(vanished?.affectsSync, true);
    assert.equal(vanished?.renamedTo, 'custbody_woo_order_key2');
    assert.match(
      vanished?.detail ?? '',
      /custbody_woo_order_key vanished: the sync writes it — the WooCommerce order key via customFields\.orderKey \(store main\)\. custbody_woo_order_key2 \(same label and type, "WooCommerce Order Key", string\) appeared: renamed\?/,
    );
    assert.match(vanished?.fix ?? '', /set "customFields": \{"orderKey": "custbody_woo_order_key2"\} in config\/mapping\.json/);
    assert.match(vanished?.fix ?? '', /npm run drift:snapshot/);
    assert.equal(added?.kind, 'newCustomField');
    assert.equal(added?.renameOf, 'custbody_woo_order_key');
  });

  test('a mapped field that changed type alerts; an unmapped one that did is informational', () => {
    const diff = diffAgainstBase((live) => {
      so(live).shippingCost = text('Shipping Cost');
      so(live).terms = text('Terms');
    });
    assert.equal(diff.changes, 1);
    assert.deepEqual(
      diff.details.map((c) => [c.kind, c.field, c.affectsSync]),
      [
        ['typeChanged', 'shippingCost', true],
        ['changed', 'terms', false],
      ],
    );
    assert.match(diff.details[0]?.detail ?? '', /salesOrder\.shippingCost changed type: number \(double\) → string\./);
  });

  test('a new custom field alerts (the catalog cannot say whether it is mandatory)', () => {
    const diff = diffAgainstBase((live) => {
      (live.customer as RecordSchema).custentity_loyalty_tier = text('Loyalty Tier', true);
    });
    assert.equal(diff.changes, 1);
    assert.equal(diff.details[0]?.kind, 'newCustomField');
    assert.equal(diff.details[0]?.renameOf, undefined);
    assert.match(diff.details[0]?.fix ?? '', /Please enter value\(s\) for: Loyalty Tier/);
  });

  test('unmapped fields removed or relabelled, a relabelled mapped field and a new standard field: recorded, no alert', () => {
    const diff = diffAgainstBase((live) => {
      delete so(live).custbody_legacy;
      delete (live.customer as RecordSchema).comments;
      so(live).memo = text('Internal Memo');
      so(live).promoCode = text('Promotion');
    });
    assert.equal(diff.changes, 0);
    assert.deepEqual(
      diff.details.map((c) => [c.kind, c.recordType, c.field]),
      [
        ['removed', 'salesOrder', 'custbody_legacy'],
        ['removed', 'customer', 'comments'],
        ['changed', 'salesOrder', 'memo'],
        ['added', 'salesOrder', 'promoCode'],
      ],
    );
    assert.match(diff.details[2]?.detail ?? '', /label "Memo" → "Internal Memo"/);
  });

  test('a field the mapping names that NetSuite never had vanishes too; two look-alike new fields suggest no rename', () => {
    const mappedOther = mappedFields([
      { store: 'main', mapping: { ...defaultMapping('main'), customFields: { ...defaultMapping('main').customFields, store: 'custbody_typo' } } },
    ]);
    const live = baseSchema();
    const fields = so(live);
    delete fields.custbody_woo_order_key;
    fields.custbody_key_a = text('WooCommerce Order Key', true);
    fields.custbody_key_b = text('WooCommerce Order Key', true);
    const diff = diffSchemas({ fixture: fixtureOf(baseSchema()), live: liveOf(live), mapped: mappedOther, fixtureFile: 'f.json' });
    const typo = diff.details.find((c) => c.field === 'custbody_typo');
    assert.equal(typo?.kind, 'vanished');
    assert.match(typo?.detail ?? '', /it was not in the snapshot either/);
    const key = diff.details.find((c) => c.field === 'custbody_woo_order_key');
    assert.equal(key?.kind, 'vanished');
    assert.equal(key?.renamedTo, undefined);
    assert.equal(diff.changes, 4);
  });

  test('a fixture without a compared record type is refused, naming the command that fixes it', () => {
    const fixture = fixtureOf({ salesOrder: baseSchema().salesOrder as RecordSchema });
    assert.throws(
      () => diffSchemas({ fixture, live: liveOf(baseSchema()), mapped, fixtureFile: 'config/netsuite-schema.json' }),
      (error: unknown) => {
        assert.ok(error instanceof DriftFixtureError);
        assert.match(error.message, /has no customer .*npm run drift:snapshot/);
        return true;
      },
    );
  });
});

describe('the fixture file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drift-fixture-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('written one field per line, sorted, and read back equal', () => {
    const fixture = fixtureOf(baseSchema());
    const file = join(dir, 'schema.json');
    writeFileSync(file, formatFixture(fixture));
    const back = readFixture(file);
    assert.deepEqual(back, parseFixture(JSON.parse(JSON.stringify(fixture)), file));
    assert.deepEqual(JSON.parse(formatFixture(back)), JSON.parse(formatFixture(fixture)));
    const lines = formatFixture(fixture).split('\n');
    assert.ok(lines.includes('      "custbody_woo_order_key": {"custom": true, "nullable": true, "title": "WooCommerce Order Key", "type": "string"},'));
    const customerFields = lines
      .filter((l) => l.startsWith('      "'))
      .slice(0, 9)
      .map((l) => l.trim().split('"')[1]);
    assert.deepEqual(customerFields, [...customerFields].sort());
  });

  test('a missing, non-JSON or foreign file is refused without quoting its content', () => {
    assert.throws(() => readFixture(join(dir, 'absent.json')), /cannot be read \(ENOENT\): run npm run drift:snapshot/);
    const secret = join(dir, 'secret.pem');
    writeFileSync(secret, '-----BEGIN PRIVATE KEY-----\nTOP-SECRET-KEY-MATERIAL\n');
    assert.throws(
      () => readFixture(secret),
      (error: unknown) => error instanceof DriftFixtureError && !error.message.includes('TOP-SECRET') && /not valid JSON/.test(error.message),
    );
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, JSON.stringify({ password: 'TOP-SECRET-VALUE' }));
    assert.throws(
      () => readFixture(foreign),
      (error: unknown) => error instanceof DriftFixtureError && !error.message.includes('TOP-SECRET') && /not a schema snapshot/.test(error.message),
    );
  });
});

describe('the drift alert', () => {
  test('subject with the count and account; each change with what to do, in text and escaped HTML', () => {
    const diff = diffAgainstBase((live) => {
      const fields = so(live);
      fields.custbody_woo_order_key2 = fields.custbody_woo_order_key as RecordSchema[string];
      delete fields.custbody_woo_order_key;
      (live.customer as RecordSchema).custentity_x = text('<b>Tier</b>', true);
      delete (live.customer as RecordSchema).comments;
    });
    const alert = renderDriftAlert(diff);
    assert.equal(alert.kind, 'schema-drift');
    assert.equal(alert.subject, 'NetSuite schema drift: 3 changes that affect the sync (account 1234567_SB1)');
    assert.match(alert.text, /1\. \[Vanished\] salesOrder\.custbody_woo_order_key vanished/);
    assert.match(alert.text, /What to do: If custbody_woo_order_key was renamed to custbody_woo_order_key2/);
    assert.match(alert.text, /Other differences \(they do not affect the sync\):\n- \[Removed\] customer\.comments/);
    assert.match(alert.text, /npm run drift:snapshot, then commit config\/netsuite-schema\.json/);
    assert.match(alert.html ?? '', /<code>salesOrder\.custbody_woo_order_key<\/code>/);
    assert.match(alert.html ?? '', /&lt;b&gt;Tier&lt;\/b&gt;/);
    assert.doesNotMatch(alert.html ?? '', /<b>Tier/);
  });
});
