/**
 * Keyset paging over SuiteQL: every reader asks for the rows after the last key it read (`… WHERE id > <last>
 * ORDER BY id`, offset always 0). A page whose rows do not lie after that key — NetSuite, or something in front of it,
 * answered the same page again, or ignored the condition — would be read, and counted, again and again: it is an
 * error instead (retryable: a later attempt may get a proper page), never a loop.
 */
import { NetSuiteError } from './errors';

/** A paging key: one internal ID, or a tuple such as (transaction, line). Digits compare as numbers. */
export type KeysetKey = string | readonly string[];

const parts = (key: KeysetKey): readonly string[] => (typeof key === 'string' ? [key] : key);
const show = (key: KeysetKey): string => (typeof key === 'string' ? key : `(${key.join(', ')})`);

function comparePart(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x === y ? 0 : x < y ? -1 : 1;
  }
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Negative, zero or positive as `a` sorts before, with or after `b` (component by component). */
export function compareKeysetKeys(a: KeysetKey, b: KeysetKey): number {
  const left = parts(a);
  const right = parts(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const c = comparePart(left[i] as string, right[i] as string);
    if (c !== 0) return c;
  }
  return left.length - right.length;
}

/**
 * Throws a NetSuiteError (kind `unavailable`) unless every key of a page lies strictly after `after`, the key the page
 * was asked for. `what` names the reader in the message.
 */
export function checkKeysetPage(what: string, after: KeysetKey, keys: readonly KeysetKey[]): void {
  const stale = keys.find((key) => compareKeysetKeys(key, after) <= 0);
  if (stale === undefined) return;
  throw new NetSuiteError({
    kind: 'unavailable',
    operation: 'POST /query/v1/suiteql',
    detail:
      `SuiteQL paging did not advance while reading ${what}: asked for the rows after ${show(after)}, NetSuite answered a page with ${show(stale)} ` +
      `(${keys.length} rows, from ${show(keys[0] as KeysetKey)} to ${show(keys[keys.length - 1] as KeysetKey)}) — rows already read. Stopped rather than read them again.`,
  });
}
