/**
 * Activities of the schema-drift watcher, on the orders task queue: read NetSuite's live metadata catalog through the
 * shared NetSuite client (its permits included), diff it against the checked-in fixture with the fields every
 * configured store's mapping writes, and send the alert. Thin: the work is in src/drift; here errors become failures —
 * a bad fixture or mapping fails the run at once (a retry would fail the same way), NetSuite outages and an alert no
 * channel took are retried.
 */
import { relative, resolve } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import { AlertDeliveryError, type AlertSender } from '../alerts';
import {
  ALERT_NOT_DELIVERED,
  diffSchemas,
  DRIFT_FIXTURE_INVALID,
  DriftFixtureError,
  mappedFields,
  MAPPED_RECORD_TYPES,
  NETSUITE_SCHEMA_SHAPE,
  readFixture,
  readLiveSchema,
  renderDriftAlert,
  SchemaShapeError,
} from '../drift';
import type { NetSuiteClient } from '../netsuite/client';
import { toFailure } from './failures';
import { withHeartbeat } from './heartbeat';
import type { MappingSource } from './mapping-source';
import type { DriftActivities } from './types';

export interface DriftActivityDeps {
  /** The worker's shared NetSuite client. */
  netsuite: NetSuiteClient;
  /** The mapping file (re-read when it changes). */
  mapping: MappingSource;
  alerts: AlertSender;
  /** The fixture compared against unless a run names another: relative paths resolve against the working directory. */
  fixtureFile: string;
  /** The configured store names: the watched fields are the union of what each store's mapping writes. At least one. */
  stores: readonly string[];
  logger?: Logger;
}

/** A path as the owner configured it: relative to the working directory when inside it, else absolute. */
function displayPath(absolute: string): string {
  const rel = relative(process.cwd(), absolute);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith('/') ? rel : absolute;
}

export function createDriftActivities(deps: DriftActivityDeps): DriftActivities {
  if (deps.stores.length === 0) throw new Error('createDriftActivities needs at least one store name (the mappings to watch)');
  const { netsuite, logger } = deps;

  return {
    async readLiveSchema({ recordTypes }) {
      const types = recordTypes && recordTypes.length > 0 ? recordTypes : [...MAPPED_RECORD_TYPES];
      try {
        return await withHeartbeat((signal) => readLiveSchema(netsuite, types, { signal }));
      } catch (error) {
        if (error instanceof SchemaShapeError) throw ApplicationFailure.retryable(`NetSuite's metadata catalog: ${error.message}`, NETSUITE_SCHEMA_SHAPE);
        throw toFailure(error, 'reading the metadata catalog');
      }
    },

    async diffSchema({ live, fixture }) {
      const file = resolve(process.cwd(), fixture ?? deps.fixtureFile);
      const shown = displayPath(file);
      const mappings = deps.stores.map((store) => ({ store, mapping: deps.mapping.forStore(store) }));
      try {
        const diff = diffSchemas({ fixture: readFixture(file), live, mapped: mappedFields(mappings), fixtureFile: shown, mappingFile: deps.mapping.path });
        logger?.info({ account: diff.account, changes: diff.changes, differences: diff.details.length, fixture: shown }, 'schema drift compared');
        return diff;
      } catch (error) {
        if (error instanceof DriftFixtureError) throw ApplicationFailure.nonRetryable(error.message.replace(file, shown), DRIFT_FIXTURE_INVALID);
        throw error;
      }
    },

    async sendDriftAlert({ diff }) {
      try {
        const delivery = await deps.alerts.send(renderDriftAlert(diff));
        return { channels: delivery.deliveries.filter((d) => d.ok).map((d) => d.channel) };
      } catch (error) {
        if (error instanceof AlertDeliveryError) throw ApplicationFailure.retryable(error.message, ALERT_NOT_DELIVERED);
        throw error;
      }
    },
  };
}
