/**
 * Helpers for tests, demos and benchmarks: sign a client assertion with jose and fetch an access token.
 */
import { JWT_BEARER } from './auth';
import { loadJose } from './jose';

export interface AssertionOverrides {
  alg?: string;
  kid?: string;
  iss?: string;
  aud?: string | string[];
  scope?: string | string[];
  /** Seconds since epoch. Default now. */
  iat?: number;
  /** Seconds since epoch. Default iat + 300. */
  exp?: number;
  /** PKCS#8 PEM of the signing key. Default the sim's default client key. */
  privateKeyPem?: string;
}

export interface SimulatorLike {
  tokenUrl: string;
  defaultClient: { clientId: string; certificateId: string; algorithm: string; privateKeyPem: string };
}

/** Signs a client-credentials JWT assertion (defaults: the default client, ES256, aud = token URL, scope rest_webservices, 5 minutes). */
export async function signAssertion(sim: SimulatorLike, overrides: AssertionOverrides = {}): Promise<string> {
  const jose = await loadJose();
  const alg = overrides.alg ?? sim.defaultClient.algorithm;
  const key = await jose.importPKCS8(overrides.privateKeyPem ?? sim.defaultClient.privateKeyPem, alg);
  const iat = overrides.iat ?? Math.floor(Date.now() / 1000);
  return new jose.SignJWT({ scope: overrides.scope ?? 'rest_webservices' })
    .setProtectedHeader({ alg, kid: overrides.kid ?? sim.defaultClient.certificateId, typ: 'JWT' })
    .setIssuer(overrides.iss ?? sim.defaultClient.clientId)
    .setAudience(overrides.aud ?? sim.tokenUrl)
    .setIssuedAt(iat)
    .setExpirationTime(overrides.exp ?? iat + 300)
    .sign(key);
}

/** Posts an assertion to the token endpoint and returns the raw response. */
export function requestToken(sim: SimulatorLike, assertion: string): Promise<Response> {
  return fetch(sim.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: assertion }),
  });
}

/** Gets an access token for the default client. */
export async function getAccessToken(sim: SimulatorLike, overrides: AssertionOverrides = {}): Promise<string> {
  const response = await requestToken(sim, await signAssertion(sim, overrides));
  const body = (await response.json()) as { access_token?: string; error_description?: string };
  if (response.status !== 200 || !body.access_token) throw new Error(`token request failed: ${response.status} ${body.error_description ?? ''}`);
  return body.access_token;
}
