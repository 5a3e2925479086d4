/** NetSuite credentials of a running simulator's default client: what the stack, scripts and tests connect with. */
import type { NetSuiteSimulator } from '../simulators/netsuite';
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
