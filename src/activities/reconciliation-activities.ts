/**
 * The daily reconciliation's activities: `reconcileStore` reads both sides of one store — NetSuite's stock and open
 * sales orders (SuiteQL), WooCommerce's catalog, open orders and in-flight units (REST) — and builds the report
 * (src/reconciliation/build-report.ts); `mailReconciliation` renders it as text and HTML and sends it to the
 * integration owner through the alert sender; `mailReconciliationFailure` says when no report could be made.
 *
 * reconcileStore heartbeats every second while it pages (so a killed worker's run is retried elsewhere quickly) and
 * hands the activity's cancellation to every request. Its NetSuite requests go through the worker's one NetSuite
 * client, whose limiter caps them with every other NetSuite call. A retry reads everything again: the report is a
 * snapshot, cheap to retake, and partial state would only make it harder to trust.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { AlertSender } from '../alerts';
import { readInFlightUnits } from '../inventory/in-flight';
import type { NetSuiteClient } from '../netsuite/client';
import { buildReconciliationReport, type ReconciliationSnapshot } from '../reconciliation/build-report';
import { readNetSuiteItems, readOpenSalesOrders } from '../reconciliation/netsuite-reads';
import { renderReconciliationFailure, renderReconciliationHtml, renderReconciliationText, reconciliationSubject } from '../reconciliation/render';
import { reportDateIn } from '../reconciliation/report-date';
import { RECONCILIATION_ALERT_KIND, RECONCILIATION_FAILED_ALERT_KIND } from '../reconciliation/types';
import { readWooCatalog } from '../reconciliation/woo-catalog';
import { lookUpOrdersByNumber, readOpenOrders } from '../reconciliation/woo-reads';
import type { WooClient } from '../woocommerce/client';
import { storeClientOf, toFailure } from './failures';
import { withHeartbeat } from './heartbeat';
import type { MappingSource } from './mapping-source';
import type { MailResult, ReconciliationActivities } from './types';

export interface ReconciliationActivityDeps {
  netsuite: NetSuiteClient;
  /** One REST client per configured store, by store name. */
  stores: ReadonlyMap<string, WooClient>;
  mapping: MappingSource;
  alerts: AlertSender;
  logger?: Logger;
}

export function createReconciliationActivities(deps: ReconciliationActivityDeps): ReconciliationActivities {
  const delivered = (delivery: { deliveries: { channel: string; ok: boolean }[] }): MailResult => ({
    channels: delivery.deliveries.filter((d) => d.ok).map((d) => d.channel),
  });

  return {
    async reconcileStore(input) {
      const { store } = input;
      const mapping = deps.mapping.forStore(store);
      const woo = storeClientOf(deps.stores, store, 'or drop its reconciliation schedule (`schedules apply`)');
      let reportDate: string;
      try {
        reportDate = reportDateIn(input.timeZone, input.asOf);
      } catch (error) {
        throw ApplicationFailure.nonRetryable(`Cannot date the report: ${(error as Error).message}`, 'InvalidReconciliationInput');
      }

      const context = Context.current();
      const requests = { woocommerce: 0, netsuite: 0 };
      const countWoo = (): void => void requests.woocommerce++;
      const countNetSuite = (): void => void requests.netsuite++;
      const taxIncluded = mapping.tax.mode === 'line' && mapping.tax.item !== undefined;
      const matchBy = mapping.items.matchBy;
      const locations = mapping.inventory.locations;
      const fields = mapping.customFields;

      const snapshot = await withHeartbeat(async (signal): Promise<ReconciliationSnapshot> => {
        try {
          // The two sides are read side by side. Within WooCommerce: in-flight units, then the catalog — an order
          // accepted in between shows as a one-off quantity difference that is gone the next day.
          const netsuiteSide = (async () => {
            const items = await readNetSuiteItems(
              deps.netsuite,
              { locations, matchBy, pageSize: mapping.inventory.pageSize },
              { signal, onRequest: countNetSuite },
            );
            const open = await readOpenSalesOrders(
              deps.netsuite,
              { store, storeField: fields.store, orderKeyField: fields.orderKey, orderNumberField: fields.orderNumber },
              { signal, onRequest: countNetSuite },
            );
            return { items: items.items, salesOrders: open.salesOrders };
          })();
          const wooSide = (async () => {
            const inFlight = await readInFlightUnits(woo, { statuses: mapping.syncStatuses, lookbackDays: mapping.inventory.inFlightLookbackDays }, { signal });
            requests.woocommerce += inFlight.requests;
            const catalog = await readWooCatalog(woo, { signal, onProgress: countWoo });
            const open = await readOpenOrders(woo, { taxIncluded }, { signal, onRequest: countWoo });
            return { inFlight: inFlight.units, catalog: catalog.entries, openOrders: open.orders };
          })();
          const [ns, wc] = await Promise.all([netsuiteSide, wooSide]);

          // Sales orders whose key no open WooCommerce order carries: read the order their number names.
          const openKeys = new Set(wc.openOrders.map((order) => order.orderKey));
          const unmatched = ns.salesOrders.filter((so) => so.orderKey !== '' && !openKeys.has(so.orderKey));
          const { lookups } = await lookUpOrdersByNumber(woo, unmatched, { signal, onRequest: countWoo });

          const warnings: string[] = [];
          const withoutSku = wc.catalog.filter((entry) => entry.sku === '').length;
          if (withoutSku > 0)
            warnings.push(
              `${withoutSku} WooCommerce product${withoutSku === 1 ? '' : 's'} or variation${withoutSku === 1 ? '' : 's'} without a SKU ${withoutSku === 1 ? 'is' : 'are'} not counted.`,
            );
          return {
            input,
            reportDate,
            readAt: new Date().toISOString(),
            locations,
            matchBy,
            aliases: mapping.items.aliases,
            owns: mapping.inventory.owns,
            taxIncluded,
            netsuiteItems: ns.items,
            wooSellables: wc.catalog
              .filter((entry) => entry.sku !== '')
              .map((entry) => ({ sku: entry.sku, productId: entry.id, stockQuantity: entry.stockQuantity })),
            inFlightUnits: Object.fromEntries(wc.inFlight),
            wooOpenOrders: wc.openOrders,
            netsuiteOpenSalesOrders: ns.salesOrders,
            orderLookups: lookups,
            requests,
            warnings,
          };
        } catch (error) {
          throw toFailure(error, `reconciling store ${store}`);
        }
      });

      const report = buildReconciliationReport(snapshot);
      deps.logger?.info(
        {
          store,
          reportDate,
          attempt: context.info.attempt,
          inBalance: report.inBalance,
          over: report.differencesOverThreshold,
          woocommerce: report.woocommerce,
          netsuite: report.netsuite,
          requests: report.requests,
        },
        'reconciliation made',
      );
      return report;
    },

    async mailReconciliation(report) {
      const delivery = await deps.alerts.send({
        kind: RECONCILIATION_ALERT_KIND,
        subject: reconciliationSubject(report),
        text: renderReconciliationText(report),
        html: renderReconciliationHtml(report),
      });
      return delivered(delivery);
    },

    async mailReconciliationFailure(input) {
      const { subject, text } = renderReconciliationFailure(input);
      return delivered(await deps.alerts.send({ kind: RECONCILIATION_FAILED_ALERT_KIND, subject, text }));
    },
  };
}
