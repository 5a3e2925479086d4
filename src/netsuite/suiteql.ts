/**
 * SuiteQL literal quoting. SuiteQL has no bind parameters over REST, so every value that reaches a query goes through
 * these helpers (strings, script IDs, internal IDs, instants): a string literal is wrapped in single quotes with each `'` doubled (Oracle / SQL-92 rules; a
 * backslash is an ordinary character in SuiteQL), so the value can never end the literal.
 */

/** A safe SuiteQL string literal: `O'Brien` → `'O''Brien'`. A NUL character cannot be sent and is a RangeError. */
export function suiteQlString(value: string): string {
  if (typeof value !== 'string') throw new TypeError(`suiteQlString needs a string, got ${typeof value}`);
  if (value.includes('\u0000')) throw new RangeError('a SuiteQL string literal cannot contain a NUL character');
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A parenthesised list of string literals for `IN`: `['a', "b'c"]` → `('a', 'b''c')`. An empty list is a RangeError
 * (`IN ()` is a syntax error, and `NOT IN (NULL)` would silently match nothing): skip the query instead.
 */
export function suiteQlStringList(values: readonly string[]): string {
  if (values.length === 0) throw new RangeError('suiteQlStringList needs at least one value');
  return `(${values.map(suiteQlString).join(', ')})`;
}

/** A custom field's script ID for a query (e.g. `custbody_woo_store`): lower-case letters, digits and _, else a RangeError. */
export function suiteQlScriptId(field: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(field)) throw new RangeError(`not a NetSuite script ID: ${JSON.stringify(field)}`);
  return field;
}

/** An internal ID (digits) as a SuiteQL number, `what` naming it in the RangeError anything else gets. */
export function suiteQlId(id: string, what = 'the value'): string {
  if (!/^\d+$/.test(id)) throw new RangeError(`${what} is an internal ID (digits), got ${JSON.stringify(id)}`);
  return String(Number(id));
}

/** An instant as SuiteQL compares it: TO_TIMESTAMP('2026-12-06 10:00:00', …), whole seconds, UTC. */
export function suiteQlTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 instant: ${JSON.stringify(iso)}`);
  const text = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  return `TO_TIMESTAMP(${suiteQlString(text)}, 'YYYY-MM-DD HH24:MI:SS')`;
}
