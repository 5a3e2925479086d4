/** Shared set-up of the NetSuite client tests: credentials pointing at a running simulator. */
import { generateKeyPairSync } from 'node:crypto';
import { simulatorCredentials } from '../../dev/simulator-credentials';
import type { NetSuiteSimulator } from '../../simulators/netsuite';

/** Credentials of the simulator's default (ES256) client, with overrides. */
export const credentialsFor = simulatorCredentials;

/** A fresh RSA key pair as PKCS#8 / SPKI PEM (for PS256 clients and for "wrong key" cases). */
export function rsaKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Registers a client over the simulator's HTTP control API. */
export async function registerClient(sim: NetSuiteSimulator, input: { clientId: string; certificateId: string; publicKey: string }): Promise<void> {
  const response = await fetch(`${sim.controlUrl}/control/oauth/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  if (response.status !== 200) throw new Error(`registering the client failed: ${response.status} ${await response.text()}`);
}

/** Waits (polling the control API in-process) until `predicate` holds. Not a timing assertion: it only sequences a test. */
export async function until(predicate: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Runs `fn` and returns what it threw (fails when it did not throw). */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
