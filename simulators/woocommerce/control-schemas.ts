/**
 * The zod schemas of the control API's input, over HTTP and in-process alike: the seed catalog (or a generated one),
 * an order draft, order status and patches, webhooks and their delivery faults, flushing, stock, latency, extensions
 * and the query strings of e-mails and deliveries.
 */
import { z } from 'zod';
import { ORDER_STATUSES } from './order-lifecycle';
import { isValidDeliveryUrl, isValidTopic } from './webhook-subscriptions';

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string such as "12.50"');
const stockSchema = z.record(z.string(), z.object({ onHand: z.number().int(), committed: z.number().int() }));
const taxClass = z.enum(['', 'reduced-rate']);

export const catalogSchema = z.object({
  seed: z.number().int(),
  currency: z.string().min(1),
  locations: z.array(z.object({ id: z.string(), name: z.string() })),
  products: z.array(
    z.object({
      sku: z.string().min(1),
      name: z.string(),
      type: z.enum(['simple', 'variable']),
      taxClass,
      price: decimal.optional(),
      cost: decimal.optional(),
      stock: stockSchema.optional(),
      variations: z.array(
        z.object({
          sku: z.string().min(1),
          attributes: z.array(z.object({ name: z.string(), option: z.string() })),
          price: decimal,
          cost: decimal,
          stock: stockSchema,
        }),
      ),
    }),
  ),
  customers: z.array(
    z.object({
      email: z.string(),
      emailAsTyped: z.string(),
      firstName: z.string(),
      lastName: z.string(),
      company: z.string(),
      phone: z.string(),
      address: z.object({ address1: z.string(), address2: z.string(), city: z.string(), state: z.string(), postcode: z.string(), country: z.string() }),
      registered: z.boolean(),
      inNetSuite: z.boolean(),
    }),
  ),
  taxRates: z.array(z.object({ id: z.number().int(), country: z.string(), state: z.string(), rate: decimal, name: z.string(), taxClass })),
  coupons: z.array(z.object({ code: z.string().min(1), discountType: z.enum(['percent', 'fixed_cart']), amount: decimal })),
  shippingMethods: z.array(z.object({ methodId: z.string(), title: z.string(), cost: decimal })),
  paymentMethods: z.array(z.object({ id: z.string(), title: z.string() })),
});

export const generateSchema = z.object({
  generate: z.object({
    seed: z.number().int().optional(),
    products: z.number().int().min(1).max(100_000).optional(),
    variableShare: z.number().min(0).max(1).optional(),
    customers: z.number().int().min(1).max(100_000).optional(),
  }),
});

export const checkoutSchema = z.object({
  customerEmail: z.string().optional(),
  lines: z
    .array(
      z.object({
        sku: z.string().min(1),
        quantity: z.number().int().positive(),
        raw: z.boolean().optional(),
        name: z.string().optional(),
        price: decimal.optional(),
      }),
    )
    .min(1, 'an order needs at least one line'),
  shippingMethodId: z.string().optional(),
  couponCodes: z.array(z.string()).default([]),
  fees: z.array(z.object({ name: z.string().min(1), total: decimal })).default([]),
  paymentMethodId: z.string().min(1),
  status: z.enum(['pending', 'processing', 'on-hold', 'completed']).default('processing'),
  customerNote: z.string().default(''),
});
export type CheckoutInput = z.input<typeof checkoutSchema>;

export const statusSchema = z.object({ status: z.enum(ORDER_STATUSES), note: z.string().optional() });
export const orderPatchSchema = z.record(z.string(), z.unknown());
export const orderIdSchema = z.coerce.number().int().positive();

export const webhookInputSchema = z.object({
  topic: z.string().refine(isValidTopic, 'must be a topic such as order.created, order.updated, product.updated'),
  delivery_url: z.string().refine(isValidDeliveryUrl, 'must be a URL starting with http:// or https://'),
  name: z.string().optional(),
  status: z.enum(['active', 'paused', 'disabled']).optional(),
  secret: z.string().min(1).optional(),
});
export type ControlWebhookInput = z.input<typeof webhookInputSchema>;
export const webhookPatchSchema = webhookInputSchema.partial();

const fraction = (name: string) =>
  z
    .number({ error: `${name} must be a number between 0 and 1` })
    .min(0, `${name} must be between 0 and 1`)
    .max(1, `${name} must be between 0 and 1`);
const wholeMs = (name: string) =>
  z
    .number({ error: `${name} must be a whole number of ms ≥ 0` })
    .int(`${name} must be a whole number of ms`)
    .min(0, `${name} must be ≥ 0`);
/** Webhook delivery faults; an omitted field keeps its value. Unknown fields are refused (a typo is not ignored). */
export const faultsSchema = z
  .object({
    /** Fraction of deliveries never sent (decided when queued). */
    dropFraction: fraction('dropFraction').optional(),
    /** Fraction of deliveries sent `duplicateCopies` times in total (decided when the delivery runs). */
    duplicateFraction: fraction('duplicateFraction').optional(),
    /** Total sends of a duplicated delivery. */
    duplicateCopies: z
      .number({ error: 'duplicateCopies must be a whole number ≥ 2' })
      .int('duplicateCopies must be a whole number')
      .min(2, 'duplicateCopies must be ≥ 2 (the total number of sends of a duplicated delivery)')
      .optional(),
    /** Extra delay of every delivery. */
    extraDelayMs: wholeMs('extraDelayMs').optional(),
    /** Fraction of deliveries made due a further uniform(0, delayMaxMs) later (out of order). */
    delayFraction: fraction('delayFraction').optional(),
    /** Upper bound of that random delay. */
    delayMaxMs: wholeMs('delayMaxMs').optional(),
  })
  .strict();
export const flushSchema = z.object({ runNow: z.boolean().optional(), timeoutMs: z.number().int().positive().optional() });
export const stockSetSchema = z.object({ sku: z.string().min(1), quantity: z.number().int() });
export const latencySchema = z.object({ fixedMs: z.number().min(0).optional(), jitterMs: z.number().min(0).optional() });
export const extensionsSchema = z.object({ shipmentTracking: z.boolean() }).strict();
export const emailsQuerySchema = z.object({ orderId: z.coerce.number().int().positive().optional() });
export const deliveriesQuerySchema = z.object({
  webhookId: z.coerce.number().int().optional(),
  resourceId: z.coerce.number().int().optional(),
  kind: z.enum(['delivery', 'ping']).optional(),
});
