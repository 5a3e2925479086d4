import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, findStoreBySource, loadStoreSettings, storeEnvPrefix } from '../../src/config';

const SECRETS = ['ck_main_key', 'cs_main_secret_do_not_echo', 'whsec-main-do-not-echo', 'cs_eu_secret_do_not_echo', 'whsec-eu-do-not-echo'];

const twoStores = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  WOO_STORES: 'main, eu-west',
  WOO_MAIN_URL: 'https://Shop.Example.com',
  WOO_MAIN_CONSUMER_KEY: 'ck_main_key',
  WOO_MAIN_CONSUMER_SECRET: 'cs_main_secret_do_not_echo',
  WOO_MAIN_WEBHOOK_SECRET: 'whsec-main-do-not-echo',
  WOO_EU_WEST_URL: 'https://eu.example.com/shop',
  WOO_EU_WEST_CONSUMER_KEY: 'ck_eu_key',
  WOO_EU_WEST_CONSUMER_SECRET: 'cs_eu_secret_do_not_echo',
  WOO_EU_WEST_WEBHOOK_SECRET: 'whsec-eu-do-not-echo',
  ...extra,
});

function refused(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadStoreSettings(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    const everything = `${error.message}\n${JSON.stringify(error)}`;
    for (const secret of SECRETS.slice(1)) assert.ok(!everything.includes(secret), `a secret in: ${error.message}`);
    return error;
  }
  assert.fail('the store settings were accepted');
}

describe('WooCommerce store settings', () => {
  it('each store in WOO_STORES is read from its WOO_<NAME>_* variables, with the URL normalised to end with /', () => {
    assert.equal(storeEnvPrefix('eu-west'), 'WOO_EU_WEST_');
    assert.deepEqual(loadStoreSettings(twoStores()), [
      {
        name: 'main',
        url: 'https://shop.example.com/',
        consumerKey: 'ck_main_key',
        consumerSecret: 'cs_main_secret_do_not_echo',
        webhookSecret: 'whsec-main-do-not-echo',
      },
      {
        name: 'eu-west',
        url: 'https://eu.example.com/shop/',
        consumerKey: 'ck_eu_key',
        consumerSecret: 'cs_eu_secret_do_not_echo',
        webhookSecret: 'whsec-eu-do-not-echo',
      },
    ]);
  });

  it('without WOO_STORES the receiver and worker refuse to start, naming it', () => {
    assert.match(refused({}).message, /WOO_STORES is not set/);
    assert.match(refused({ WOO_STORES: ' , ' }).message, /WOO_STORES=, names no store/);
  });

  it('every missing per-store variable is named, for every store', () => {
    const error = refused(twoStores({ WOO_MAIN_WEBHOOK_SECRET: undefined, WOO_EU_WEST_URL: '', WOO_EU_WEST_CONSUMER_KEY: undefined }));
    assert.match(error.message, /store main needs WOO_MAIN_WEBHOOK_SECRET/);
    assert.match(error.message, /store eu-west needs WOO_EU_WEST_URL, WOO_EU_WEST_CONSUMER_KEY/);
  });

  it('store names are lower-case letters, digits and -, each listed once', () => {
    assert.match(refused(twoStores({ WOO_STORES: 'Main' })).message, /"Main" is not a store name.*e\.g\. main/);
    assert.match(refused(twoStores({ WOO_STORES: 'main_shop' })).message, /"main_shop" is not a store name/);
    assert.match(refused(twoStores({ WOO_STORES: 'main,main' })).message, /names main twice/);
  });

  it('two stores with the same URL (after normalisation) are refused', () => {
    const error = refused(twoStores({ WOO_EU_WEST_URL: 'https://shop.example.com:443/' }));
    assert.match(error.message, /WOO_EU_WEST_URL=https:\/\/shop\.example\.com\/ is also the URL of store main/);
  });

  it('a store URL must be http(s) without query, and a swapped key and secret are caught', () => {
    assert.match(refused(twoStores({ WOO_MAIN_URL: 'ftp://shop.example.com' })).message, /WOO_MAIN_URL=ftp:\/\/shop\.example\.com is not a usable store URL/);
    assert.match(refused(twoStores({ WOO_MAIN_URL: 'https://shop.example.com/?lang=de' })).message, /WOO_MAIN_URL=.* query/);
    const swapped = refused(twoStores({ WOO_MAIN_CONSUMER_KEY: 'cs_main_secret_do_not_echo', WOO_MAIN_CONSUMER_SECRET: 'ck_main_key' }));
    assert.match(swapped.message, /WOO_MAIN_CONSUMER_KEY and WOO_MAIN_CONSUMER_SECRET look swapped/);
  });

  it('a webhook finds its store by X-WC-Webhook-Source: host in any case, trailing slash and default port optional', () => {
    const stores = loadStoreSettings(twoStores());
    const name = (source: string | undefined): string | undefined => findStoreBySource(stores, source)?.name;
    assert.equal(name('https://shop.example.com/'), 'main');
    assert.equal(name('https://SHOP.example.com'), 'main');
    assert.equal(name('https://shop.example.com:443/'), 'main');
    assert.equal(name('https://eu.example.com/shop/'), 'eu-west');
    assert.equal(name('https://eu.example.com/shop'), 'eu-west');
  });

  it('a source differing in scheme, port or path, or missing or malformed, matches no store', () => {
    const stores = loadStoreSettings(twoStores());
    for (const source of [
      'http://shop.example.com/',
      'https://shop.example.com:8443/',
      'https://shop.example.com/other/',
      'https://eu.example.com/',
      'https://eu.example.com/SHOP/',
      'not a url',
      '',
      undefined,
    ]) {
      assert.equal(findStoreBySource(stores, source), undefined, String(source));
    }
  });
});
