// Shared test data for the PayPal connector's tests: an emulator account, card and wallet requests,
// and the shopper's clicks on PayPal's pages (approval, 3-D Secure) as a browser would make them.
import type { AuthorizeRequest, ConnectorAccount } from '../../core/ports/connector.ts';

/** Shaped like a sandbox REST app's credentials (80 characters of letters, digits, - and _). */
export const PAYPAL_CLIENT_ID = 'AZjUnCt10nT3stC1i3nt1d0000000000000000000000000000000000000000000000000000000001';
export const PAYPAL_CLIENT_SECRET = 'EJunct10nT3stS3cr3t00000000000000000000000000000000000000000000000000000000000001';

export function paypalAccount(webhookId: string, overrides: Partial<Record<string, string>> = {}): ConnectorAccount {
  return {
    accountId: 'gwa_paypal_test',
    merchantId: 'm_test',
    gateway: 'PAYPAL',
    gatewayReferenceId: null,
    credentials: { client_id: PAYPAL_CLIENT_ID, client_secret: PAYPAL_CLIENT_SECRET, webhook_id: webhookId, raw_card_data_enabled: 'true', ...overrides } as Record<string, string>,
  };
}

export function paypalCardRequest(overrides: Partial<AuthorizeRequest> = {}, number = '4111111111111111'): AuthorizeRequest {
  return {
    txnId: 'm_test-o1-1',
    txnUuid: 'txn_1',
    orderId: 'o1',
    merchantId: 'm_test',
    amount: 10_000,
    currency: 'USD',
    paymentMethodType: 'CARD',
    paymentMethod: 'VISA',
    authType: null,
    captureMode: 'AUTO',
    upi: null,
    wallet: null,
    bank: null,
    customerId: null,
    customerEmail: 'shopper@example.com',
    card: {
      number,
      expMonth: '06',
      expYear: '2030',
      cvv: '123',
      holderName: 'A Shopper',
      bin: number.slice(0, 6),
      last4: number.slice(-4),
      brand: 'VISA',
      type: 'CREDIT',
      issuer: null,
      issuerCountry: null,
    },
    returnUrl: 'http://127.0.0.1:1/txns/txn_1/return',
    idempotencyKey: 'idem-1',
    ...overrides,
  };
}

export function paypalWalletRequest(overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  return paypalCardRequest({ paymentMethodType: 'WALLET', paymentMethod: 'PAYPAL', wallet: { name: 'PAYPAL', directToken: null }, card: null, ...overrides });
}

/**
 * Opens a PayPal page (approval or 3-D Secure) and clicks one of its links (`approve`, `cancel`,
 * `pass`, `fail`, `unknown`); answers where PayPal sends the browser back (the Location) and its query.
 */
export async function clickOnPayPalPage(url: string, choice: string): Promise<{ location: URL; params: Record<string, string> }> {
  const page = await fetch(url);
  const html = await page.text();
  const href = new RegExp(`id="${choice}" href="([^"]+)"`).exec(html)?.[1];
  if (!href) throw new Error(`no ${choice} link on ${url}: ${html.slice(0, 200)}`);
  const response = await fetch(new URL(href.replace(/&amp;/g, '&'), url), { redirect: 'manual' });
  await response.arrayBuffer();
  const location = response.headers.get('location');
  if (!location) throw new Error(`the ${choice} link did not redirect (HTTP ${response.status})`);
  const back = new URL(location);
  return { location: back, params: Object.fromEntries(back.searchParams) };
}
