/**
 * jose 6 is an ES module; this package compiles to CommonJS, so it is loaded with a dynamic import (Node 20 can
 * always `import()` an ES module) and its types are taken with an explicit resolution mode.
 */
export type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
export type Jwk = import('jose', { with: { 'resolution-mode': 'import' } }).JWK;
export type CryptoKeyLike = import('jose', { with: { 'resolution-mode': 'import' } }).CryptoKey;

let loading: Promise<Jose> | undefined;

/** Loads jose once and returns the module. */
export function loadJose(): Promise<Jose> {
  return (loading ??= import('jose'));
}
