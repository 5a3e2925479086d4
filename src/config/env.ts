/**
 * What every settings module of src/config/ is made of: the ConfigError, the zod helpers that read an environment
 * variable (trimmed, blank = unset), and the parsers that turn a schema's issues into messages naming the variable.
 *
 * The only module of the project that touches `process.env` is src/config/ (test/config/env-reads.test.ts checks it):
 * every loader takes the environment as a parameter, defaulting to processEnv().
 */
import { z } from 'zod';

/** The process's environment. Loaders default to it; everything outside src/config/ gets its settings from a loader. */
export const processEnv = (): NodeJS.ProcessEnv => process.env;

/** Thrown when settings are missing or invalid; the message names every offending variable. */
export class ConfigError extends Error {
  /** Every problem found, one sentence each (the message joins them). Default: `[message]`. */
  readonly problems: readonly string[];

  constructor(message: string, problems?: readonly string[]) {
    super(message);
    this.name = 'ConfigError';
    this.problems = problems ?? [message];
  }
}

/** Validates `env` against `schema`; throws a ConfigError ("invalid <what> — …") naming every offending variable. */
export function parseSettings<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = processEnv(), what = 'settings'): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`invalid ${what} — ${problems.join('; ')}`, problems);
}

/** One ConfigError listing every problem, numbered, one per line. */
export function configError(title: string, problems: readonly string[]): ConfigError {
  const lines = problems.map((problem, index) => `  ${index + 1}. ${problem}`);
  return new ConfigError(`${title}:\n${lines.join('\n')}`, problems);
}

/** A variable's value, trimmed; a blank value counts as unset. */
export function envString(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** An env value for zod: trimmed, blank → undefined (so defaults apply). */
export const envValue = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim()) : value), schema);

/**
 * What a schema's zod metadata (`.meta()`) tells the settings reference (docs/settings.md, written by
 * scripts/settings-reference.ts) beside each variable's default and `.describe()` text.
 */
export type SettingMeta = {
  /** The value is a secret (a key, a token, a password or a URL holding one): never logged, never echoed. */
  secret?: boolean;
  /** Required although the schema accepts it unset: the loader that reads it refuses to start without it. */
  required?: boolean;
};

/** A schema's metadata: the section of the settings reference it makes. */
export type SettingsGroupMeta = {
  /** The section's heading. */
  title: string;
  /** What the variables are for (the section's first paragraph). */
  description: string;
  /** The prefixes the variables are read with (`NS_SANDBOX_`, `WOO_<NAME>_`), when the schema's keys are not the names. */
  prefixes?: readonly string[];
};

/** A variable's SettingMeta. */
export const settingMeta = (schema: z.ZodType): SettingMeta => {
  const meta = schema.meta();
  return { secret: meta?.secret === true, required: meta?.required === true };
};

/** Marks a variable as a secret (SettingMeta). */
export const secretSetting = <T extends z.ZodType>(schema: T): T => schema.meta({ secret: true });

/** Marks a variable as required by its loader although the schema accepts it unset (SettingMeta). */
export const requiredSetting = <T extends z.ZodType>(schema: T): T => schema.meta({ required: true });

/** Gives a schema its section of the settings reference (SettingsGroupMeta). */
export const settingsGroup = <S extends z.ZodObject>(schema: S, meta: SettingsGroupMeta): S => schema.meta({ ...meta });

/** A schema's SettingsGroupMeta, or undefined when it has none. */
export function settingsGroupMeta(schema: z.ZodObject): SettingsGroupMeta | undefined {
  const meta = schema.meta();
  if (typeof meta?.title !== 'string' || typeof meta.description !== 'string') return undefined;
  const prefixes = Array.isArray(meta.prefixes) ? meta.prefixes.filter((prefix): prefix is string => typeof prefix === 'string') : undefined;
  return { title: meta.title, description: meta.description, ...(prefixes !== undefined ? { prefixes } : {}) };
}

/** `true|false|1|0|yes|no`, any case. (`z.coerce.boolean()` would read "false" as true.) */
export const envBoolean = () =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'set it to true or false' })
      .transform((value) => value === 'true' || value === '1' || value === 'yes'),
  );

/** A comma-separated list: items trimmed, blanks dropped. */
export const splitList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** One variable a schema refused: its full name, its trimmed value (undefined when unset) and the schema's rule. */
export interface SettingIssue {
  name: string;
  raw: string | undefined;
  rule: string;
}

/**
 * Parses each key of `schema` from `env[prefix + key]` on its own, so one bad value does not hide another's problem.
 * Returns the values that parsed and, for the others, the variable, its value and the schema's message.
 */
export function parseEach<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv, prefix = ''): { values: Partial<z.infer<S>>; issues: SettingIssue[] } {
  const values: Record<string, unknown> = {};
  const issues: SettingIssue[] = [];
  for (const [key, field] of Object.entries(schema.shape)) {
    const name = `${prefix}${key}`;
    const result = (field as z.ZodType).safeParse(env[name]);
    if (result.success) values[key] = result.data;
    else issues.push({ name, raw: envString(env, name), rule: result.error.issues[0]?.message ?? 'invalid' });
  }
  return { values: values as Partial<z.infer<S>>, issues };
}

/** "NAME is not set: rule" or "NAME=value is invalid: rule"; `show` hides what a value may hold (a URL's password). */
export function describeIssue(issue: SettingIssue, show: (raw: string) => string = (raw) => raw): string {
  return issue.raw === undefined ? `${issue.name} is not set: ${issue.rule}` : `${issue.name}=${show(issue.raw)} is invalid: ${issue.rule}`;
}

/** A URL for messages: user name and password removed. */
export function displayUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.username || url.password) {
      url.username = '';
      url.password = '';
      return url.toString().replace('//', '//***@');
    }
    return raw;
  } catch {
    return raw.replace(/\/\/[^@/]*@/, '//***@');
  }
}
