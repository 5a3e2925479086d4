/**
 * The WooCommerce stores: WOO_STORES names them, each store's WOO_<NAME>_* variables hold its URL and secrets, and
 * WOO_DEFAULT_STORE is the store the CLI's order commands use without --store. WOO_STORES is read here only
 * (storeNames); the CLI's commands use it too.
 */
import { z } from 'zod';
import { configError, displayUrl, envValue, parseEach, parseSettings, processEnv, secretSetting, settingsGroup, splitList } from './env';

/** One WooCommerce store: produced from the WOO_* settings (see loadStoreSettings). */
export interface StoreSettings {
  /** Configured name, lower-case letters, digits and `-` (one of WOO_STORES; used in workflow IDs and the WooStore search attribute). */
  name: string;
  /** Store URL with a trailing slash, as WooCommerce sends it in `X-WC-Webhook-Source` (WOO_<NAME>_URL). */
  url: string;
  /** REST API consumer key (WOO_<NAME>_CONSUMER_KEY). A secret: never logged. */
  consumerKey: string;
  /** REST API consumer secret (WOO_<NAME>_CONSUMER_SECRET). A secret: never logged. */
  consumerSecret: string;
  /** The secret WooCommerce signs webhook deliveries with (WOO_<NAME>_WEBHOOK_SECRET). A secret: never logged. */
  webhookSecret: string;
}

const secret = (description: string) => secretSetting(envValue(z.string({ error: 'required' }))).describe(description);

/** The per-store variables, without their `WOO_<NAME>_` prefix (all required; loadStoreSettings parses them). */
export const storeSettingsSchema = settingsGroup(
  z.object({
    URL: envValue(z.string({ error: 'required' })).describe('The store URL (WordPress home), e.g. https://shop.example.com; normalised to end with /.'),
    CONSUMER_KEY: secret('REST API consumer key (ck_…).'),
    CONSUMER_SECRET: secret('REST API consumer secret (cs_…).'),
    WEBHOOK_SECRET: secret("The secret of the store's order webhooks: the receiver refuses a delivery it did not sign."),
  }),
  {
    title: 'WooCommerce store',
    description: 'Each store named in WOO_STORES, read as WOO_<NAME>_* (the name upper-cased, - → _: eu-west → WOO_EU_WEST_URL).',
    prefixes: [storeEnvPrefix('<name>')],
  },
);

/** The configured stores, and the CLI's default one (zod over env). */
export const storesSettingsSchema = settingsGroup(
  z.object({
    WOO_STORES: envValue(z.string().optional()).describe(
      'Comma-separated store names (lower-case letters, digits, -), e.g. main,eu; each needs its WOO_<NAME>_* variables. Required by the worker and the receiver.',
    ),
    WOO_DEFAULT_STORE: envValue(z.string().optional()).describe(
      "The store the CLI's order commands (sync, status, retry, skip, list, reconcile) use without --store. Default: the only store in WOO_STORES.",
    ),
  }),
  { title: 'WooCommerce stores', description: 'Which WooCommerce stores this deployment syncs, and the one the CLI uses by default.' },
);

/** The configured store names (WOO_STORES), without needing their secrets; [] when unset. */
export function storeNames(env: NodeJS.ProcessEnv = processEnv()): string[] {
  return splitList(parseSettings(storesSettingsSchema, env).WOO_STORES);
}

/** The store the CLI uses without --store: WOO_DEFAULT_STORE, else the only one in WOO_STORES, else none. */
export function defaultStoreName(env: NodeJS.ProcessEnv = processEnv()): string | undefined {
  const preferred = parseSettings(storesSettingsSchema, env).WOO_DEFAULT_STORE;
  if (preferred !== undefined) return preferred;
  const names = storeNames(env);
  return names.length === 1 ? names[0] : undefined;
}

const STORE_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** The variable prefix of a store: `WOO_<NAME>_`, name upper-cased with `-` → `_` (`eu-west` → `WOO_EU_WEST_`). */
export function storeEnvPrefix(name: string): string {
  return `WOO_${name.toUpperCase().replace(/-/g, '_')}_`;
}

