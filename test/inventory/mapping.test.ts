/** The mapping's `inventory` section: defaults, validation, and per-store overrides (lists replace, objects merge). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MappingConfigError, parseMapping } from '../../src/mapping/config';

describe('mapping: inventory', () => {
  it('defaults to locations 1 and 2, every inventory item, pages of 1000, a 30-day lookback; the shipped file says the same', () => {
    const defaults = { locations: ['1', '2'], owns: {}, pageSize: 1000, inFlightLookbackDays: 30 };
    assert.deepEqual(parseMapping({}, 'main').inventory, defaults);
    const shipped = JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'mapping.json'), 'utf8')) as unknown;
    assert.deepEqual(parseMapping(shipped, 'main').inventory, defaults);
  });

  it('a store overrides it: locations replace, owns merges', () => {
    const mapping = parseMapping(
      {
        inventory: { locations: ['1'], owns: { skuPrefixes: ['SKU-'] } },
        stores: { eu: { inventory: { locations: ['4', '5'], owns: { excludeSkus: ['SKU-9'] }, pageSize: 200 } } },
      },
      'eu',
    );
    assert.deepEqual(mapping.inventory, {
      locations: ['4', '5'],
      owns: { skuPrefixes: ['SKU-'], excludeSkus: ['SKU-9'] },
      pageSize: 200,
      inFlightLookbackDays: 30,
    });
  });

  it('refuses a location that is not an internal ID, a page over 1000, and unknown keys', () => {
    for (const inventory of [{ locations: ['Main'] }, { locations: [] }, { pageSize: 1001 }, { owns: { prefixes: ['x'] } }, { location: ['1'] }]) {
      assert.throws(
        () => parseMapping({ inventory }, 'main'),
        (error: unknown) => error instanceof MappingConfigError && error.issues.some((issue) => issue.startsWith('inventory')),
        JSON.stringify(inventory),
      );
    }
  });
});
