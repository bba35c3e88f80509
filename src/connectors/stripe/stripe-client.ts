// The one way the Stripe connector talks to Stripe: Bearer secret key, the pinned Stripe-Version,
// form-encoded bodies, Idempotency-Key on every POST, and Stripe's own advice on retries.
import { ConnectorError, type ConnectorAccount } from '../../core/ports/connector.ts';
import type { ConnectorContext } from '../kit/definition.ts';
import type { TransportResponse } from '../kit/transport.ts';
import { encodeStripeForm, STRIPE_API_VERSION, type FormObject } from './transformers.ts';

export const GATEWAY = 'STRIPE';

/** Stripe says when a request may be retried: Stripe-Should-Retry, else 409 (lock) and 5xx. */
export function stripeShouldRetry(response: TransportResponse): boolean {
  const advice = response.headers['stripe-should-retry'];
  if (advice === 'true') return true;
  if (advice === 'false') return false;
  return response.status === 409 || response.status >= 500;
}

function secretKey(account: ConnectorAccount): string {
  const key = account.credentials.secret_key;
  if (!key) throw new ConnectorError('The Stripe account has no secret_key', GATEWAY, 'CONFIGURATION');
  return key;
}

export interface StripeClient {
  call(account: ConnectorAccount, operation: string, method: 'GET' | 'POST', path: string, form: FormObject | null, idempotencyKey?: string): Promise<TransportResponse>;
}

export function createStripeClient(context: ConnectorContext, baseUrl: string): StripeClient {
  return {
    async call(account, operation, method, path, form, idempotencyKey) {
      return context.transport.request({
        gateway: GATEWAY,
        operation,
        method,
        url: `${baseUrl}${path}`,
        headers: {
          authorization: `Bearer ${secretKey(account)}`,
          'stripe-version': STRIPE_API_VERSION,
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(form ? { body: encodeStripeForm(form) } : {}),
        ...(idempotencyKey ? { idempotencyKey, idempotencyHeader: 'Idempotency-Key' } : {}),
        retryOn: stripeShouldRetry,
        accountId: account.accountId,
      });
    },
  };
}
