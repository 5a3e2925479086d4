/**
 * What the NetSuite client tells whoever watches it (the worker's Prometheus metrics): each HTTP request's latency and
 * status, each 429, each access token minted. Only labels of low cardinality: the API family, never the path or a record ID.
 */
export type NetSuiteApi = 'record' | 'suiteql' | 'metadata' | 'token';

export interface NetSuiteRequestEvent {
  api: NetSuiteApi;
  method: string;
  /** The HTTP status, or the failure kind when no answer came (timeout, network, cancelled). */
  status: string;
  ms: number;
}

export interface NetSuiteObserver {
  request(event: NetSuiteRequestEvent): void;
  tokenMinted(): void;
}

/** The API family of a REST path below /services/rest. */
export function apiOf(path: string): NetSuiteApi {
  if (path.startsWith('/query/')) return 'suiteql';
  if (path.startsWith('/record/v1/metadata-catalog')) return 'metadata';
  return 'record';
}
