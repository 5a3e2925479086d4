/**
 * The official *Shipment Tracking* extension's REST routes, namespace `wc-shipment-tracking/v3`, served only while the
 * extension is active for the store (option `shipmentTracking`, switched at run time through the control API):
 *  - `GET /wp-json/wc-shipment-tracking/v3` — WordPress's namespace index `{namespace, routes, _links}`: how a client
 *    detects the extension. Like WordPress's index it needs no key (a given key is still checked: a wrong secret is 401);
 *  - `GET|POST /orders/<id>/shipment-trackings` (list oldest first; create → 201 + Location);
 *  - `GET /orders/<id>/shipment-trackings/providers` (the fixed PROVIDERS table below);
 *  - `GET|DELETE /orders/<id>/shipment-trackings/<tracking_id>` (tracking_id matches `[a-fA-F0-9]{0,32}`, else no route).
 * Authentication and permissions are those of wc/v3 (index.ts runs auth.ts for every route): reads need a key that may
 * read, writes the read/write key. An unknown or trashed order is 404 `woocommerce_rest_order_invalid_id` on every
 * order route. While the extension is off, index.ts answers every route here with `rest_no_route`, as for a route that
 * does not exist.
 *
 * Items live on the order (`Order.shipmentTrackings`, the extension's `_wc_shipment_tracking_items` meta) but are not
 * in the order's REST `meta_data`. Adding or deleting one saves the order: date_modified moves on and order.updated
 * fires; no order note is added.
 *
 * Creating: `{tracking_number (required, non-empty string), tracking_provider?, custom_tracking_provider?,
 * custom_tracking_link?, date_shipped?}`; strings are trimmed (wc_clean).
 *  - a non-empty `custom_tracking_provider` makes the item custom: tracking_provider '', tracking_link =
 *    custom_tracking_link;
 *  - otherwise a `tracking_provider` matching a known provider case-insensitively by name, slug (name lower-cased,
 *    spaces → '-') or sanitize_title form (`dhl-intraship-de`) is stored as that provider's slug, and tracking_link is
 *    its URL template with `%1$s` replaced by the number; an unknown provider is kept as given with tracking_link '';
 *  - `date_shipped`: `YYYY-MM-DD` (midnight UTC: WordPress runs PHP in UTC) or an ISO date-time, or a unix timestamp
 *    (number or digit string); missing, empty, zero or unreadable → now (the extension falls back to time()). Stored
 *    and answered as a unix timestamp string;
 *  - tracking_id = md5(`<custom or tracking provider>-<number>-<store-wide counter>`) (the extension mixes in
 *    microtime()): unique and repeatable from run to run;
 *  - a body carrying `tracking_id` → 400 `woocommerce_rest_shop_order_shipment_tracking_exists`, as the extension.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { SimContext } from './context';
import { invalidParam, WooError } from './errors';
import type { WooShipmentTrackingJson } from './rest-types';
import { bodyOf, numericId, sendWoo, type JsonObject } from './rest-util';
import type { Order, ShipmentTracking } from './store';

export const SHIPMENT_TRACKING_NAMESPACE = 'wc-shipment-tracking/v3';
export const SHIPMENT_TRACKING_PREFIX = `/wp-json/${SHIPMENT_TRACKING_NAMESPACE}`;
/** The route pattern of a tracking id, `(?P<id>[a-fA-F0-9]{0,32})`. */
export const TRACKING_ID_PATTERN = /^[a-fA-F0-9]{0,32}$/;
/** Name of the tracking-id path parameter in the route templates. */
export const TRACKING_ID_PARAM = 'trackingId';

/** The providers the extension knows, by country: name → URL template (`%1$s` = tracking number). */
export const PROVIDERS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'United States': {
    UPS: 'https://www.ups.com/track?tracknum=%1$s',
    USPS: 'https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=%1$s',
    FedEx: 'https://www.fedex.com/apps/fedextrack/?action=track&tracknumbers=%1$s',
    'DHL US': 'https://www.logistics.dhl/us-en/home/tracking/tracking-ecommerce.html?tracking-id=%1$s',
  },
  'United Kingdom': {
    'Royal Mail': 'https://www.royalmail.com/track-your-item#/tracking-results/%1$s',
    'DPD.co.uk': 'https://www.dpd.co.uk/apps/tracking/?reference=%1$s',
  },
  Germany: {
    'DHL Intraship (DE)': 'https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?lang=de&idc=%1$s',
  },
};

interface KnownProvider {
  name: string;
  slug: string;
  /** WordPress sanitize_title() of the name, also accepted. */
  sanitized: string;
  url: string;
}

