/**
 * Each setting is declared once, in a schema of src/config/ (name, default, rule, `.describe()`, section and secrets in
 * `.meta()`), and docs/settings.md is generated from the schemas (`npm run docs:settings`): a schema changed without
 * regenerating it fails here. The README keeps a short table of the settings a newcomer sets first, linking to it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { settingsGroupMeta } from '../../src/config';
import { renderSettingsReference, SETTINGS_REFERENCE_FILE, settingsSchemas } from '../../scripts/settings-reference';

const schemas = settingsSchemas();

/** The rows of the README's settings table (`| setting | meaning |`). */
function readmeSettingsTable(): string[] {
  const lines = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith('| setting | meaning |'));
  assert.ok(start >= 0, 'README.md has a settings table');
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('|'));
  return lines.slice(start + 2, end);
}

describe('settings are declared once and documented', () => {
  it('finds the schemas, so the checks below cannot pass vacuously', () => {
    assert.ok(schemas.length >= 10, `found ${schemas.map(([name]) => name).join(', ')}`);
  });

  it('every variable of every schema has a description, and every schema its section of the reference', () => {
    const undescribed = schemas.flatMap(([name, schema]) =>
      Object.entries(schema.shape)
        .filter(([, field]) => !(field as z.ZodType).description)
        .map(([key]) => `${name}.${key}`),
    );
    assert.deepEqual(undescribed, []);
    const ungrouped = schemas.filter(([, schema]) => settingsGroupMeta(schema) === undefined).map(([name]) => name);
    assert.deepEqual(ungrouped, [], 'wrap these in settingsGroup(schema, { title, description })');
  });

  it('docs/settings.md is what the schemas generate', () => {
    const committed = readFileSync(SETTINGS_REFERENCE_FILE, 'utf8');
    assert.ok(committed === renderSettingsReference(), 'docs/settings.md is stale: run `npm run docs:settings` and commit the result');
  });

  it("the README's settings table links to the reference and names only variables that exist", () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    assert.match(readme, /\]\(docs\/settings\.md\)/, 'README.md links to docs/settings.md');
    const known = schemas.flatMap(([, schema]) => {
      const prefixes = settingsGroupMeta(schema)?.prefixes ?? [''];
      return Object.keys(schema.shape).flatMap((key) => prefixes.map((prefix) => `${prefix}${key}`));
    });
    const named = readmeSettingsTable().flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map(([, token = '']) => token));
    assert.ok(named.length > 0, "README.md's settings table names some variables");
    // A pattern such as `NS_SANDBOX_*` or `WOO_<NAME>_*` names the variables it covers.
    const exists = (token: string): boolean =>
      token.endsWith('*') ? known.some((variable) => variable.startsWith(token.slice(0, -1))) : known.includes(token);
    assert.deepEqual(
      named.filter((token) => !exists(token)),
      [],
      "README.md's settings table names variables no schema declares",
    );
  });
});
