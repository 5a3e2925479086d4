/**
 * The zod schemas of the control API's input, over HTTP and in-process alike: the seed catalog, faults, governance
 * settings, OAuth clients, permissions, "SuiteScript deploys", item quantities, record bodies and ship statuses. (The
 * warehouse's fulfil and bill inputs: warehouse.ts.)
 */
import { z } from 'zod';
import { canonicalRecordType, RECORD_TYPES } from './schema';

const stockSchema = z.record(z.string(), z.object({ onHand: z.number().int().min(0), committed: z.number().int().min(0) }));
const addressSchema = z.object({
  address1: z.string().default(''),
  address2: z.string().default(''),
  city: z.string().default(''),
  state: z.string().default(''),
  postcode: z.string().default(''),
  country: z.string().default('US'),
});
export const seedCatalogSchema = z.object({
  seed: z.number().default(0),
  currency: z.string().default('USD'),
  locations: z.array(z.object({ id: z.string().regex(/^\d+$/, 'location IDs are numeric strings'), name: z.string() })).default([]),
  products: z
    .array(
      z.object({
        sku: z.string().min(1),
        name: z.string(),
        type: z.enum(['simple', 'variable']).default('simple'),
        taxClass: z.enum(['', 'reduced-rate']).default(''),
        price: z.string().optional(),
        cost: z.string().optional(),
        stock: stockSchema.optional(),
        variations: z
          .array(
            z.object({
              sku: z.string().min(1),
              attributes: z.array(z.object({ name: z.string(), option: z.string() })).default([]),
              price: z.string(),
              cost: z.string(),
              stock: stockSchema,
            }),
          )
          .default([]),
      }),
    )
    .default([]),
  customers: z
    .array(
      z.object({
        email: z.string().min(1),
        emailAsTyped: z.string().default(''),
        firstName: z.string().default(''),
        lastName: z.string().default(''),
        company: z.string().default(''),
        phone: z.string().default(''),
        address: addressSchema.default({ address1: '', address2: '', city: '', state: '', postcode: '', country: 'US' }),
        registered: z.boolean().default(true),
        inNetSuite: z.boolean().default(false),
      }),
    )
    .default([]),
  taxRates: z
    .array(z.object({ id: z.number(), country: z.string(), state: z.string(), rate: z.string(), name: z.string(), taxClass: z.enum(['', 'reduced-rate']) }))
    .default([]),
  coupons: z.array(z.object({ code: z.string(), discountType: z.enum(['percent', 'fixed_cart']), amount: z.string() })).default([]),
  shippingMethods: z.array(z.object({ methodId: z.string().min(1), title: z.string().min(1), cost: z.string().default('0.00') })).default([]),
  paymentMethods: z.array(z.object({ id: z.string(), title: z.string() })).default([]),
});

export const recordTypeSchema = z
  .string()
  .min(1)
  .transform((value, context) => {
    const type = canonicalRecordType(value);
    if (!type) {
      context.addIssue({ code: 'custom', message: `unknown record type '${value}'; use one of ${RECORD_TYPES.join(', ')}` });
      return z.NEVER;
    }
    return type;
  });

const routeSchema = z
  .object({ method: z.string().min(1).optional(), pathPrefix: z.string().startsWith('/', 'pathPrefix must start with /').optional() })
  .strict();

export const faultSchema = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('5xx'),
        status: z.union([z.literal(500), z.literal(502), z.literal(503)]).default(500),
        count: z.number().int().min(1).optional(),
        rate: z.number().min(0).max(1).optional(),
        route: routeSchema.optional(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('hang'),
        count: z.number().int().min(1).optional(),
        rate: z.number().min(0).max(1).optional(),
        route: routeSchema.optional(),
        ms: z.number().int().min(0).optional(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('429'),
        count: z.number().int().min(1).optional(),
        rate: z.number().min(0).max(1).optional(),
        route: routeSchema.optional(),
        /** Retry-After (seconds) of this fault's answers, overriding the governance-wide setting; null = no header; absent = the governance-wide setting. */
        retryAfterSeconds: z
          .number({ error: 'retryAfterSeconds must be a whole number of seconds ≥ 0, or null for no Retry-After header' })
          .int('retryAfterSeconds must be a whole number of seconds')
          .min(0, 'retryAfterSeconds must be ≥ 0')
          .nullable()
          .optional(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('slow-response'),
        count: z.number().int().min(1).optional(),
        rate: z.number().min(0).max(1).optional(),
        route: routeSchema.optional(),
        ms: z.number().int().min(0),
      })
      .strict(),
  ])
  .refine((f) => (f.count === undefined) !== (f.rate === undefined), {
    message: 'give exactly one of count (next N matching requests) or rate (0..1)',
    path: ['count'],
  });

export const governanceSchema = z
  .object({
    concurrencyLimit: z.number().int().min(1).optional(),
    latency: z
      .object({ fixedMs: z.number().min(0).optional(), jitterMs: z.number().min(0).optional() })
      .strict()
      .optional(),
    retryAfterSeconds: z.number().int().min(0).nullable().optional(),
    propertyNameValidationDefault: z.enum(['Error', 'Warning', 'Ignore']).optional(),
  })
  .strict();

export const clientSchema = z
  .object({
    clientId: z.string().min(1),
    certificateId: z.string().min(1),
    publicKey: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
    scopes: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const permissionSchema = z
  .object({
    recordType: recordTypeSchema.default('salesOrder'),
    operation: z.enum(['create', 'read', 'update', 'delete']).default('create'),
    allowed: z.boolean(),
  })
  .strict();

export const renameFieldSchema = z.object({ recordType: recordTypeSchema, from: z.string().min(1), to: z.string().min(1) }).strict();
export const makeMandatorySchema = z.object({ recordType: recordTypeSchema, scriptId: z.string().min(1), mandatory: z.boolean().default(true) }).strict();
export const addFieldSchema = z
  .object({
    recordType: recordTypeSchema,
    scriptId: z.string().min(1),
    label: z.string().min(1).optional(),
    type: z.enum(['text', 'textarea', 'integer', 'decimal', 'checkbox', 'date']).default('text'),
    mandatory: z.boolean().default(false),
  })
  .strict();

export const quantitiesSchema = z
  .object({
    location: z.union([z.string().regex(/^\d+$/), z.number().int().min(0).transform(String)]).default('1'),
    onHand: z.number().int().min(0).optional(),
    committed: z.number().int().min(0).optional(),
    onOrder: z.number().int().min(0).optional(),
    backordered: z.number().int().min(0).optional(),
    averageCost: z.number().min(0).optional(),
  })
  .strict();

export const recordBodySchema = z.object({}).catchall(z.unknown());

export const shipStatusSchema = z.object({ shipStatus: z.enum(['A', 'B', 'C']) }).strict();
