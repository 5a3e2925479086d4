/** NetSuite credentials of a running simulator's default client: what the stack, scripts and tests connect with. */
import type { NetSuiteSimulator } from '../simulators/netsuite';
import { NETSUITE_ENV_PREFIX, storeEnvPrefix, type StoreSettings } from '../src/config';
import type { NetSuiteCredentials } from '../src/netsuite/credentials';

export function simulatorCredentials(sim: NetSuiteSimulator, overrides: Partial<NetSuiteCredentials> = {}): NetSuiteCredentials {
  return {
    environment: 'sandbox',
    accountId: sim.accountId,
    baseUrl: sim.url,
    clientId: sim.defaultClient.clientId,
    certificateId: sim.defaultClient.certificateId,
    privateKeyPem: sim.defaultClient.privateKeyPem,
    algorithm: sim.defaultClient.algorithm,
    scope: 'rest_webservices',
    ...overrides,
  };
}

/**
 * The settings a worker, receiver or CLI process needs to use a NetSuite simulator's default client (sandbox, key in
 * `keyFile`) and one simulated store — what dev/sync-stack.ts hands its processes and `npm run sim -- --env-file` writes.
 */
export function simulatorAccountEnv(input: { netsuite: NetSuiteSimulator; keyFile: string; store: StoreSettings }): Record<string, string> {
  const credentials = simulatorCredentials(input.netsuite);
  const ns = NETSUITE_ENV_PREFIX.sandbox;
  const woo = storeEnvPrefix(input.store.name);
  return {
    NETSUITE_ENVIRONMENT: 'sandbox',
    NETSUITE_ALLOW_CUSTOM_HOST: 'true',
    [`${ns}ACCOUNT_ID`]: credentials.accountId,
    [`${ns}BASE_URL`]: credentials.baseUrl,
    [`${ns}CLIENT_ID`]: credentials.clientId,
    [`${ns}CERTIFICATE_ID`]: credentials.certificateId,
    [`${ns}PRIVATE_KEY_FILE`]: input.keyFile,
    [`${ns}JWT_ALGORITHM`]: credentials.algorithm,
    WOO_STORES: input.store.name,
    [`${woo}URL`]: input.store.url,
    [`${woo}CONSUMER_KEY`]: input.store.consumerKey,
    [`${woo}CONSUMER_SECRET`]: input.store.consumerSecret,
    [`${woo}WEBHOOK_SECRET`]: input.store.webhookSecret,
  };
}
