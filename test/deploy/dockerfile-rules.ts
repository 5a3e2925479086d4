/**
 * A small Dockerfile reader (instructions, stages, ARG substitution in FROM) and the rules deploy/Dockerfile must keep:
 * pinned Node 22 slim, a lockfile install, production-only dependencies and a non-root user in the final stage,
 * an exec-form command, the prebuilt workflow bundle. `dockerfileProblems` returns one sentence per broken rule.
 */

export interface Instruction {
  /** Upper-case keyword, e.g. `RUN`. */
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
  line: number;
}

export interface Stage {
  /** The image as written in FROM (before ARG substitution). */
  from: string;
  /** The image after substituting global ARG defaults. */
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** Global ARGs (before the first FROM) with their defaults. */
  args: Record<string, string>;
  stages: Stage[];
}

/** Splits a Dockerfile into instructions: comments and blank lines dropped, `\` continuations joined. */
export function readInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    const trimmed = line.trim();
    if (trimmed.startsWith('#') || (trimmed === '' && pending === undefined)) return;
    if (trimmed === '') return;
    const continues = line.endsWith('\\');
    const content = continues ? line.slice(0, -1) : line;
    if (pending === undefined) pending = { parts: [], line: index + 1 };
    pending.parts.push(content.trim());
    if (continues) return;
    const joined = pending.parts.join(' ');
    const match = /^(\S+)\s*(.*)$/.exec(joined);
    if (match) instructions.push({ keyword: (match[1] ?? '').toUpperCase(), args: (match[2] ?? '').trim(), line: pending.line });
    pending = undefined;
  });
  return instructions;
}

const substitute = (value: string, args: Record<string, string>): string =>
  value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name: string) => args[name] ?? whole);

/** Instructions grouped into stages; global ARG defaults substituted into each FROM. */
export function parseDockerfile(text: string): Dockerfile {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const instruction of readInstructions(text)) {
    if (instruction.keyword === 'FROM') {
      const [from = '', as, name] = instruction.args.replace(/--platform=\S+\s+/, '').split(/\s+/);
      stages.push({ from, image: substitute(from, args), name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) {
      if (instruction.keyword === 'ARG') {
        const [name = '', value = ''] = instruction.args.split('=');
        args[name.trim()] = value.trim();
      }
      continue;
    }
    stage.instructions.push(instruction);
  }
  return { args, stages };
}

/** `ENV a=1 b=2` (and the legacy `ENV a 1`) as a record. */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage.instructions) {
    if (keyword !== 'ENV') continue;
    if (!args.includes('=')) {
      const [name = '', ...rest] = args.split(/\s+/);
      env[name] = rest.join(' ');
      continue;
    }
    for (const pair of args.match(/[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|\S*)/g) ?? []) {
      const at = pair.indexOf('=');
      env[pair.slice(0, at)] = pair.slice(at + 1).replace(/^"|"$/g, '');
    }
  }
  return env;
}

/** Whether an instruction's argument is the JSON (exec) form: `["node", "…"]`. */
export function isExecForm(args: string): boolean {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.length > 0 && parsed.every((part) => typeof part === 'string');
  } catch {
    return false;
  }
}

const runs = (stage: Stage, pattern: RegExp): boolean => stage.instructions.some((i) => i.keyword === 'RUN' && pattern.test(i.args));
const lastOf = (stage: Stage, keyword: string): Instruction | undefined => stage.instructions.filter((i) => i.keyword === keyword).at(-1);