const providerSlug = (name: string): string => name.toLowerCase().replace(/ /g, '-');
const sanitizeTitle = (name: string): string =>
  name
    .toLowerCase()
    .replace(/\./g, '-')
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/[\s-]+/g, '-')
    .replace(/^-+|-+$/g, '');

const KNOWN_PROVIDERS: readonly KnownProvider[] = Object.values(PROVIDERS).flatMap((group) =>
  Object.entries(group).map(([name, url]) => ({ name, slug: providerSlug(name), sanitized: sanitizeTitle(name), url })),
);

function knownProvider(value: string): KnownProvider | undefined {
  const wanted = value.trim().toLowerCase();
  if (wanted === '') return undefined;
  return KNOWN_PROVIDERS.find((p) => p.name.toLowerCase() === wanted || p.slug === wanted || p.sanitized === wanted);
}

/** Whether a route template belongs to the extension's namespace. */
export const isShipmentTrackingRoute = (template: string): boolean =>
  template === SHIPMENT_TRACKING_PREFIX || template.startsWith(`${SHIPMENT_TRACKING_PREFIX}/`);

/** The namespace index route, which needs no key. */
export const isShipmentTrackingIndex = (template: string): boolean => template === SHIPMENT_TRACKING_PREFIX;

export function trackingLink(item: ShipmentTracking): string {
  if (item.customTrackingProvider) return item.customTrackingLink;
  const provider = knownProvider(item.trackingProvider);
  return provider ? provider.url.split('%1$s').join(item.trackingNumber) : '';
}

export function shipmentTrackingJson(item: ShipmentTracking): WooShipmentTrackingJson {
  return {
    tracking_id: item.trackingId,
    tracking_provider: item.trackingProvider,
    custom_tracking_provider: item.customTrackingProvider,
    custom_tracking_link: item.customTrackingLink,
    tracking_number: item.trackingNumber,
    date_shipped: String(item.dateShipped),
    tracking_link: trackingLink(item),
  };
}

/** wc_clean() of a request value: a trimmed string ('' for anything that is not a string or a number). */
const clean = (value: unknown): string => (typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : '');

function dateShipped(ctx: SimContext, value: unknown): number {
  const now = Math.floor(ctx.clock.now() / 1000);
  if (typeof value === 'number') return Number.isFinite(value) && Math.trunc(value) > 0 ? Math.trunc(value) : now;
  if (typeof value !== 'string') return now;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) > 0 ? Number(text) : now;
  const parsed = ctx.clock.parse(text, true);
  return parsed === undefined ? now : Math.floor(parsed / 1000);
}

/** Saving the order after its tracking items changed: date_modified moves on, order.updated fires. */
function saveOrder(ctx: SimContext, order: Order): void {
  order.modifiedMs = ctx.clock.now();
  order.rev++;
  ctx.emit('order', 'updated', order.id);
}

/** `POST …/shipment-trackings`: validates the body, adds the item, saves the order. */
export function addShipmentTracking(ctx: SimContext, order: Order, body: JsonObject): ShipmentTracking {
  if (body.tracking_id !== undefined && body.tracking_id !== null && body.tracking_id !== '') {
    throw new WooError(400, 'woocommerce_rest_shop_order_shipment_tracking_exists', 'Cannot create existing order shipment tracking.');
  }
  const rawNumber = body.tracking_number;
  if (rawNumber === undefined || rawNumber === null) {
    throw new WooError(400, 'rest_missing_callback_param', 'Missing parameter(s): tracking_number', { params: ['tracking_number'] });
  }
  if (typeof rawNumber !== 'string') throw invalidParam('tracking_number', 'rest_invalid_type', 'tracking_number is not of type string.');
  const trackingNumber = rawNumber.trim();
  if (trackingNumber === '') throw invalidParam('tracking_number', 'rest_too_short', 'tracking_number must be at least 1 character long.');

  const customProvider = clean(body.custom_tracking_provider);
  const customLink = clean(body.custom_tracking_link);
  const givenProvider = clean(body.tracking_provider);
  const known = customProvider ? undefined : knownProvider(givenProvider);
  const trackingProvider = customProvider ? '' : known ? known.slug : givenProvider;
  const seq = ctx.store.trackingSeq();
  const item: ShipmentTracking = {
    trackingId: createHash('md5')
      .update(`${customProvider || trackingProvider}-${trackingNumber}-${seq}`)
      .digest('hex'),
    trackingProvider,
    customTrackingProvider: customProvider,
    customTrackingLink: customLink,
    trackingNumber,
    dateShipped: dateShipped(ctx, body.date_shipped),
  };
  order.shipmentTrackings.push(item);
  saveOrder(ctx, order);
  return item;
}

