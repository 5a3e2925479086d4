/**
 * SuiteQL literal quoting. SuiteQL has no bind parameters over REST, so every value that reaches a query goes through
 * these helpers: a string literal is wrapped in single quotes with each `'` doubled (Oracle / SQL-92 rules; a
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
