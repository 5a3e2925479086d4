import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadMappingFile, MappingConfigError, parseMapping } from '../../src/mapping';
import { DEFAULT_MAPPING_FILE } from './fixtures';

/** Runs `fn`, expecting a MappingConfigError; returns it. */
function configError(fn: () => unknown): MappingConfigError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof MappingConfigError, `expected a MappingConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a MappingConfigError');
}

describe('mapping config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mapping-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('an empty mapping gets every documented default', () => {
    const mapping = parseMapping({}, 'main');
    assert.deepEqual(mapping.syncStatuses, ['processing', 'completed', 'on-hold']);
    assert.deepEqual(mapping.skip, {});
    assert.equal(mapping.externalIdPrefix, 'woo');
    assert.deepEqual(mapping.items, { matchBy: 'itemid', aliases: {} });
    assert.deepEqual(mapping.shipping, {
      methods: {
        flat_rate: { externalId: 'woo-ship-flat_rate' },
        free_shipping: { externalId: 'woo-ship-free_shipping' },
        local_pickup: { externalId: 'woo-ship-local_pickup' },
      },
    });
    assert.deepEqual(mapping.paymentMethods, {});
    assert.deepEqual(mapping.discount, { item: { externalId: 'woo-discount' } });
    assert.deepEqual(mapping.fees, { item: { externalId: 'woo-fee' } });
    assert.deepEqual(mapping.tax, { mode: 'netsuite' });
    assert.deepEqual(mapping.defaults, {});
    assert.deepEqual(mapping.customFields, {
      orderKey: 'custbody_woo_order_key',
      orderNumber: 'custbody_woo_order_number',
      store: 'custbody_woo_store',
      customerId: 'custentity_woo_customer_id',
    });
    assert.deepEqual(mapping.customers, { matchBy: 'email', onMultiple: 'oldest', externalIdPrefix: 'woo-customer' });
    assert.equal('stores' in mapping, false);
  });

  test('config/mapping.json spells out exactly the defaults', () => {
    assert.deepEqual(loadMappingFile(DEFAULT_MAPPING_FILE, 'main'), {
      ...parseMapping({}, 'main'),
      skip: { emailDomains: [], paymentMethods: [], createdVia: [] },
    });
  });

  test('defaults are fresh objects: changing one parsed mapping does not change the next', () => {
    const first = parseMapping({}, 'main');
    first.items.aliases['SKU-1'] = 'X';
    (first.shipping.methods as Record<string, unknown>).flat_rate = { id: '9' };
    const second = parseMapping({}, 'main');
    assert.deepEqual(second.items.aliases, {});
    assert.deepEqual(second.shipping.methods.flat_rate, { externalId: 'woo-ship-flat_rate' });
  });

  test('a store override is deep-merged: objects merge, references and lists replace, other stores keep the top level', () => {
    const json = {
      syncStatuses: ['processing'],
      items: { aliases: { 'SKU-A': 'NS-A' } },
      defaults: { subsidiary: { externalId: 'sub-us' }, location: { id: '1' } },
      shipping: { methods: { flat_rate: { externalId: 'ship-flat' }, local_pickup: { id: '3' } } },
      stores: {
        eu: {
          syncStatuses: ['processing', 'completed'],
          items: { aliases: { 'SKU-B': 'NS-B' } },
          defaults: { subsidiary: { id: '2' } },
          shipping: { methods: { flat_rate: { id: '7' } } },
          customers: { onMultiple: 'needs-attention' },
        },
      },
    };
    const eu = parseMapping(json, 'eu');
    assert.deepEqual(eu.syncStatuses, ['processing', 'completed']);
    assert.deepEqual(eu.items.aliases, { 'SKU-A': 'NS-A', 'SKU-B': 'NS-B' });
    assert.deepEqual(eu.defaults, { subsidiary: { id: '2' }, location: { id: '1' } });
    assert.deepEqual(eu.shipping.methods, { flat_rate: { id: '7' }, local_pickup: { id: '3' } });
    assert.equal(eu.customers.onMultiple, 'needs-attention');
    assert.equal(eu.customers.matchBy, 'email');

    const main = parseMapping(json, 'main');
    assert.deepEqual(main.syncStatuses, ['processing']);
    assert.deepEqual(main.items.aliases, { 'SKU-A': 'NS-A' });
    assert.deepEqual(main.defaults.subsidiary, { externalId: 'sub-us' });
    assert.equal(main.customers.onMultiple, 'oldest');
  });

  test('errors name the path of every invalid value, including inside a store override', () => {
    const error = configError(() =>
      parseMapping({ items: { matchBy: 'sku' }, discount: { item: { id: 5 } }, stores: { eu: { customers: { onMultiple: 'newest' } } } }, 'main'),
    );
    assert.ok(
      error.issues.some((i) => i.startsWith('items.matchBy:')),
      error.message,
    );
    assert.ok(
      error.issues.some((i) => i.startsWith('discount.item:') && i.includes('{"id": "<internal id>"}')),
      error.message,
    );
    assert.ok(
      error.issues.some((i) => i.startsWith('stores.eu.customers.onMultiple:')),
      error.message,
    );
    assert.match(error.message, /items\.matchBy/);
  });

  test('a misspelt key is an error naming it, never a silent default', () => {
    const error = configError(() => parseMapping({ itmes: { aliases: {} }, customers: { matchby: 'email' } }, 'main'));
    assert.ok(
      error.issues.some((i) => i.startsWith('(root):') && i.includes('itmes')),
      error.message,
    );
    assert.ok(
      error.issues.some((i) => i.startsWith('customers:') && i.includes('matchby')),
      error.message,
    );
  });

  test('tax mode "line" needs tax.item, judged on the merged mapping of the store', () => {
    assert.match(configError(() => parseMapping({ tax: { mode: 'line' } }, 'main')).message, /tax\.item/);
    const perStore = { stores: { eu: { tax: { mode: 'line' } } } };
    assert.equal(parseMapping(perStore, 'main').tax.mode, 'netsuite');
    const error = configError(() => parseMapping(perStore, 'eu'));
    assert.match(error.message, /store eu/);
    assert.ok(error.issues.some((i) => i.startsWith('tax.item:')));
    const itemAtTop = { tax: { item: { externalId: 'woo-tax' } }, stores: { eu: { tax: { mode: 'line' } } } };
    assert.deepEqual(parseMapping(itemAtTop, 'eu').tax, { mode: 'line', item: { externalId: 'woo-tax' } });
  });

  test('invalid script IDs, prefixes and store names are refused', () => {
    const error = configError(() =>
      parseMapping({ customFields: { orderKey: 'custentity_x' }, externalIdPrefix: 'woo shop', stores: { 'EU Store': {} } }, 'main'),
    );
    assert.ok(
      error.issues.some((i) => i.startsWith('customFields.orderKey:')),
      error.message,
    );
    assert.ok(
      error.issues.some((i) => i.startsWith('externalIdPrefix:')),
      error.message,
    );
    assert.ok(
      error.issues.some((i) => i.startsWith('stores.EU Store:') || i.startsWith('stores:')),
      error.message,
    );
  });

  test('loadMappingFile names the file for a missing file, invalid JSON and invalid content', () => {
    const missing = join(dir, 'missing.json');
    const a = configError(() => loadMappingFile(missing, 'main'));
    assert.equal(a.file, missing);
    assert.ok(a.message.includes(missing) && a.message.includes('ENOENT'));

    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"items": ');
    const b = configError(() => loadMappingFile(broken, 'main'));
    assert.ok(b.message.includes(broken) && b.message.includes('not valid JSON'));

    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ stores: { eu: { shipping: { default: 'flat' } } } }));
    const c = configError(() => loadMappingFile(invalid, 'eu'));
    assert.ok(c.message.includes(invalid));
    assert.ok(
      c.issues.some((i) => i.startsWith('stores.eu.shipping.default:')),
      c.message,
    );

    const problem = c.toProblem();
    assert.equal(problem.failureType, 'InvalidMapping');
    assert.ok(problem.fix.includes(invalid) && problem.fix.includes('stores.eu.shipping.default'));
    assert.equal(problem.details.file, invalid);
  });
});
