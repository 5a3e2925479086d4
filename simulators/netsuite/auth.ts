/**
 * OAuth 2.0 client credentials (machine to machine): registered clients (client ID + certificate ID + public key),
 * the token endpoint that really verifies the JWT assertion with jose, the store of opaque access tokens, and the
 * bearer check of every record / query / system request.
 *
 * NetSuite's exact token-endpoint error bodies are unconfirmed: the simulator answers RFC 6749 shaped errors
 * (`{"error": "invalid_grant", "error_description": "…"}`) whose description names the check that failed.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CONTENT_TYPE } from './errors';
import { loadJose, type CryptoKeyLike, type Jwk } from './jose';

export const TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';
export const ALLOWED_ALGORITHMS = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const MAX_ASSERTION_LIFETIME_SECONDS = 3600;

export interface ClientRegistration {
  clientId: string;
  /** Certificate ID of the client-credentials mapping: the JWT `kid`. */
  certificateId: string;
  /** Public key as SPKI PEM, or a public JWK. */
  publicKey: string | Jwk;
  /** Scopes the mapping allows. Default `['rest_webservices']`. */
  scopes?: string[];
}

interface RegisteredClient {
  clientId: string;
  certificateId: string;
  publicKey: string | Jwk;
  scopes: string[];
  keys: Map<string, CryptoKeyLike>;
}

export interface DefaultClient {
  clientId: string;
  certificateId: string;
  algorithm: 'ES256';
  privateKeyPem: string;
  publicKeyPem: string;
}

interface TokenRecord {
  clientId: string;
  expiresAt: number;
}

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

/** The body of every 401 answered for a missing, unknown, expired or revoked token. */
export const INVALID_LOGIN_BODY = JSON.stringify({
  type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html',
  title: 'Unauthorized',
  status: 401,
  'o:errorDetails': [
    {
      detail:
        'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
      'o:errorCode': 'INVALID_LOGIN',
    },
  ],
});

export interface AuthSettings {
  accountId: string;
  tokenLifetimeSeconds: number;
  expiresInAsString: boolean;
  onTokenMinted: () => void;
}

export class OAuthServer {
  private readonly clients = new Map<string, RegisteredClient>();
  private readonly tokens = new Map<string, TokenRecord>();
  tokenUrl = '';

  constructor(readonly settings: AuthSettings) {}

  registerClient(registration: ClientRegistration): void {
    this.clients.set(registration.certificateId, {
      clientId: registration.clientId,
      certificateId: registration.certificateId,
      publicKey: registration.publicKey,
      scopes: registration.scopes ?? ['rest_webservices'],
      keys: new Map(),
    });
  }

  /** Generates an EC P-256 key pair and registers it as a client (used for the default client). */
  async createDefaultClient(): Promise<DefaultClient> {
    const jose = await loadJose();
    const { privateKey, publicKey } = await jose.generateKeyPair('ES256', { extractable: true });
    const client: DefaultClient = {
      clientId: `sim-client-${randomBytes(6).toString('hex')}`,
      certificateId: `sim-cert-${randomBytes(6).toString('hex')}`,
      algorithm: 'ES256',
      privateKeyPem: await jose.exportPKCS8(privateKey),
      publicKeyPem: await jose.exportSPKI(publicKey),
    };
    this.registerClient({ clientId: client.clientId, certificateId: client.certificateId, publicKey: client.publicKeyPem });
    return client;
  }

  /** Revokes every live token; returns how many there were. */
  revokeAll(): number {
    const count = this.liveTokenCount();
    this.tokens.clear();
    return count;
  }

  liveTokenCount(): number {
    const now = Date.now();
    let count = 0;
    for (const [token, record] of this.tokens) {
      if (record.expiresAt > now) count++;
      else this.tokens.delete(token);
    }
    return count;
  }

  isValid(token: string): boolean {
    const record = this.tokens.get(token);
    if (!record) return false;
    if (record.expiresAt <= Date.now()) {
      this.tokens.delete(token);
      return false;
    }
    return true;
  }

  private async keyFor(client: RegisteredClient, alg: string): Promise<CryptoKeyLike> {
    const cached = client.keys.get(alg);
    if (cached) return cached;
    const jose = await loadJose();
    let key: CryptoKeyLike;
    try {
      const imported = typeof client.publicKey === 'string' ? await jose.importSPKI(client.publicKey, alg) : await jose.importJWK(client.publicKey, alg);
      if (imported instanceof Uint8Array) throw new Error('symmetric keys are not allowed');
      key = imported;
    } catch (error) {
      throw new OAuthError(
        400,
        'invalid_grant',
        `alg ${alg} does not fit the public key registered for certificate ${client.certificateId}: ${(error as Error).message}`,
      );
    }
    client.keys.set(alg, key);
    return key;
  }