/** `DELETE …/shipment-trackings/<tracking_id>`: removes the item and saves the order. Unknown id → 404. */
export function deleteShipmentTracking(ctx: SimContext, order: Order, trackingId: string): ShipmentTracking {
  const index = order.shipmentTrackings.findIndex((t) => t.trackingId === trackingId);
  if (index < 0) throw invalidTrackingId();
  const [removed] = order.shipmentTrackings.splice(index, 1) as [ShipmentTracking];
  saveOrder(ctx, order);
  return removed;
}

const invalidOrderId = (): WooError => new WooError(404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.');
const invalidTrackingId = (): WooError => new WooError(404, 'woocommerce_rest_shipment_tracking_invalid_id', 'Invalid tracking ID.');

type Params = Record<string, string | undefined>;

/** WordPress's namespace index for the extension's namespace. */
function namespaceIndex(ctx: SimContext): JsonObject {
  const ns = SHIPMENT_TRACKING_NAMESPACE;
  const root = `${ctx.storeUrl()}/wp-json`;
  const base = `/${ns}/orders/(?P<order_id>[\\d]+)/shipment-trackings`;
  const context = { default: 'view', enum: ['view', 'edit'], required: false };
  const route = (endpoints: { methods: string[]; args: JsonObject }[], self?: string): JsonObject => ({
    namespace: ns,
    methods: endpoints.flatMap((e) => e.methods),
    endpoints,
    ...(self ? { _links: { self: [{ href: self }] } } : {}),
  });
  const optionalString = { type: 'string', required: false };
  return {
    namespace: ns,
    routes: {
      [`/${ns}`]: route(
        [{ methods: ['GET'], args: { namespace: { default: ns, required: false }, context: { default: 'view', required: false } } }],
        `${root}/${ns}`,
      ),
      [base]: route([
        { methods: ['GET'], args: { context } },
        {
          methods: ['POST'],
          args: {
            tracking_provider: optionalString,
            custom_tracking_provider: optionalString,
            custom_tracking_link: { type: 'string', format: 'uri', required: false },
            tracking_number: { type: 'string', required: true },
            date_shipped: { type: 'string', required: false },
          },
        },
      ]),
      [`${base}/providers`]: route([{ methods: ['GET'], args: {} }]),
      [`${base}/(?P<id>[a-fA-F0-9]{0,32})`]: route([
        { methods: ['GET'], args: { context } },
        { methods: ['DELETE'], args: {} },
      ]),
    },
    _links: { up: [{ href: `${root}/` }] },
  };
}

export function registerShipmentTrackingRoutes(app: FastifyInstance, ctx: SimContext): void {
  const T = `${SHIPMENT_TRACKING_PREFIX}/orders/:id/shipment-trackings`;
  const findOrder = (params: unknown): Order => {
    const id = numericId((params as Params).id);
    const order = id === undefined ? undefined : ctx.store.orders.get(id);
    if (!order || order.status === 'trash') throw invalidOrderId();
    return order;
  };
  const findItem = (order: Order, params: unknown): ShipmentTracking => {
    const trackingId = (params as Params)[TRACKING_ID_PARAM];
    const item = order.shipmentTrackings.find((t) => t.trackingId === trackingId);
    if (!item) throw invalidTrackingId();
    return item;
  };

  app.get(SHIPMENT_TRACKING_PREFIX, async (_request, reply) => sendWoo(reply, 200, namespaceIndex(ctx)));
  app.get(T, async (request, reply) => sendWoo(reply, 200, findOrder(request.params).shipmentTrackings.map(shipmentTrackingJson)));
  app.post(T, async (request, reply) => {
    const order = findOrder(request.params);
    const item = addShipmentTracking(ctx, order, bodyOf(request));
    reply.header('Location', `${ctx.storeUrl()}${SHIPMENT_TRACKING_PREFIX}/orders/${order.id}/shipment-trackings/${item.trackingId}`);
    return sendWoo(reply, 201, shipmentTrackingJson(item));
  });
  app.get(`${T}/providers`, async (request, reply) => {
    findOrder(request.params);
    return sendWoo(reply, 200, PROVIDERS);
  });
  app.get(`${T}/:${TRACKING_ID_PARAM}`, async (request, reply) => {
    const order = findOrder(request.params);
    return sendWoo(reply, 200, shipmentTrackingJson(findItem(order, request.params)));
  });
  app.delete(`${T}/:${TRACKING_ID_PARAM}`, async (request, reply) => {
    const order = findOrder(request.params);
    deleteShipmentTracking(ctx, order, findItem(order, request.params).trackingId);
    return sendWoo(reply, 200, { message: 'Successfully deleted shipment tracking.' });
  });
}
