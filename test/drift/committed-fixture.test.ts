/**
 * The committed fixture cannot go stale: config/netsuite-schema.json is exactly what `npm run drift:snapshot --
 * --simulator` writes against the seed-1 NetSuite simulator (takenAt aside). And the script never falls back to a
 * simulator by itself: without `--simulator` it needs the NetSuite settings.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runDriftSnapshot } from '../../scripts/drift-snapshot';

const COMMITTED = join(__dirname, '..', '..', 'config', 'netsuite-schema.json');

/** The fixture's text with its takenAt line blanked. */
const withoutTakenAt = (text: string): string => text.replace(/^ {2}"takenAt": ".*"$/m, '  "takenAt": "…"');

describe('npm run drift:snapshot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drift-snapshot-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('against the seed-1 simulator it writes the committed fixture, byte for byte apart from takenAt', async () => {
    const out = join(dir, 'netsuite-schema.json');
    const printed: string[] = [];
    const code = await runDriftSnapshot(['--simulator', '--out', out], (line) => printed.push(line), {});
    assert.equal(code, 0, printed.join('\n'));
    assert.match(printed.join('\n'), /account 1234567_SB1, salesOrder \d+ fields \(3 custom\), customer \d+ fields \(1 custom\)/);
    const written = readFileSync(out, 'utf8');
    assert.match(written, /^ {2}"takenAt": "\d{4}-\d{2}-\d{2}T[\d:.]+Z"$/m);
    assert.equal(
      withoutTakenAt(readFileSync(COMMITTED, 'utf8')),
      withoutTakenAt(written),
      'config/netsuite-schema.json is stale: run `npm run drift:snapshot -- --simulator` and commit the result',
    );
  });

  test('without --simulator and without NetSuite settings it refuses (exit 78) and says what to set', async () => {
    const printed: string[] = [];
    const code = await runDriftSnapshot(['--out', join(dir, 'never.json')], (line) => printed.push(line), {});
    assert.equal(code, 78);
    assert.match(printed.join('\n'), /set NETSUITE_ENVIRONMENT and its NS_\* settings, or pass --simulator/);
    assert.throws(() => readFileSync(join(dir, 'never.json')), /ENOENT/);
  });
});
