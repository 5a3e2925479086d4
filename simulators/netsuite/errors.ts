import type { FastifyReply } from 'fastify';

/** Content type of every NetSuite REST error body. */
export const ERROR_CONTENT_TYPE = 'application/vnd.oracle.resource+json; type=error';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const TYPES: Record<number, string> = {
  400: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.1',
  401: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html',
  403: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.4',
  404: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.5',
  405: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.6',
  429: 'https://tools.ietf.org/html/rfc6585#section-4',
  500: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.5.1',
  502: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.5.3',
  503: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.5.4',
};

export interface NsErrorDetail {
  detail: string;
  'o:errorCode': string;
  'o:errorPath'?: string;
}

export interface NsErrorBody {
  type: string;
  title: string;
  status: number;
  'o:errorDetails': NsErrorDetail[];
}

/** A NetSuite-shaped failure of a vendor request; the vendor error handler turns it into the standard body. */
export class NsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly path?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'NsError';
  }
}

export function nsErrorBody(status: number, code: string, detail: string, path?: string): NsErrorBody {
  const entry: NsErrorDetail = { detail, 'o:errorCode': code };
  if (path !== undefined) entry['o:errorPath'] = path;
  return {
    type: TYPES[status] ?? 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html',
    title: TITLES[status] ?? 'Error',
    status,
    'o:errorDetails': [entry],
  };
}

export function sendNsError(reply: FastifyReply, error: NsError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply
    .code(error.status)
    .header('content-type', ERROR_CONTENT_TYPE)
    .send(json(nsErrorBody(error.status, error.code, error.message, error.path)));
}

/** 400 shortcuts used across the record and query APIs. */
export const badRequest = (code: string, detail: string, path?: string): NsError => new NsError(400, code, detail, path);
export const userError = (detail: string, path?: string): NsError => badRequest('USER_ERROR', detail, path);

export function notFound(): NsError {
  return new NsError(404, 'NONEXISTENT_ID', 'The record instance does not exist. Provide a valid record instance ID.');
}

/** A JSON body as a Buffer: Fastify then keeps our content type exactly as set (a string body would get it rewritten). */
export const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
