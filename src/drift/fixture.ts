/**
 * The schema fixture on disk (config/netsuite-schema.json): read and validated, and written in a layout made for
 * review — one line per field, keys sorted — so a re-snapshot shows in a diff as exactly the fields that changed.
 */
import { writeFileSync } from 'node:fs';
import { readJsonFile } from '../json-file';
import { z } from 'zod';
import { DriftFixtureError } from './errors';
import { byCodeUnit, sortKeys } from './normalize';
import { SNAPSHOT_COMMAND, type FieldSchema, type RecordSchema, type SchemaFixture } from './types';

/** The default fixture file, relative to the working directory. */
export const DEFAULT_FIXTURE_FILE = 'config/netsuite-schema.json';

const fieldSchema = z.strictObject({
  type: z.string().min(1),
  format: z.string().optional(),
  nullable: z.boolean().optional(),
  custom: z.boolean(),
  title: z.string().optional(),
});

const fixtureSchema = z.strictObject({
  recordTypes: z.record(z.string().min(1), z.record(z.string().min(1), fieldSchema)),
  takenAt: z.string().min(1),
  account: z.string().optional(),
});

/** Validates the parsed JSON of a fixture; `file` names it in the error. */
export function parseFixture(json: unknown, file: string): SchemaFixture {
  const result = fixtureSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).slice(0, 5);
    throw new DriftFixtureError(`the fixture ${file} is not a schema snapshot (${issues.join('; ')}): run ${SNAPSHOT_COMMAND} to write one`, file);
  }
  const fixture = result.data as SchemaFixture;
  return { ...fixture, recordTypes: Object.fromEntries(Object.entries(fixture.recordTypes).map(([type, fields]) => [type, sortFields(fields)])) };
}

const sortFields = (fields: RecordSchema): RecordSchema => sortKeys(Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, sortKeys(field)])));

/**
 * Reads and validates a fixture file. Throws DriftFixtureError when it is missing, not JSON or not a snapshot;
 * the message never quotes the file's content.
 */
export function readFixture(file: string): SchemaFixture {
  const read = readJsonFile(file);
  if (!read.ok && read.problem === 'unreadable') {
    throw new DriftFixtureError(
      `the fixture ${file} cannot be read (${read.code ?? 'read error'}): run ${SNAPSHOT_COMMAND} to write it, or set the fixture path`,
      file,
    );
  }
  if (!read.ok) throw new DriftFixtureError(`the fixture ${file} is not valid JSON: run ${SNAPSHOT_COMMAND} to write it again`, file);
  return parseFixture(read.json, file);
}

/** A field as one line of JSON: `{"custom": false, "title": "Email", "type": "string"}`. */
const oneLine = (field: FieldSchema): string =>
  `{${Object.entries(sortKeys(field))
    .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`)
    .join(', ')}}`;

/**
 * The fixture as text: `account`, `recordTypes` (types and fields sorted, one field per line) and `takenAt`, with a
 * final newline. The same snapshot always gives the same bytes, apart from takenAt.
 */
export function formatFixture(fixture: SchemaFixture): string {
  const types = Object.keys(fixture.recordTypes).sort(byCodeUnit);
  const blocks = types.map((type) => {
    const fields = sortFields(fixture.recordTypes[type] as RecordSchema);
    const lines = Object.entries(fields).map(([name, field]) => `      ${JSON.stringify(name)}: ${oneLine(field)}`);
    return `    ${JSON.stringify(type)}: {\n${lines.join(',\n')}\n    }`;
  });
  const head = fixture.account !== undefined ? `  "account": ${JSON.stringify(fixture.account)},\n` : '';
  return `{\n${head}  "recordTypes": {\n${blocks.join(',\n')}\n  },\n  "takenAt": ${JSON.stringify(fixture.takenAt)}\n}\n`;
}

/** Writes `fixture` to `file` (formatFixture). */
export function writeFixture(file: string, fixture: SchemaFixture): void {
  writeFileSync(file, formatFixture(fixture));
}
