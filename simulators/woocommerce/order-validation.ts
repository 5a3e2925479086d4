/** Validation of a REST order body (`POST /orders`, `PUT|PATCH /orders/<id>`, batch, control updates) before anything is changed. */
import { invalidParam, notOneOf } from './errors';
import { ORDER_STATUSES } from './order-lifecycle';
import { asInt, asString, type JsonObject } from './rest-util';

/** A status the REST API accepts (`rest_invalid_param` otherwise). */
export function validateStatus(value: unknown): string {
  const status = asString(value);
  if (!(ORDER_STATUSES as readonly string[]).includes(status)) throw notOneOf('status', ORDER_STATUSES);
  return status;
}

/** Validates a REST order body before anything is changed. */
export function validateOrderBody(body: JsonObject): void {
  if (body.status !== undefined) validateStatus(body.status);
  if (body.customer_id !== undefined && asInt(body.customer_id) === undefined) {
    throw invalidParam('customer_id', 'rest_invalid_type', 'customer_id is not of type integer.');
  }
  if (body.meta_data !== undefined && !Array.isArray(body.meta_data)) throw invalidParam('meta_data', 'rest_invalid_type', 'meta_data is not of type array.');
  if (body.line_items !== undefined && !Array.isArray(body.line_items))
    throw invalidParam('line_items', 'rest_invalid_type', 'line_items is not of type array.');
}
