/**
 * SuiteQL: `POST /services/rest/query/v1/suiteql?limit=&offset=` runs the query as real SQL (SQLite via sql.js)
 * over the simulator's tables. The query is wrapped as `SELECT * FROM (<q>) LIMIT n OFFSET m`, which only compiles
 * for a single SELECT/WITH statement (sql.js prepares one statement; anything after it is never run), and its total
 * is a `SELECT COUNT(*) FROM (<q>)` cached until the data changes.
 *
 * Values come back as strings, as NetSuite sends them (numbers too, e.g. "12.5"); NULL columns are omitted by default.
 * Rows beyond 100,000 are never returned.
 */
import type { FastifyInstance } from 'fastify';
import type { SuiteQlDatabase } from './database';
import { badRequest, json } from './errors';

export const SUITEQL_PATH = '/services/rest/query/v1/suiteql';
export const MAX_PAGE_SIZE = 1000;
export const MAX_ROWS = 100_000;

export interface SuiteQlPage {
  links: { rel: string; href: string }[];
  count: number;
  hasMore: boolean;
  offset: number;
  totalResults: number;
  items: Record<string, unknown>[];
}

const READ_ONLY_START = /^(select|with)\b/i;

/** Strips leading whitespace and SQL comments. */
function stripLeading(q: string): string {
  let s = q;
  for (;;) {
    const trimmed = s.replace(/^\s+/, '');
    if (trimmed.startsWith('--')) {
      const nl = trimmed.indexOf('\n');
      s = nl < 0 ? '' : trimmed.slice(nl + 1);
    } else if (trimmed.startsWith('/*')) {
      const end = trimmed.indexOf('*/');
      s = end < 0 ? '' : trimmed.slice(end + 2);
    } else return trimmed;
  }
}

/** Words SuiteQL uses as table/column names that are SQLite keywords: quoted outside string literals and comments. */
const KEYWORD_IDENTIFIERS = new Set(['transaction']);

