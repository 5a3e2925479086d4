/**
 * jose 6 is an ES module; this package compiles to CommonJS, so jose is loaded with a dynamic `import()` (Node 20 can
 * always import an ES module from CommonJS) and its types are taken with an explicit resolution mode.
 */
export type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
/** A key object jose signs with (a WebCrypto `CryptoKey`). */
export type JoseKey = import('jose', { with: { 'resolution-mode': 'import' } }).CryptoKey;

let loading: Promise<Jose> | undefined;

/** Loads jose once per process and returns the module. */
export function loadJose(): Promise<Jose> {
  return (loading ??= import('jose'));
}
