/**
 * A tiny argument parser for the operator CLI: positionals, `--flag value`, `--flag=value`, the boolean flags, and
 * `-h`. Which options a command takes is checked by `checkOptions`, so a mistyped option is named, never ignored.
 */

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | true>;
}

const BOOLEAN_FLAGS = new Set(['json', 'wait', 'help', 'now', 'mail']);
/** Options that take a value. Any other `--name` is kept as a flag, for checkOptions to name as unknown. */
const VALUE_OPTIONS = new Set(['store', 'status', 'limit', 'reason', 'timeout', 'env-file']);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h') {
      options.help = true;
      continue;
    }
    if (/^-[A-Za-z]/.test(arg)) throw new UsageError(`unknown option ${arg}`);
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (inline !== undefined) options[name] = inline;
    else if (BOOLEAN_FLAGS.has(name) || !VALUE_OPTIONS.has(name)) options[name] = true;
    else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      options[name] = value;
      i++;
    }
  }
  return { positionals, options };
}

/** Refuses any option `command` does not take, naming it and the ones it does. */
export function checkOptions(args: ParsedArgs, command: string, allowed: readonly string[]): void {
  const unknown = Object.keys(args.options).filter((name) => !allowed.includes(name));
  if (unknown.length === 0) return;
  const takes = allowed.length > 0 ? `it takes ${allowed.map((name) => `--${name}`).join(', ')}` : 'it takes no options';
  throw new UsageError(`unknown option ${unknown.map((name) => `--${name}`).join(', ')} for ${command}: ${takes}`);
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const optionString = (args: ParsedArgs, name: string): string | undefined => {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
};