/** Quotes bare `transaction` (a table and a column name in SuiteQL, a keyword in SQLite); literals and comments are left alone. */
export function quoteKeywordIdentifiers(q: string): string {
  let out = '';
  let i = 0;
  while (i < q.length) {
    const c = q[i] as string;
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < q.length) {
        if (q[j] === c) {
          if (q[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      out += q.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && q[i + 1] === '-') {
      const end = q.indexOf('\n', i);
      const stop = end < 0 ? q.length : end;
      out += q.slice(i, stop);
      i = stop;
    } else if (c === '/' && q[i + 1] === '*') {
      const end = q.indexOf('*/', i + 2);
      const stop = end < 0 ? q.length : end + 2;
      out += q.slice(i, stop);
      i = stop;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < q.length && /[A-Za-z0-9_$]/.test(q[j] as string)) j++;
      const word = q.slice(i, j);
      out += KEYWORD_IDENTIFIERS.has(word.toLowerCase()) ? `"${word.toLowerCase()}"` : word;
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export class SuiteQl {
  private readonly counts = new Map<string, { version: number; count: number }>();

  constructor(
    private readonly database: SuiteQlDatabase,
    private readonly baseUrl: () => string,
    private readonly nullColumns: () => 'omit' | 'null',
  ) {
    // A few Oracle-isms SuiteQL users write.
    database.db.create_function('NVL', (a: unknown, b: unknown) => (a === null || a === undefined ? b : a) as number | string | null);
    // TO_TIMESTAMP('2026-12-06 10:00:00', 'YYYY-MM-DD HH24:MI:SS') → the ISO text dates are stored as, so comparisons work.
    database.db.create_function('TO_TIMESTAMP', (text: unknown, format: unknown) => {
      if (format !== 'YYYY-MM-DD HH24:MI:SS' || typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) {
        throw new Error(`TO_TIMESTAMP: the simulator reads only 'YYYY-MM-DD HH24:MI:SS', got ${String(text)} / ${String(format)}`);
      }
      return `${text.replace(' ', 'T')}.000Z`;
    });
  }

  private sqlError(error: unknown): never {
    throw badRequest('INVALID_PARAMETER', `Invalid search query. Detailed unprocessed description follows. Search error occurred: ${(error as Error).message}`);
  }

  private total(q: string): number {
    const cached = this.counts.get(q);
    if (cached && cached.version === this.database.version) return cached.count;
    let count = 0;
    try {
      const result = this.database.db.exec(`SELECT COUNT(*) FROM (\n${q}\n)`);
      count = Number(result[0]?.values[0]?.[0] ?? 0);
    } catch (error) {
      this.sqlError(error);
    }
    if (this.counts.size > 500) this.counts.clear();
    this.counts.set(q, { version: this.database.version, count });
    return count;
  }

  /** Runs one page of a query. `limit` 1..1000 (default 1000), `offset` 0..99,999 (default 0). */
  run(body: unknown, rawLimit: string | undefined, rawOffset: string | undefined): SuiteQlPage {
    const limit = rawLimit === undefined || rawLimit === '' ? MAX_PAGE_SIZE : Number(rawLimit);
    const offset = rawOffset === undefined || rawOffset === '' ? 0 : Number(rawOffset);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw badRequest('INVALID_PARAMETER', `Invalid limit ${String(rawLimit)}: the page size must be an integer from 1 to ${MAX_PAGE_SIZE}.`);
    }
    if (!Number.isInteger(offset) || offset < 0) throw badRequest('INVALID_PARAMETER', `Invalid offset ${String(rawOffset)}: use a non-negative integer.`);
    if (offset >= MAX_ROWS) {
      throw badRequest(
        'INVALID_PARAMETER',
        `Invalid offset ${offset}: SuiteQL through REST returns at most ${MAX_ROWS} rows, so the offset must be below ${MAX_ROWS}.`,
      );
    }
    const rawQ = typeof body === 'object' && body !== null ? (body as { q?: unknown }).q : undefined;
    if (typeof rawQ !== 'string' || rawQ.trim() === '') throw badRequest('INVALID_PARAMETER', 'The request body must be {"q": "<SuiteQL SELECT statement>"}.');
    const q = quoteKeywordIdentifiers(stripLeading(rawQ).replace(/[\s;]+$/, ''));
    if (!READ_ONLY_START.test(q)) {
      const word = q.split(/\s/, 1)[0] ?? '';
      throw badRequest('INVALID_PARAMETER', `Only read-only queries (SELECT or WITH) are allowed in SuiteQL; got ${word.toUpperCase() || 'an empty query'}.`);
    }
    const total = this.total(q);
    const reachable = Math.min(total, MAX_ROWS);
    const pageSize = Math.max(0, Math.min(limit, MAX_ROWS - offset));
    const items: Record<string, unknown>[] = [];
    const omitNulls = this.nullColumns() === 'omit';
    let statement;
    try {
      statement = this.database.db.prepare(`SELECT * FROM (\n${q}\n) LIMIT ${pageSize} OFFSET ${offset}`);
    } catch (error) {
      this.sqlError(error);
    }
    try {
      const columns = statement.getColumnNames().map((c) => c.toLowerCase());
      while (statement.step()) {
        const values = statement.get();
        const row: Record<string, unknown> = { links: [] };
        for (let i = 0; i < columns.length; i++) {
          const v = values[i];
          if (v === null || v === undefined) {
            if (!omitNulls) row[columns[i] as string] = null;
          } else row[columns[i] as string] = v instanceof Uint8Array ? Buffer.from(v).toString('base64') : String(v);
        }
        items.push(row);
      }
    } catch (error) {
      this.sqlError(error);
    } finally {
      statement.free();
    }
    const hasMore = offset + items.length < reachable;
    const href = (o: number): string => `${this.baseUrl()}${SUITEQL_PATH}?limit=${limit}&offset=${o}`;
    const links: { rel: string; href: string }[] = [{ rel: 'self', href: href(offset) }];
    if (hasMore) links.push({ rel: 'next', href: href(offset + limit) });
    if (offset > 0) links.push({ rel: 'previous', href: href(Math.max(0, offset - limit)) });
    links.push({ rel: 'first', href: href(0) });
    links.push({ rel: 'last', href: href(reachable === 0 ? 0 : Math.floor((reachable - 1) / limit) * limit) });
    return { links, count: items.length, hasMore, offset, totalResults: total, items };
  }

  install(app: FastifyInstance): void {
    app.post(SUITEQL_PATH, async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      const page = this.run(request.body, query.limit, query.offset);
      return reply.header('content-type', 'application/vnd.oracle.resource+json; type=collection').send(json(page));
    });
  }
}
