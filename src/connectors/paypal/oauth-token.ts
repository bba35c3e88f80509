// OAuth2 client credentials for PayPal: POST /v1/oauth2/token with Basic client_id:client_secret;
// the access token is cached per account until shortly before its expires_in, one fetch at a time
// per account, and fetched again on expiry or when the caller says the token was refused.
import { createHash } from 'node:crypto';
import { ConnectorError, type ConnectorAccount } from '../../core/ports/connector.ts';
import { TransportError, type HttpTransport, type TransportResponse } from '../kit/transport.ts';
import { parseJson } from '../kit/outcomes.ts';

export const GATEWAY = 'PAYPAL';

/** The OAuth2 token could not be had: nothing else was sent. */
export class PayPalAuthError extends Error {
  constructor(
    readonly code: 'invalid_client' | 'oauth_token_unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'PayPalAuthError';
  }
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

export interface PayPalTokens {
  accessToken(account: ConnectorAccount, fresh?: boolean): Promise<string>;
  /** Drops the account's cached token (PayPal answered 401 with it). */
  forget(account: ConnectorAccount): void;
}

function clientCredentials(account: ConnectorAccount): { id: string; secret: string } {
  const id = account.credentials.client_id;
  const secret = account.credentials.client_secret;
  if (!id || !secret) throw new ConnectorError('The PayPal account needs client_id and client_secret', GATEWAY, 'CONFIGURATION');
  return { id, secret };
}

/** One cache entry per account and credential pair (a rotated secret gets its own token). */
function cacheKey(account: ConnectorAccount): string {
  const { id, secret } = clientCredentials(account);
  return `${account.accountId}\u0000${id}\u0000${createHash('sha256').update(secret).digest('hex')}`;
}

async function fetchToken(transport: HttpTransport, baseUrl: string, clock: () => number, account: ConnectorAccount): Promise<CachedToken> {
  const { id, secret } = clientCredentials(account);
  let response: TransportResponse;
  try {
    response = await transport.request({
      gateway: GATEWAY,
      operation: 'oauth2Token',
      method: 'POST',
      url: `${baseUrl}/v1/oauth2/token`,
      headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'grant_type=client_credentials',
      accountId: account.accountId,
    });
  } catch (error) {
    // Refused: nothing reached PayPal (the payment call's own outcome says GATEWAY_DOWN). Otherwise no token: nothing was paid either.
    if (error instanceof TransportError && error.nothingSent) throw error;
    if (error instanceof TransportError) throw new PayPalAuthError('oauth_token_unavailable', `No OAuth2 token from PayPal (${error.kind}): nothing else was sent`);
    throw error;
  }
  const body = parseJson(response.text) as { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } | undefined;
  if (response.status === 200 && typeof body?.access_token === 'string' && typeof body.expires_in === 'number' && body.expires_in > 0) {
    const lifetimeMs = body.expires_in * 1000;
    // Refresh shortly before PayPal's expiry: a minute early, or a tenth of a short lifetime.
    return { token: body.access_token, expiresAt: clock() + lifetimeMs - Math.min(60_000, lifetimeMs / 10) };
  }
  if (response.status === 401 || body?.error === 'invalid_client')
    throw new PayPalAuthError('invalid_client', `PayPal refused the client id and secret (${typeof body?.error_description === 'string' ? body.error_description : `HTTP ${response.status}`})`);
  throw new PayPalAuthError('oauth_token_unavailable', `PayPal answered the token request with HTTP ${response.status}: nothing else was sent`);
}

export function createPayPalTokens(transport: HttpTransport, baseUrl: string, clock: () => number): PayPalTokens {
  const tokens = new Map<string, CachedToken>();
  const pending = new Map<string, Promise<CachedToken>>();
  return {
    async accessToken(account, fresh = false) {
      const key = cacheKey(account);
      const cached = tokens.get(key);
      if (cached && !fresh && clock() < cached.expiresAt) return cached.token;
      let inFlight = pending.get(key);
      if (!inFlight) {
        inFlight = fetchToken(transport, baseUrl, clock, account).finally(() => pending.delete(key));
        pending.set(key, inFlight);
      }
      const token = await inFlight;
      tokens.set(key, token);
      return token.token;
    },
    forget(account) {
      tokens.delete(cacheKey(account));
    },
  };
}
