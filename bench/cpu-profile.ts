/**
 * Where a process's JavaScript time goes: summarises a V8 `.cpuprofile` (node --cpu-prof) by package — the npm package
 * a function's file lives in (@temporalio/worker, pino, axios, zod, tsx, …), `node:<module>` for Node's own code, "our
 * code: src/<dir>" for this repository's, "(native: …)" for functions without a script (V8 builtins such as
 * `runInContext`, Node's C++ bindings — time in native code called from JavaScript lands there), and V8's
 * pseudo-functions ((garbage collector), (program): native code outside JavaScript). Self time only: a function's own
 * samples, not its callees'.
 *
 * A profile samples one JavaScript thread (Node writes one file per thread: the main thread, the Temporal workflow
 * thread, tsx's module-loader thread): work on other threads (the Temporal core's Rust threads, V8's concurrent GC,
 * libuv's pool) is in no profile. V8 samples by the wall clock: a thread that is runnable but waiting for a core counts
 * as busy, so on a loaded machine the threads' "not idle" time exceeds their CPU time — read the shares, and take CPU
 * time from /proc (bench/cpu.ts).
 *
 *   npx tsx bench/cpu-profile.ts <file.cpuprofile | directory> … [--top 20]
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(__dirname, '..');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  /** The process and thread the profile is of, from its name (CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile) and content. */
  pid: number | undefined;
  thread: string;
  /** startTime → endTime, in ms. */
  wallMs: number;
  /** Sampled (wall-clock) time the thread was not idle, in ms: its CPU time plus any wait for a core. */
  busyMs: number;
  /** Self time by package, most first (idle left out). */
  byPackage: { name: string; selfMs: number; share: number }[];
  /** The functions with the most self time. */
  topFunctions: { name: string; where: string; package: string; selfMs: number; share: number }[];
}

/** The package (or pseudo-package) a function belongs to, from its script URL. */
export function packageOf(url: string, functionName: string): string {
  if (url === '') {
    if (functionName === '(idle)' || functionName === '(program)' || functionName === '(garbage collector)' || functionName === '(root)') return functionName;
    return '(native: V8 builtins, Node bindings)';
  }
  if (url.startsWith('node:')) {
    const path = url.slice('node:'.length).replace(/^internal\//, '');
    return `node:${path.split('/')[0] ?? path}`;
  }
  let path = url;
  if (url.startsWith('file://')) {
    try {
      path = fileURLToPath(url);
    } catch {
      path = url.slice('file://'.length);
    }
  }
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = path.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? path);
  }
  if (/workflow-bundle|webpack|^evalmachine/i.test(path)) return 'workflow bundle (Temporal workflow sandbox)';
  if (path.startsWith('wasm:')) return 'wasm (module lexers)';
  const inRepo = relative(ROOT, path);
  if (path.startsWith('/') && !inRepo.startsWith('..') && !inRepo.startsWith('/')) {
    const [top, second] = inRepo.split('/');
    if (top === 'src') return `our code: src/${second ?? ''}`;
    return `our code: ${top}`;
  }
  return `other: ${path}`;
}

export interface SummaryOptions {
  /** Functions listed. Default 20. */
  top?: number;
  /** Only samples taken in this interval of the machine's monotonic clock, in µs (V8 times samples by it). Default all. */
  window?: { from: number; to: number };
}

/** Which thread a profile is of: Node names the file after the thread ID; the code it ran says what the thread was. */
function threadOf(file: string, profile: CpuProfile): { pid: number | undefined; thread: string } {
  const match = /\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(file);
  const pid = match ? Number(match[1]) : undefined;
  const tid = match ? Number(match[2]) : undefined;
  if (tid === 0) return { pid, thread: 'main thread' };
  const urls = new Set(profile.nodes.map((node) => node.callFrame.url));
  const has = (part: string): boolean => [...urls].some((url) => url.includes(part));
  if (has('workflow-worker-thread')) return { pid, thread: `thread ${tid}: Temporal workflow thread` };
  if (has('node:internal/modules/esm/worker')) return { pid, thread: `thread ${tid}: module loader hooks (tsx)` };
  return { pid, thread: `thread ${tid ?? '?'}` };
}

/** Self time per node: each sample lasts until the next one (DevTools' convention); the last one the mean interval. */
export function summarizeProfile(file: string, options: SummaryOptions = {}): ProfileSummary {
  const top = options.top ?? 20;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  const n = profile.samples.length;
  const meanDelta = n > 0 ? (profile.endTime - profile.startTime) / n : 0;
  const from = options.window?.from ?? -Infinity;
  const to = options.window?.to ?? Infinity;
  let at = profile.startTime;
  for (let i = 0; i < n; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from || at > to) continue;
    const duration = i + 1 < n ? (profile.timeDeltas[i + 1] ?? meanDelta) : meanDelta;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, duration));
  }
  const packages = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; package: string; us: number }>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const pkg = packageOf(frame.url, frame.functionName);
    if (pkg === '(idle)') continue;
    busyUs += us;
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    const name = frame.functionName || '(anonymous)';
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const entry = functions.get(key) ?? { name, where, package: pkg, us: 0 };
    entry.us += us;
    functions.set(key, entry);
  }
  const share = (us: number): number => (busyUs > 0 ? Math.round((us / busyUs) * 1000) / 1000 : 0);
  const ms = (us: number): number => Math.round(us / 100) / 10;
  return {
    file,
    ...threadOf(file, profile),
    wallMs: ms(Math.min(to, profile.endTime) - Math.max(from, profile.startTime)),
    busyMs: ms(busyUs),
    byPackage: [...packages].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, selfMs: ms(us), share: share(us) })),
    topFunctions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, package: f.package, selfMs: ms(f.us), share: share(f.us) })),
  };
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
  const inRepo = relative(ROOT, path);
  return inRepo.startsWith('..') ? url : inRepo;
}

/** The summary as text lines; `what` names the process (e.g. "worker process"). */
export function formatProfileSummary(summary: ProfileSummary, what = `process ${summary.pid ?? '?'}`, packages = 15): string[] {
  const pct = (share: number): string => `${(share * 100).toFixed(1).padStart(5)} %`;
  return [
    `${what}, ${summary.thread}: ${summary.busyMs} ms not idle over ${(summary.wallMs / 1000).toFixed(1)} s (${summary.file})`,
    '  self time by package:',
    ...summary.byPackage.slice(0, packages).map((p) => `    ${pct(p.share)}  ${String(p.selfMs).padStart(9)} ms  ${p.name}`),
    '  functions with the most self time:',
    ...summary.topFunctions.map((f) => `    ${pct(f.share)}  ${String(f.selfMs).padStart(9)} ms  ${f.name}  (${f.package}; ${f.where})`),
  ];
}

function profileFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) =>
    statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => f.endsWith('.cpuprofile'))
          .map((f) => join(path, f))
      : [path],
  );
}

if (require.main === module) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '20' } } });
  const files = profileFiles(positionals);
  if (files.length === 0) {
    process.stderr.write('usage: npx tsx bench/cpu-profile.ts <file.cpuprofile | directory> … [--top 20]\n');
    process.exit(1);
  }
  for (const file of files) console.log(formatProfileSummary(summarizeProfile(file, { top: Number(values.top) })).join('\n'));
}
