/**
 * The house a newcomer guesses right: small files in src/, and a README whose layout section is the tree as it is —
 * every directory and top-level module of src/ named, every top-level directory named, nothing named that is gone.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, it } from 'node:test';

const root = join(__dirname, '..');
const MAX_SRC_LINES = 400;

/** The fenced block under README's "## Layout" heading. */
function readmeLayout(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.split(/^## Layout$/m)[1];
  assert.ok(section, 'README.md has a "## Layout" section');
  const block = /```\n([\s\S]*?)```/.exec(section);
  assert.ok(block?.[1], 'the Layout section holds a fenced block');
  return block[1];
}

/** The words of the layout block that name a directory (`name/`, `a/b/`) or a TypeScript file (`name.ts`). */
function namesIn(layout: string): { dirs: Set<string>; files: Set<string> } {
  const dirs = new Set<string>();
  const files = new Set<string>();
  for (const [word] of layout.matchAll(/[A-Za-z][\w.-]*(?:\/[\w.-]+)*\/?/g)) {
    if (word.endsWith('/')) dirs.add(word);
    else if (word.endsWith('.ts')) files.add(word);
  }
  return { dirs, files };
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((path) => join(dir, path));
}

const TRACKED_TOP_DIRS = ['bench', 'chaos', 'config', 'deploy', 'dev', 'docs', 'scripts', 'simulators', 'src', 'test'];

describe('the layout', () => {
  it(`no file in src/ is over ${MAX_SRC_LINES} lines`, () => {
    const long = allFiles(join(root, 'src'))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => ({ file: relative(root, file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_SRC_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    assert.deepEqual(long, []);
  });

  it("README's layout names every top-level directory, and every directory and top-level module of src/", () => {
    const { dirs, files } = namesIn(readmeLayout());
    const src = join(root, 'src');
    const missing = [
      ...TRACKED_TOP_DIRS.filter((dir) => !dirs.has(`${dir}/`)).map((dir) => `${dir}/`),
      ...readdirSync(src)
        .filter((entry) => statSync(join(src, entry)).isDirectory())
        .filter((dir) => !dirs.has(`${dir}/`))
        .map((dir) => `src/${dir}/`),
      ...readdirSync(src)
        .filter((entry) => entry.endsWith('.ts'))
        .filter((file) => !files.has(file))
        .map((file) => `src/${file}`),
    ];
    assert.deepEqual(missing, [], 'README.md "## Layout" does not name these');
  });

  it("README's layout names no file or directory that is not in the tree", () => {
    const { dirs, files } = namesIn(readmeLayout());
    const everything = TRACKED_TOP_DIRS.flatMap((dir) => allFiles(join(root, dir)).filter((path) => !path.includes('node_modules')));
    const fileNames = new Set(everything.map((path) => basename(path)));
    const dirPaths = new Set(
      everything
        .filter((path) => statSync(path).isDirectory())
        .flatMap((path) => {
          // A directory may be named by its last segments ('workflows/', 'test/containers/').
          const segments = relative(root, path).split('/');
          return segments.map((_, i) => `${segments.slice(i).join('/')}/`);
        }),
    );
    for (const dir of TRACKED_TOP_DIRS) dirPaths.add(`${dir}/`);
    const gone = [
      ...[...files].filter((file) => (file.includes('/') ? !existsSync(join(root, file)) : !fileNames.has(file))),
      ...[...dirs].filter((dir) => !dirPaths.has(dir)),
    ];
    assert.deepEqual(gone, [], 'README.md "## Layout" names these, which the tree does not have');
  });
});
