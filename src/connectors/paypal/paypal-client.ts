// The one way the PayPal connector calls PayPal's API: the account's OAuth2 token, JSON bodies,
// PayPal-Request-Id from our key, and one more try with a fresh token when PayPal answers 401.
import { createHash } from 'node:crypto';
import type { ConnectorAccount } from '../../core/ports/connector.ts';
import type { HttpTransport, TransportResponse } from '../kit/transport.ts';
import type { PayPalBody } from './transformers.ts';
import { createPayPalTokens, GATEWAY } from './oauth-token.ts';

/** Retry 5xx and 429 with the same PayPal-Request-Id; never another 4xx. */
export function paypalShouldRetry(response: TransportResponse): boolean {
  return response.status >= 500 || response.status === 429;
}

/** PayPal-Request-Id takes at most 108 characters: a longer key is hashed (still one key per operation). */
export function requestId(key: string): string {
  return key.length <= 108 ? key : createHash('sha256').update(key).digest('hex');
}

export interface PayPalClient {
  /** PayPal's API origin (a `next` link is followed on it only). */
  baseUrl: string;
  /** Milliseconds since the epoch. */
  clock: () => number;
  call(account: ConnectorAccount, operation: string, method: 'GET' | 'POST', path: string, body: PayPalBody | string | null, key?: string): Promise<TransportResponse>;
}

export function createPayPalClient(transport: HttpTransport, baseUrl: string, clock: () => number): PayPalClient {
  const tokens = createPayPalTokens(transport, baseUrl, clock);
  return {
    baseUrl,
    clock,
    /** One API call with the account's token; a 401 (token expired or revoked at PayPal) fetches a new one and tries once more. */
    async call(account, operation, method, path, body, key) {
      const text = body === null ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const send = async (token: string) =>
        transport.request({
          gateway: GATEWAY,
          operation,
          method,
          url: `${baseUrl}${path}`,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(method === 'POST' ? { 'content-type': 'application/json', prefer: 'return=representation' } : {}) },
          ...(text !== undefined ? { body: text } : {}),
          ...(key ? { idempotencyKey: requestId(key), idempotencyHeader: 'PayPal-Request-Id' } : {}),
          retryOn: paypalShouldRetry,
          accountId: account.accountId,
        });
      const response = await send(await tokens.accessToken(account));
      if (response.status !== 401) return response;
      tokens.forget(account);
      return send(await tokens.accessToken(account, true));
    },
  };
}
