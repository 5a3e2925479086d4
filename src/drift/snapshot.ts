/**
 * Reads the live metadata catalog of the watched record types through the NetSuite client (so through its auth,
 * limiter and error taxonomy) and normalises it: what the watcher compares, and — stamped with a time — what
 * `npm run drift:snapshot` writes as the fixture. Both use this one reading, so a fresh snapshot always diffs empty.
 */
import type { NetSuiteClient } from '../netsuite/client';
import { MAPPED_RECORD_TYPES } from './mapped-fields';
import { normalizeRecordSchema } from './normalize';
import type { LiveSchema, SchemaFixture } from './types';

/**
 * The normalised schema of each record type (default: the ones the mapping writes), one catalog request each, in
 * order. NetSuite errors propagate as NetSuiteErrors; an answer that is not a schema as a SchemaShapeError.
 */
export async function readLiveSchema(
  netsuite: NetSuiteClient,
  recordTypes: readonly string[] = MAPPED_RECORD_TYPES,
  options: { signal?: AbortSignal; now?: () => Date } = {},
): Promise<LiveSchema> {
  const out: LiveSchema['recordTypes'] = {};
  for (const type of recordTypes) {
    const schema = await netsuite.getRecordSchema(type, options.signal ? { signal: options.signal } : {});
    out[type] = normalizeRecordSchema(schema);
  }
  return { recordTypes: out, account: netsuite.accountId, readAt: (options.now?.() ?? new Date()).toISOString() };
}

/** A snapshot of the live catalog, ready for writeFixture: what `npm run drift:snapshot` writes. */
export async function takeSnapshot(
  netsuite: NetSuiteClient,
  recordTypes: readonly string[] = MAPPED_RECORD_TYPES,
  options: { signal?: AbortSignal } = {},
): Promise<SchemaFixture> {
  const live = await readLiveSchema(netsuite, recordTypes, options);
  return { account: live.account, recordTypes: live.recordTypes, takenAt: live.readAt };
}
