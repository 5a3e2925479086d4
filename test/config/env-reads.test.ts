/** Every setting is read through src/config/: no other module of src/ touches `process.env`. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const root = join(__dirname, '..', '..');
const src = join(root, 'src');
const configDir = join(src, 'config');

/** `file:line` of every line of code (not a comment) of `file` that mentions process.env. */
function envReads(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, index) => {
      const code = line.trim();
      const comment = code.startsWith('//') || code.startsWith('*') || code.startsWith('/*');
      return !comment && /\bprocess\s*\.\s*env\b|\bprocess\s*\[\s*['"]env['"]\s*\]/.test(line) ? [`${relative(root, file)}:${index + 1}: ${code}`] : [];
    });
}

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts'))
    .map((path) => join(dir, path));

describe('environment reads', () => {
  it('only src/config/ reads process.env: every other module gets its settings from a loader there', () => {
    const strays = sourceFiles(src)
      .filter((file) => !file.startsWith(`${configDir}/`))
      .flatMap(envReads);
    assert.deepEqual(
      strays,
      [],
      `read these through src/config/ (a schema and a loader; a loader's env parameter defaults to processEnv()):\n${strays.join('\n')}`,
    );
  });

  it('the scanner finds a read, so the check above cannot pass vacuously', () => {
    assert.ok(envReads(join(configDir, 'env.ts')).length > 0, 'src/config/env.ts reads process.env');
  });
});