/**
 * Normalises a store URL as WooCommerce's `X-WC-Webhook-Source` spells it: scheme, lower-case host, port when not the
 * default, path ending with `/`. Throws a TypeError for anything but an http(s) URL without query or fragment.
 */
export function normaliseStoreUrl(raw: string): string {
  const url = new URL(raw.trim());
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('not an http(s) URL');
  if (url.username || url.password) throw new TypeError('carries a user name or password');
  if (url.search || url.hash) throw new TypeError('carries a query or fragment');
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return `${url.protocol}//${url.host.toLowerCase()}${path}`;
}

/** Reads WOO_STORES and each store's WOO_<NAME>_* variables. Throws a ConfigError naming each missing variable; duplicate URLs are refused. */
export function loadStoreSettings(env: NodeJS.ProcessEnv = processEnv()): StoreSettings[] {
  const problems: string[] = [];
  const list = parseSettings(storesSettingsSchema, env).WOO_STORES;
  if (list === undefined) {
    throw configError('WooCommerce store settings refused', ['WOO_STORES is not set: list the store names, e.g. WOO_STORES=main,eu']);
  }
  const names = splitList(list);
  if (names.length === 0) problems.push(`WOO_STORES=${list} names no store: list the store names, e.g. WOO_STORES=main,eu`);
  const stores: StoreSettings[] = [];
  const seenNames = new Set<string>();
  const seenUrls = new Map<string, string>();
  for (const name of names) {
    if (!STORE_NAME.test(name)) {
      problems.push(
        `WOO_STORES: "${name}" is not a store name: use lower-case letters, digits and - (not at either end)${/[A-Z]/.test(name) ? `, e.g. ${name.toLowerCase()}` : ''}`,
      );
      continue;
    }
    if (seenNames.has(name)) {
      problems.push(`WOO_STORES names ${name} twice: list each store once`);
      continue;
    }
    seenNames.add(name);
    const prefix = storeEnvPrefix(name);
    const { values, issues } = parseEach(storeSettingsSchema, env, prefix);
    if (issues.length > 0) problems.push(`store ${name} needs ${issues.map((issue) => issue.name).join(', ')}: set them`);
    let url: string | undefined;
    if (values.URL !== undefined) {
      try {
        url = normaliseStoreUrl(values.URL);
      } catch (error) {
        problems.push(`${prefix}URL=${displayUrl(values.URL)} is not a usable store URL (${(error as Error).message}): e.g. https://shop.example.com/`);
      }
    }
    if (url !== undefined) {
      const previous = seenUrls.get(url);
      if (previous !== undefined) {
        problems.push(`${prefix}URL=${url} is also the URL of store ${previous}: each store needs its own URL (webhooks are routed by X-WC-Webhook-Source)`);
      } else seenUrls.set(url, name);
    }
    if (values.CONSUMER_KEY?.startsWith('cs_') || values.CONSUMER_SECRET?.startsWith('ck_')) {
      problems.push(`${prefix}CONSUMER_KEY and ${prefix}CONSUMER_SECRET look swapped (the key starts with ck_, the secret with cs_)`);
    }
    const { CONSUMER_KEY: consumerKey, CONSUMER_SECRET: consumerSecret, WEBHOOK_SECRET: webhookSecret } = values;
    if (url !== undefined && consumerKey !== undefined && consumerSecret !== undefined && webhookSecret !== undefined) {
      stores.push({ name, url, consumerKey, consumerSecret, webhookSecret });
    }
  }
  if (problems.length > 0) throw configError('WooCommerce store settings refused', problems);
  return stores;
}

/**
 * The store a webhook came from, by its `X-WC-Webhook-Source` header: scheme, host (any case), port and path compared
 * after normalisation (trailing slash added). Undefined for a missing, malformed or unknown source.
 */
export function findStoreBySource(stores: readonly StoreSettings[], source: string | undefined): StoreSettings | undefined {
  if (source === undefined) return undefined;
  let wanted: string;
  try {
    wanted = normaliseStoreUrl(source);
  } catch {
    return undefined;
  }
  return stores.find((store) => {
    try {
      return normaliseStoreUrl(store.url) === wanted;
    } catch {
      return false;
    }
  });
}