  /** Verifies a client assertion and mints an access token; throws OAuthError naming the failed check. */
  async mint(form: Record<string, string>): Promise<{ access_token: string; expires_in: number | string; token_type: string }> {
    if (form.grant_type !== 'client_credentials') {
      throw new OAuthError(400, 'unsupported_grant_type', `grant_type must be client_credentials, got ${JSON.stringify(form.grant_type ?? null)}`);
    }
    if (form.client_assertion_type !== JWT_BEARER) {
      throw new OAuthError(400, 'invalid_request', `client_assertion_type must be ${JWT_BEARER}`);
    }
    const assertion = form.client_assertion;
    if (!assertion) throw new OAuthError(400, 'invalid_request', 'client_assertion is missing');
    const jose = await loadJose();
    let header: ReturnType<typeof jose.decodeProtectedHeader>;
    let claims: ReturnType<typeof jose.decodeJwt>;
    try {
      header = jose.decodeProtectedHeader(assertion);
      claims = jose.decodeJwt(assertion);
    } catch {
      throw new OAuthError(400, 'invalid_grant', 'client_assertion is not a valid JWT');
    }
    const alg = header.alg ?? '';
    if (!(ALLOWED_ALGORITHMS as readonly string[]).includes(alg)) {
      throw new OAuthError(400, 'invalid_grant', `alg ${alg || '(missing)'} is not allowed; use one of ${ALLOWED_ALGORITHMS.join(', ')}`);
    }
    if (header.typ !== undefined && header.typ.toUpperCase() !== 'JWT') {
      throw new OAuthError(400, 'invalid_grant', `typ ${header.typ} is not allowed; use JWT`);
    }
    if (!header.kid) throw new OAuthError(400, 'invalid_grant', 'kid (the certificate ID) is missing from the JWT header');
    const client = this.clients.get(header.kid);
    if (!client) throw new OAuthError(401, 'invalid_client', `kid ${header.kid} is not a registered certificate ID`);
    if (claims.iss !== client.clientId) {
      const known = [...this.clients.values()].some((c) => c.clientId === claims.iss);
      if (!known) throw new OAuthError(401, 'invalid_client', `iss ${String(claims.iss ?? '(missing)')} is not a registered client ID`);
      throw new OAuthError(400, 'invalid_grant', `iss ${String(claims.iss)} is not the client ID registered with certificate ${client.certificateId}`);
    }
    const key = await this.keyFor(client, alg);
    try {
      await jose.jwtVerify(assertion, key, { algorithms: [alg] });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
        throw new OAuthError(400, 'invalid_grant', 'signature is invalid: the assertion was not signed by the key registered for this certificate');
      if (code === 'ERR_JWT_EXPIRED') throw new OAuthError(400, 'invalid_grant', 'the assertion has expired (exp is in the past)');
      throw new OAuthError(400, 'invalid_grant', `the assertion was refused: ${(error as Error).message}`);
    }
    if (typeof claims.iat !== 'number') throw new OAuthError(400, 'invalid_grant', 'iat claim is missing');
    if (typeof claims.exp !== 'number') throw new OAuthError(400, 'invalid_grant', 'exp claim is missing');
    if (claims.exp - claims.iat > MAX_ASSERTION_LIFETIME_SECONDS) {
      throw new OAuthError(400, 'invalid_grant', `exp - iat is ${claims.exp - claims.iat} s; at most ${MAX_ASSERTION_LIFETIME_SECONDS} s is allowed`);
    }
    const aud = claims.aud;
    const audOk = aud === this.tokenUrl || (Array.isArray(aud) && aud.includes(this.tokenUrl));
    if (!audOk) throw new OAuthError(400, 'invalid_grant', `aud ${JSON.stringify(aud ?? null)} is not the token endpoint URL ${this.tokenUrl}`);
    const rawScope: unknown = claims.scope;
    const scopes = typeof rawScope === 'string' ? rawScope.split(/[\s,]+/).filter(Boolean) : Array.isArray(rawScope) ? rawScope.map(String) : [];
    if (!scopes.includes('rest_webservices'))
      throw new OAuthError(400, 'invalid_grant', `scope ${JSON.stringify(rawScope ?? null)} does not include rest_webservices`);
    if (!client.scopes.includes('rest_webservices'))
      throw new OAuthError(400, 'invalid_grant', `the client-credentials mapping of ${client.clientId} does not allow the rest_webservices scope`);

    const token = randomBytes(32).toString('base64url');
    const lifetime = this.settings.tokenLifetimeSeconds;
    this.tokens.set(token, { clientId: client.clientId, expiresAt: Date.now() + lifetime * 1000 });
    this.settings.onTokenMinted();
    return { access_token: token, expires_in: this.settings.expiresInAsString ? String(lifetime) : lifetime, token_type: 'bearer' };
  }

  /** Registers the token endpoint and the form-urlencoded body parser on the vendor app. */
  installTokenEndpoint(app: FastifyInstance): void {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      const form: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(String(body))) form[k] = v;
      done(null, form);
    });
    app.post(TOKEN_PATH, async (request, reply) => {
      const contentType = String(request.headers['content-type'] ?? '');
      if (!contentType.startsWith('application/x-www-form-urlencoded')) {
        return reply.code(400).send({ error: 'invalid_request', error_description: 'Content-Type must be application/x-www-form-urlencoded' });
      }
      try {
        const body = await this.mint((request.body ?? {}) as Record<string, string>);
        return reply.code(200).header('cache-control', 'no-store').send(body);
      } catch (error) {
        if (error instanceof OAuthError) return reply.code(error.status).send({ error: error.error, error_description: error.message });
        throw error;
      }
    });
  }

  /** Sends the exact 401 NetSuite answers for a bad token. */
  sendInvalidLogin(reply: FastifyReply): FastifyReply {
    return reply
      .code(401)
      .header('www-authenticate', `Bearer realm="${this.settings.accountId}", error="invalid_token", error_description="Invalid login attempt."`)
      .header('content-type', ERROR_CONTENT_TYPE)
      .send(Buffer.from(INVALID_LOGIN_BODY));
  }

  /** True when the request carries a live bearer token. */
  authorized(request: FastifyRequest): boolean {
    const header = request.headers.authorization;
    if (typeof header !== 'string' || header.length < 8 || header.slice(0, 7).toLowerCase() !== 'bearer ') return false;
    return this.isValid(header.slice(7).trim());
  }
}

/** Paths that need a bearer token. */
export function requiresToken(path: string): boolean {
  return /^\/services\/rest\/(record|query|system|async)(\/|$)/.test(path);
}
