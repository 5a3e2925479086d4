/**
 * Each setting is declared once, in a schema of src/config/ (name, default, rule, `.describe()`), and the README's
 * settings table names every one of them: a variable added to a schema without a line there fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import * as config from '../../src/config';

/** Schemas of prefixed variables: `NS_SANDBOX_*` / `NS_PROD_*`, and `WOO_<NAME>_*`. */
const PREFIXED: Record<string, string> = { netsuiteAccountSettingsSchema: 'NS_SANDBOX_*', storeSettingsSchema: 'WOO_STORES' };

const schemas: [string, z.ZodObject][] = Object.entries(config as Record<string, unknown>).flatMap(([name, value]) =>
  name.endsWith('SettingsSchema') && value instanceof z.ZodObject ? [[name, value] as [string, z.ZodObject]] : [],
);

/** The rows of the README's settings table (`| setting | meaning |`). */
function settingsTable(): string[] {
  const lines = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith('| setting | meaning |'));
  assert.ok(start >= 0, 'README.md has a settings table');
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('|'));
  return lines.slice(start + 2, end);
}

/** Whether `row` names `variable`: `VARIABLE`, or a pattern such as `TEMPORAL_TLS_*` that covers it. */
function names(row: string, variable: string): boolean {
  return [...row.matchAll(/`([^`]+)`/g)].some(([, token = '']) => token === variable || (token.endsWith('_*') && variable.startsWith(token.slice(0, -1))));
}

describe('settings are declared once and documented', () => {
  it('finds the schemas, so the checks below cannot pass vacuously', () => {
    assert.ok(schemas.length >= 10, `found ${schemas.map(([name]) => name).join(', ')}`);
  });

  it('every variable of every schema has a description', () => {
    const undescribed = schemas.flatMap(([name, schema]) =>
      Object.entries(schema.shape)
        .filter(([, field]) => !(field as z.ZodType).description)
        .map(([key]) => `${name}.${key}`),
    );
    assert.deepEqual(undescribed, []);
  });

  it("every variable is named in the README's settings table", () => {
    const rows = settingsTable();
    const missing = schemas.flatMap(([name, schema]) => {
      const keys = Object.keys(schema.shape);
      const rowName = PREFIXED[name];
      if (rowName === undefined) return keys.filter((key) => !rows.some((row) => names(row, key))).map((key) => `${key} (${name})`);
      // A prefixed schema's row (found by its name) lists each variable without its prefix, e.g. `ACCOUNT_ID` or `_CONSUMER_KEY`.
      const row = rows.find((line) => line.startsWith(`| \`${rowName}\``)) ?? '';
      return keys.filter((key) => !row.includes(`${key}\``)).map((key) => `${key} (${name}, in the ${rowName} row)`);
    });
    assert.deepEqual(missing, [], 'add them to the settings table of README.md');
  });
});
