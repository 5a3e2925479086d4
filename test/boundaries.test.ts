import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const root = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts'))
    .map((path) => join(dir, path));
}

/** Every module specifier a file imports or requires (static imports, `import type`, dynamic `import()`, `require`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/g)) found.push(match[1] as string);
  for (const match of text.matchAll(/(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(match[1] as string);
  return found;
}

describe('the code keeps its boundaries', () => {
  it('production code (src/) never imports the simulators, the dev tooling or the tests', () => {
    const offenders = sourceFiles(join(root, 'src')).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => /(^|\/)(simulators|dev|test|bench|scripts)(\/|$)/.test(specifier))
        .map((specifier) => `${relative(root, file)} imports ${specifier}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('workflow code imports only the workflow SDK, the common SDK and other deterministic project modules', () => {
    const allowed = (specifier: string): boolean => specifier === '@temporalio/workflow' || specifier === '@temporalio/common' || specifier.startsWith('.');
    const workflowFiles = sourceFiles(join(root, 'src', 'workflows'));
    const offenders = workflowFiles.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => !allowed(specifier))
        .map((specifier) => `${relative(root, file)} imports ${specifier}`),
    );
    assert.deepEqual(offenders, []);
    // A relative import from workflow code must itself stay deterministic: no node: modules, no HTTP clients, no activities at run time.
    const relativeTargets = workflowFiles.flatMap((file) =>
      importsOf(file)
        .filter((s) => s.startsWith('.'))
        .map((s) => ({ file, s })),
    );
    for (const { file, s } of relativeTargets) {
      const source = readFileSync(file, 'utf8');
      const typeOnly = new RegExp(`import\\s+type\\s[^;]*from\\s+['"]${s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"]`).test(source);
      if (typeOnly) continue;
      const target = join(file, '..', `${s}.ts`);
      const targetImports = importsOf(target);
      assert.ok(
        targetImports.every(allowed),
        `${relative(root, target)} (imported by workflow code) imports ${targetImports.filter((x) => !allowed(x)).join(', ')}`,
      );
    }
  });

  it('the import scanner finds imports, so the checks above cannot pass vacuously', () => {
    // Guards the parser above: a line like the ones it must find is found.
    const sample = join(root, 'test', 'boundaries.test.ts');
    assert.ok(importsOf(sample).includes('node:fs'));
  });
});
