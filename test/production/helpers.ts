/** Small helpers of the production tests: plain HTTP GETs, reading a process's logged addresses, the image layout, metrics. */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { WorkerProcess } from '../../dev/sync-stack';
import { buildWorkflowBundle } from '../../scripts/build-workflow-bundle';

/** GET `url`: the status and the body (JSON when it parses, else the text). Rejects when nothing answers. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body };
}

/** The health URL a worker process logged at start (HEALTH_PORT=0 picks a free port). */
export function healthUrlOf(worker: WorkerProcess): string {
  const health = worker.logged('worker started')?.health;
  if (typeof health !== 'string') throw new Error(`the worker logged no health URL:\n${worker.output().slice(-2000)}`);
  return health;
}

const ROOT = resolve(__dirname, '../..');

/** What the image's runtime stage holds, built here: dist/ (tsc), the prebuilt bundle, config/, node_modules. */
export interface BuiltLayout {
  dir: string;
  bundlePath: string;
}

/** Builds the project the way the Dockerfile's build stage does (`npm run build`), into a temp dir laid out like /app. */
export async function buildImageLayout(): Promise<BuiltLayout> {
  const dir = mkdtempSync(join(tmpdir(), 'woo-netsuite-image-'));
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')],
    { cwd: ROOT },
  );
  const { path: bundlePath } = await buildWorkflowBundle(join(dir, 'dist/workflow-bundle.js'));
  cpSync(join(ROOT, 'config'), join(dir, 'config'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  return { dir, bundlePath };
}

/** Sums the Prometheus samples of `name` whose labels include every one of `labels` (text exposition format). */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (!Object.entries(labels).every(([k, v]) => present[k] === v)) continue;
    sum += Number(match[3]);
    found = true;
  }
  return found ? sum : Number.NaN;
}
