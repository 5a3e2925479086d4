/**
 * NetSuite simulator: a vendor-shaped SuiteTalk REST API (OAuth 2.0 client credentials, record API with record
 * transforms, SuiteQL over real SQL, metadata catalog, concurrency governance) on one listener (127.0.0.1 unless
 * `host` says otherwise), and a control API on another.
 */
import type { FastifyError } from 'fastify';
import { DEFAULT_LOCATIONS } from '../seed';
import { createHttpApp, listenOn, type ListenAddress } from '../shared/http';
import { OAuthServer, requiresToken, TOKEN_PATH, type DefaultClient } from './auth';
import { createControl, type NetSuiteControl } from './control';
import { installControlRoutes } from './control-routes';
import { SuiteQlDatabase } from './database';
import { NsError, sendNsError } from './errors';
import { Governance } from './governance';
import { MetadataCatalog } from './metadata';
import { resolveOptions, type NetSuiteSimulatorOptions, type PropertyNameValidation } from './options';
import { RecordApi } from './records';
import { DEFAULT_SHIPPING_METHODS, ensureDefaultItems, loadCatalog } from './seeding';
import { RecordStore } from './store';
import { SuiteQl } from './suiteql';
import { TransformService } from './transforms';

export type { NetSuiteSimulatorOptions, PropertyNameValidation, LatencyOptions, LatencySpec, NetSuiteOperation, ResolvedLatency } from './options';
export { NETSUITE_OPERATIONS, resolveLatency } from './options';
export { operationOf, operationOfRoute, latencyFor, meanLatencyMs } from './latency';
export type { NetSuiteControl, GovernanceView } from './control';
export type { Counters, Fault, FaultKind, RequestLogEntry, TimingSummary } from './governance';
export type { DefaultClient } from './auth';
export type { SeedResult } from './seeding';
export { seedCustomerExternalId, shipItemExternalId, DEFAULT_NON_INVENTORY_ITEMS } from './seeding';
export { INVALID_LOGIN_BODY, TOKEN_PATH, ALLOWED_ALGORITHMS } from './auth';
export { ERROR_CONTENT_TYPE } from './errors';

export interface NetSuiteSimulator {
  /** Vendor API base, e.g. `http://127.0.0.1:PORT`; REST roots are under `/services/rest`. */
  url: string;
  /** Control API base, e.g. `http://127.0.0.1:PORT` (routes under `/control/...`). */
  controlUrl: string;
  accountId: string;
  /** `${url}/services/rest/auth/oauth2/v1/token`: also the required JWT `aud`. */
  tokenUrl: string;
  /** The control operations, in-process. */
  control: NetSuiteControl;
  /** A client registered at start with an ES256 (EC P-256) key pair, private key included. */
  defaultClient: DefaultClient;
  close(): Promise<void>;
}

export async function startNetSuiteSimulator(options: NetSuiteSimulatorOptions = {}): Promise<NetSuiteSimulator> {
  const resolved = resolveOptions(options);
  const database = await SuiteQlDatabase.create();
  const store = new RecordStore(database, resolved);
  const validation: { value: PropertyNameValidation } = { value: resolved.propertyNameValidationDefault };
  const governance = new Governance(
    { concurrencyLimit: resolved.concurrencyLimit, retryAfterSeconds: resolved.retryAfterSeconds, latency: { ...resolved.latency } },
    resolved.seed,
    resolved.timingBufferSize,
  );
  const auth = new OAuthServer({
    accountId: resolved.accountId,
    tokenLifetimeSeconds: resolved.tokenLifetimeSeconds,
    expiresInAsString: resolved.expiresInAsString,
    onTokenMinted: () => governance.tokensMinted++,
  });
  let url = '';
  const baseUrl = (): string => url;

  for (const location of resolved.catalog?.locations ?? DEFAULT_LOCATIONS) store.addLocation(location);
  if (resolved.catalog) loadCatalog(store, resolved.catalog);
  else ensureDefaultItems(store, DEFAULT_SHIPPING_METHODS);

  const transforms = new TransformService(store, () => resolved.allowNegativeInventory);
  const records = new RecordApi(store, governance, transforms, baseUrl, () => validation.value);
  const metadata = new MetadataCatalog(store, baseUrl);
  const suiteql = new SuiteQl(database, baseUrl, () => resolved.suiteQlNullColumns);

  const vendor = createHttpApp();
  governance.install(vendor, { isTokenRoute: (path) => path === TOKEN_PATH, countTokenRequests: resolved.countTokenRequestsTowardConcurrency });
  vendor.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? request.url;
    if (requiresToken(path) && !auth.authorized(request)) return auth.sendInvalidLogin(reply);
    return undefined;
  });
  vendor.setErrorHandler((error: unknown, _request, reply) => {
    if (error instanceof NsError) return sendNsError(reply, error);
    const e = error as Partial<FastifyError>;
    const status = typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
    const code = status === 500 ? 'UNEXPECTED_ERROR' : status === 415 ? 'INVALID_CONTENT_TYPE' : 'INVALID_CONTENT';
    return sendNsError(reply, new NsError(status, code, e.message ?? String(error)));
  });
  vendor.setNotFoundHandler((request, reply) =>
    sendNsError(reply, new NsError(404, 'NOT_FOUND', `No REST resource at ${request.method} ${request.url.split('?', 1)[0]}.`)),
  );
  auth.installTokenEndpoint(vendor);
  metadata.install(vendor);
  records.install(vendor);
  suiteql.install(vendor);
  vendor.get('/services/rest/system/v1/governanceLimits', async () => ({
    links: [],
    accountConcurrencyLimit: governance.settings.concurrencyLimit,
    accountUnallocatedConcurrencyLimit: governance.settings.concurrencyLimit,
  }));

  const defaultClient = await auth.createDefaultClient();
  const control = createControl({ store, records, transforms, governance, auth, defaultClient, validation });
  const controlApp = createHttpApp();
  installControlRoutes(controlApp, control);

  const address: ListenAddress = { host: resolved.host, ...(resolved.advertiseHost !== undefined ? { advertiseHost: resolved.advertiseHost } : {}) };
  try {
    url = await listenOn(vendor, resolved.port, address);
    auth.tokenUrl = `${url}${TOKEN_PATH}`;
    const controlUrl = await listenOn(controlApp, resolved.controlPort, address);
    return {
      url,
      controlUrl,
      accountId: resolved.accountId,
      tokenUrl: auth.tokenUrl,
      control,
      defaultClient,
      close: async () => {
        await Promise.allSettled([vendor.close(), controlApp.close()]);
        database.close();
      },
    };
  } catch (error) {
    await Promise.allSettled([vendor.close(), controlApp.close()]);
    database.close();
    throw error;
  }
}
