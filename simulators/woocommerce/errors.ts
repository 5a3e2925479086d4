/**
 * WooCommerce / WordPress REST error shape: `{"code","message","data":{"status", ...}}`.
 */

export class WooError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra members of `data` besides `status` (e.g. `params`, `details` of rest_invalid_param). */
    readonly extraData: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'WooError';
  }

  toJSON(): { code: string; message: string; data: Record<string, unknown> } {
    return { code: this.code, message: this.message, data: { status: this.status, ...this.extraData } };
  }
}

/** 404 for any path/method WordPress has no route for. */
export const noRoute = (): WooError => new WooError(404, 'rest_no_route', 'No route was found matching the URL and request method.');

/** 400 `rest_invalid_param` as WP_REST_Request::has_valid_params builds it, for one or more parameters. */
export function invalidParams(problems: Record<string, { code: string; message: string }>): WooError {
  const names = Object.keys(problems);
  const params: Record<string, string> = {};
  const details: Record<string, { code: string; message: string; data: null }> = {};
  for (const name of names) {
    const problem = problems[name] as { code: string; message: string };
    params[name] = problem.message;
    details[name] = { code: problem.code, message: problem.message, data: null };
  }
  return new WooError(400, 'rest_invalid_param', `Invalid parameter(s): ${names.join(', ')}`, { params, details });
}

export const invalidParam = (name: string, code: string, message: string): WooError => invalidParams({ [name]: { code, message } });

/** 400 rest_invalid_param for a value outside an enum, worded like rest_validate_value_from_schema. */
export const notOneOf = (name: string, allowed: readonly string[]): WooError =>
  invalidParam(name, 'rest_not_in_enum', `${name} is not one of ${allowed.join(', ')}.`);

export const invalidJson = (detail: string): WooError =>
  new WooError(400, 'rest_invalid_json', 'Invalid JSON body passed.', { json_error_code: 4, json_error_message: detail });
