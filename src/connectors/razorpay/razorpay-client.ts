// The one way the Razorpay connector talks to Razorpay: HTTP Basic key_id:key_secret, JSON bodies,
// an idempotency header only where Razorpay honours one (refunds).
import { ConnectorError, type ConnectorAccount } from '../../core/ports/connector.ts';
import type { ConnectorContext } from '../kit/definition.ts';
import type { TransportResponse } from '../kit/transport.ts';
import type { Json } from './transformers.ts';
import type { RazorpaySettings } from './requests.ts';

export const GATEWAY = 'RAZORPAY';

/** Reads may be retried on 5xx and 429; a POST is retried only when it carries an idempotency key (refunds). */
export function razorpayShouldRetry(response: TransportResponse): boolean {
  return response.status >= 500 || response.status === 429 || response.status === 409;
}

export function keys(account: ConnectorAccount): { keyId: string; keySecret: string } {
  const keyId = account.credentials.key_id;
  const keySecret = account.credentials.key_secret;
  if (!keyId || !keySecret) throw new ConnectorError('The Razorpay account has no key_id or key_secret', GATEWAY, 'CONFIGURATION');
  return { keyId, keySecret };
}

export function settings(account: ConnectorAccount): RazorpaySettings {
  return { rawCardDataEnabled: account.credentials.raw_card_data_enabled === 'true', refundSpeed: account.credentials.refund_speed === 'optimum' ? 'optimum' : 'normal' };
}

export interface RazorpayClient {
  call(account: ConnectorAccount, operation: string, method: 'GET' | 'POST', path: string, body: Json | null, idempotency?: { key: string; header: string }): Promise<TransportResponse>;
}

export function createRazorpayClient(context: ConnectorContext, baseUrl: string): RazorpayClient {
  return {
    call(account, operation, method, path, body, idempotency) {
      const { keyId, keySecret } = keys(account);
      return context.transport.request({
        gateway: GATEWAY,
        operation,
        method,
        url: `${baseUrl}${path}`,
        headers: { authorization: `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        ...(idempotency ? { idempotencyKey: idempotency.key, idempotencyHeader: idempotency.header } : {}),
        retryOn: razorpayShouldRetry,
        accountId: account.accountId,
      });
    },
  };
}
