/**
 * The schema-drift watcher's building blocks: normalise the metadata catalog, know which fields the mapping writes,
 * read and write the fixture, diff, and render the alert. The activities (src/activities/drift-activities.ts) and
 * `npm run drift:snapshot` (scripts/drift-snapshot.ts) are built from these. Not for workflow code (fixture.ts does
 * I/O): the drift workflow imports only types.ts and summary.ts.
 */
export * from './types';
export { DriftFixtureError } from './errors';
export { normalizeRecordSchema, normalizeField, SchemaShapeError } from './normalize';
export { mappedFields, MAPPED_RECORD_TYPES, ALWAYS } from './mapped-fields';
export { diffSchemas, describeField, type DiffInput } from './diff';
export { readFixture, writeFixture, formatFixture, parseFixture, DEFAULT_FIXTURE_FILE } from './fixture';
export { readLiveSchema, takeSnapshot } from './snapshot';
export { renderDriftAlert, DRIFT_ALERT_KIND } from './alert';
export { changeCountText, driftSubject, driftDetails, changeLines, KIND_LABELS } from './summary';
