/**
 * The control API over HTTP, on its own listener under `/control/...`: each route parses its input and calls the
 * in-process control (control.ts). Bad input is a 400 `{"error", "issues"}`.
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { installControlErrorHandling, parseControlInput } from '../shared/http';
import type { NetSuiteControl } from './control';
import {
  recordBodySchema,
  shipStatusSchema,
  type addFieldSchema,
  type clientSchema,
  type faultSchema,
  type makeMandatorySchema,
  type permissionSchema,
  type quantitiesSchema,
  type renameFieldSchema,
  type seedCatalogSchema,
} from './control-schemas';
import type { billSchema, fulfilSchema } from './warehouse';

export function installControlRoutes(app: FastifyInstance, control: NetSuiteControl): void {
  installControlErrorHandling(app);
  type TypeParams = { type: string; id: string };
  const body = (raw: unknown): Record<string, unknown> => parseControlInput(recordBodySchema, raw, 'request body');

  app.get('/control/counters', async () => control.counters());
  app.post('/control/counters/reset', async () => {
    control.resetCounters();
    return { ok: true };
  });
  app.get('/control/timings', async (request) => {
    const { samples } = request.query as { samples?: string };
    const summary = control.serverTimings();
    if (samples !== 'true') delete summary.samplesMs;
    return summary;
  });
  app.get('/control/requests', async () => control.requestLog());
  app.post('/control/seed', async (request) => control.seed(body(request.body) as z.input<typeof seedCatalogSchema>));
  app.get('/control/faults', async () => control.faults());
  app.post('/control/faults', async (request) => control.addFault(body(request.body) as z.input<typeof faultSchema>));
  app.delete('/control/faults', async () => control.clearFaults());
  app.get('/control/governance', async () => control.governance());
  app.post('/control/governance', async (request) => control.setGovernance(body(request.body)));
  app.post('/control/oauth/clients', async (request) => control.registerClient(body(request.body) as z.input<typeof clientSchema>));
  app.post('/control/oauth/revoke-all', async () => control.revokeAllTokens());
  app.get('/control/oauth/default-client', async () => control.defaultClient());
  app.post('/control/permissions', async (request) => control.setPermission(body(request.body) as z.input<typeof permissionSchema>));
  app.post('/control/schema/rename-field', async (request) => control.renameField(body(request.body) as z.input<typeof renameFieldSchema>));
  app.post('/control/schema/make-mandatory', async (request) => control.makeMandatory(body(request.body) as z.input<typeof makeMandatorySchema>));
  app.post('/control/schema/add-field', async (request) => control.addField(body(request.body) as z.input<typeof addFieldSchema>));
  app.get<{ Params: TypeParams }>('/control/schema/:type', async (request) => control.customFields(request.params.type));
  app.get<{ Params: TypeParams }>('/control/records/:type', async (request) => control.listRecords(request.params.type));
  app.get<{ Params: TypeParams }>('/control/records/:type/:id', async (request) => control.getRecord(request.params.type, request.params.id));
  app.post<{ Params: TypeParams }>('/control/records/:type', async (request) => control.createRecord(request.params.type, body(request.body)));
  app.patch<{ Params: TypeParams }>('/control/records/:type/:id', async (request) =>
    control.updateRecord(request.params.type, request.params.id, body(request.body)),
  );
  app.post<{ Params: TypeParams }>('/control/sales-orders/:id/fulfil', async (request) =>
    control.fulfilSalesOrder(request.params.id, body(request.body) as z.input<typeof fulfilSchema>),
  );
  app.patch<{ Params: TypeParams }>('/control/fulfilments/:id', async (request) => {
    const parsed = parseControlInput(shipStatusSchema, request.body, 'ship-status request');
    return control.setFulfilmentShipStatus(request.params.id, parsed.shipStatus);
  });
  app.delete<{ Params: TypeParams }>('/control/fulfilments/:id', async (request) => {
    control.deleteFulfilment(request.params.id);
    return { ok: true };
  });
  app.post<{ Params: TypeParams }>('/control/sales-orders/:id/bill', async (request) =>
    control.billSalesOrder(request.params.id, body(request.body) as z.input<typeof billSchema>),
  );
  app.get<{ Params: TypeParams }>('/control/sales-orders/:id/documents', async (request) => control.salesOrderDocuments(request.params.id));
  app.post<{ Params: TypeParams }>('/control/items/:id/quantities', async (request) =>
    control.setItemQuantities(request.params.id, body(request.body) as z.input<typeof quantitiesSchema>),
  );
}
