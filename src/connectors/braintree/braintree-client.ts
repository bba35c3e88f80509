// The one way the Braintree connector talks to Braintree: what the official Node SDK sends (HTTP
// Basic public_key:private_key, X-ApiVersion 6, JSON bodies, XML answers), under the merchant's path.
import { ConnectorError, type ConnectorAccount } from '../../core/ports/connector.ts';
import type { ConnectorContext } from '../kit/definition.ts';
import type { TransportResponse } from '../kit/transport.ts';
import { isPathSegment, type BraintreeBody } from './transformers.ts';

export const GATEWAY = 'BRAINTREE';
/** The API version the SDK pins (lib/braintree/config.js apiVersion). */
export const BRAINTREE_API_VERSION = '6';

/** Reads (GET) are retried on 5xx and 429; nothing else is (no idempotency key to make it safe). */
export function braintreeShouldRetry(response: TransportResponse): boolean {
  return response.status >= 500 || response.status === 429;
}

export interface Keys {
  merchantId: string;
  publicKey: string;
  privateKey: string;
}

export function keys(account: ConnectorAccount): Keys {
  const { merchant_id: merchantId, public_key: publicKey, private_key: privateKey } = account.credentials;
  if (!merchantId || !publicKey || !privateKey) throw new ConnectorError('The Braintree account needs merchant_id, public_key and private_key', GATEWAY, 'CONFIGURATION');
  if (!isPathSegment(merchantId)) throw new ConnectorError('The Braintree merchant_id is not a valid id', GATEWAY, 'CONFIGURATION');
  return { merchantId, publicKey, privateKey };
}

export interface BraintreeClient {
  call(account: ConnectorAccount, operation: string, method: 'GET' | 'POST' | 'PUT', path: string, body: BraintreeBody | null): Promise<TransportResponse>;
}

export function createBraintreeClient(context: ConnectorContext, baseUrl: string): BraintreeClient {
  return {
    call(account, operation, method, path, body) {
      const { merchantId, publicKey, privateKey } = keys(account);
      return context.transport.request({
        gateway: GATEWAY,
        operation,
        method,
        url: `${baseUrl}/merchants/${merchantId}${path}`,
        headers: {
          authorization: `Basic ${Buffer.from(`${publicKey}:${privateKey}`).toString('base64')}`,
          'x-apiversion': BRAINTREE_API_VERSION,
          accept: 'application/xml',
          'user-agent': 'Junction Braintree connector (client API v6)',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        retryOn: braintreeShouldRetry,
        accountId: account.accountId,
      });
    },
  };
}
