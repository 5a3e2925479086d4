/**
 * The WooCommerce client's webhook endpoints, for the catch-up: list the store's webhooks in a status, and activate
 * one WooCommerce disabled.
 */
import { z } from 'zod';
import { MAX_PER_PAGE, type WooCallOptions, type WooHttp } from './client-http';

/** A webhook as GET /webhooks lists it (the fields this product reads). */
export interface WooWebhook {
  id: number;
  topic: string;
  status: 'active' | 'paused' | 'disabled';
  deliveryUrl: string;
}

export interface WooWebhookEndpoints {
  /** GET /webhooks?status=<status>&per_page=100: the store's webhooks in that status (first page; a store has a handful). */
  listWebhooks(status: WooWebhook['status'], options?: WooCallOptions): Promise<WooWebhook[]>;
  /** PUT /webhooks/<id> {"status":"active"}: delivers again (WooCommerce disables a webhook after its 6th failure in a row). */
  activateWebhook(webhookId: number, options?: WooCallOptions): Promise<void>;
}

const wooWebhookSchema = z.object({
  id: z.number().int().positive(),
  topic: z.string(),
  status: z.enum(['active', 'paused', 'disabled']),
  delivery_url: z.string(),
});

export function webhookEndpoints({ call, parsed, jsonArray }: WooHttp): WooWebhookEndpoints {
  return {
    async listWebhooks(status, callOptions = {}) {
      const operation = 'GET /webhooks';
      const { text } = await call('GET', '/webhooks', {
        params: { status, per_page: String(MAX_PER_PAGE), _fields: 'id,topic,status,delivery_url' },
        signal: callOptions.signal,
      });
      return jsonArray(operation, text, 'webhooks').map((value, index) => {
        const webhook = parsed(wooWebhookSchema, operation, value, `webhooks[${index}]`);
        return { id: webhook.id, topic: webhook.topic, status: webhook.status, deliveryUrl: webhook.delivery_url };
      });
    },

    async activateWebhook(webhookId, callOptions = {}) {
      await call('PUT', `/webhooks/${webhookId}`, { data: { status: 'active' }, signal: callOptions.signal });
    },
  };
}