/** Every rule deploy/Dockerfile breaks, one sentence each; empty when it keeps them all. */
export function dockerfileProblems(text: string): string[] {
  const problems: string[] = [];
  const file = parseDockerfile(text);
  const { stages } = file;
  if (stages.length < 2) problems.push(`a multi-stage build needs at least 2 stages, found ${stages.length}`);
  const stageNames = new Set(stages.map((s) => s.name).filter((n): n is string => n !== undefined));

  const nodeVersion = file.args.NODE_VERSION;
  if (nodeVersion === undefined) problems.push('ARG NODE_VERSION (a full x.y.z tag) must be declared before the first FROM');
  else if (!/^22\.\d+\.\d+$/.test(nodeVersion)) problems.push(`ARG NODE_VERSION=${nodeVersion} is not a full Node 22 version (22.x.y)`);
  for (const stage of stages) {
    if (stageNames.has(stage.from)) continue;
    if (!/^node:22\.\d+\.\d+-[a-z0-9]*-?slim$/.test(stage.image) && !/^node:22\.\d+\.\d+-slim$/.test(stage.image)) {
      problems.push(`FROM ${stage.from} (${stage.image}) is not a pinned Node 22 slim image (node:22.x.y-…slim)`);
    }
  }

  const builder = stages.find((s) => runs(s, /\bnpm run build\b/));
  if (builder === undefined) problems.push('no stage runs `npm run build` (compiled JS and the workflow bundle)');
  else if (!runs(builder, /\bnpm ci\b(?!.*--omit=dev)/))
    problems.push(`the build stage ${builder.name ?? ''} must install every dependency with \`npm ci\` from the lockfile`);
  for (const stage of stages) {
    if (runs(stage, /\bnpm (install|i)\b/))
      problems.push(`stage ${stage.name ?? stage.from} runs npm install: use npm ci, which installs exactly the lockfile`);
    if (runs(stage, /\bnpm ci\b/) && !stage.instructions.some((i) => i.keyword === 'COPY' && /package-lock\.json/.test(i.args))) {
      problems.push(`stage ${stage.name ?? stage.from} runs npm ci without copying package-lock.json first`);
    }
  }
  const devStage = stages.find((s) => s.name === 'dev');
  if (devStage === undefined) problems.push('no `dev` target (the build stage with dev dependencies, for the simulators)');
  else if (builder !== undefined && devStage !== builder && devStage.from !== builder.name)
    problems.push('the dev target must be (or derive from) the build stage, which keeps dev dependencies');

  const final = stages.at(-1);
  if (final === undefined) return problems;
  const finalName = final.name ?? 'final';
  const env = envOf(final);
  if (env.NODE_ENV !== 'production') problems.push(`the final stage must set NODE_ENV=production (found ${env.NODE_ENV ?? 'nothing'})`);
  if (!/dist\/workflow-bundle\.js$/.test(env.WORKFLOW_BUNDLE_PATH ?? ''))
    problems.push('the final stage must set WORKFLOW_BUNDLE_PATH to the prebuilt dist/workflow-bundle.js');

  const user = lastOf(final, 'USER');
  if (user === undefined) problems.push(`the final stage (${finalName}) has no USER: it would run as root`);
  else {
    const [uid = ''] = user.args.split(':');
    if (uid === 'root' || uid === '0') problems.push(`USER ${user.args} in the final stage is root`);
    else if (!/^\d+$/.test(uid)) problems.push(`USER ${user.args}: give the uid (e.g. 1000), so runAsNonRoot can verify it`);
  }

  const command = lastOf(final, 'CMD');
  const entrypoint = lastOf(final, 'ENTRYPOINT');
  if (command === undefined && entrypoint === undefined) problems.push('the final stage has no CMD');
  for (const instruction of [command, entrypoint]) {
    if (instruction !== undefined && !isExecForm(instruction.args)) {
      problems.push(`${instruction.keyword} ${instruction.args} is shell form: node would not be PID 1 and would miss SIGTERM; write ["node", …]`);
    }
  }
  if (command !== undefined && isExecForm(command.args) && JSON.stringify(JSON.parse(command.args)) !== JSON.stringify(['node', 'dist/src/worker.js'])) {
    problems.push(`the default command must be ["node", "dist/src/worker.js"], found ${command.args}`);
  }

  if (runs(final, /\bnpm\b/)) problems.push('the final stage runs npm: it must only copy what earlier stages built');
  const copies = final.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
  const allowed = /^(\.\/)?(dist|config|node_modules|package\.json)\/?$/;
  for (const copy of copies) {
    const parts = copy.args.split(/\s+/).filter((p) => !p.startsWith('--'));
    const sources = parts.slice(0, -1).map((s) => s.replace(/^\/app\//, ''));
    for (const source of sources)
      if (!allowed.test(source)) problems.push(`the final stage copies ${source}: only dist/, config/, node_modules and package.json belong in it`);
    const from = /--from=(\S+)/.exec(copy.args)?.[1];
    if (sources.some((s) => s.startsWith('node_modules'))) {
      const depsStage = stages.find((s) => s.name === from);
      if (depsStage === undefined || !runs(depsStage, /\bnpm ci\b.*--omit=dev/)) {
        problems.push(`node_modules in the final stage must come from a stage that runs \`npm ci --omit=dev\` (it comes from ${from ?? 'the build context'})`);
      }
    }
    if (sources.some((s) => s.startsWith('dist')) && builder !== undefined && from !== builder.name)
      problems.push(`dist/ must come from the build stage ${builder.name ?? ''}`);
  }
  for (const needed of ['dist', 'config', 'node_modules']) {
    if (!copies.some((c) => new RegExp(`(^|\\s|/)${needed}\\b`).test(c.args))) problems.push(`the final stage does not copy ${needed}`);
  }
  const exposed = final.instructions.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(/\s+/));
  for (const port of ['8080', '8081', '8888', '9464']) if (!exposed.includes(port)) problems.push(`the final stage does not EXPOSE ${port}`);
  return problems;
}
