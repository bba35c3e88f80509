// Shared test data for the PayU connector's tests: an emulator account, requests of each payment
// method, and a stand-in for the shopper's browser at PayU (hosted page, bank page, return post).
import type { AuthorizeRequest, ConnectorAccount } from '../../core/ports/connector.ts';

export const PAYU_KEY = 'gtKFFx';
export const PAYU_SALT = 'eCwWELxi4Yb3Wa9wQ1Vp';

export function payuAccount(overrides: Partial<Record<string, string>> = {}): ConnectorAccount {
  return {
    accountId: 'gwa_payu_test',
    merchantId: 'm_test',
    gateway: 'PAYU',
    gatewayReferenceId: null,
    credentials: { merchant_key: PAYU_KEY, merchant_salt: PAYU_SALT, ...overrides } as Record<string, string>,
  };
}

export function payuCardRequest(overrides: Partial<AuthorizeRequest> = {}, number = '5123456789012346'): AuthorizeRequest {
  return {
    txnId: 'm_test-o1-1',
    txnUuid: 'txn_1',
    orderId: 'o1',
    merchantId: 'm_test',
    amount: 10_000,
    currency: 'INR',
    paymentMethodType: 'CARD',
    paymentMethod: 'MASTERCARD',
    authType: null,
    captureMode: 'AUTO',
    upi: null,
    wallet: null,
    bank: null,
    customerId: null,
    customerEmail: 'shopper@example.com',
    card: {
      number,
      expMonth: '05',
      expYear: '2031',
      cvv: '123',
      holderName: 'Asha Shopper',
      bin: number.slice(0, 6),
      last4: number.slice(-4),
      brand: 'MASTERCARD',
      type: 'CREDIT',
      issuer: null,
      issuerCountry: 'IN',
    },
    returnUrl: 'http://127.0.0.1:1/txns/txn_1/return',
    idempotencyKey: 'idem-1',
    ...overrides,
  };
}

export function payuUpiRequest(txnType: 'UPI_COLLECT' | 'UPI_PAY', overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  return payuCardRequest({ paymentMethodType: 'UPI', paymentMethod: 'UPI', card: null, upi: { txnType, vpa: txnType === 'UPI_COLLECT' ? 'shopper@okhdfcbank' : null, app: null }, ...overrides });
}

export function payuNbRequest(method: string, overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  return payuCardRequest({ paymentMethodType: 'NB', paymentMethod: method, bank: method.replace(/^NB_/, ''), card: null, ...overrides });
}

export function payuWalletRequest(name: string, overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  return payuCardRequest({ paymentMethodType: 'WALLET', paymentMethod: name, wallet: { name, directToken: null }, card: null, ...overrides });
}

const unescapeHtml = (value: string) =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The first form of an HTML page: its action and hidden inputs. */
export function firstForm(html: string): { action: string; inputs: Record<string, string> } | null {
  const form = /<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return null;
  const inputs: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<input\b[^>]*name="([^"]*)"[^>]*value="([^"]*)"[^>]*>/gi)) inputs[unescapeHtml(input[1]!)] = unescapeHtml(input[2]!);
  return { action: unescapeHtml(form[1]!), inputs };
}

/**
 * The shopper's browser: posts the redirect form to PayU, chooses on PayU's (or the bank's) page,
 * and returns where PayU's self-submitting form would post (our return URL) with its fields. An
 * error page (wrong hash, duplicate txnid) ends with no return: `returnUrl` null, no params.
 */
export async function payAtPayu(
  authentication: { method: 'GET' | 'POST'; url: string; params?: Record<string, string> },
  choice: 'success' | 'failure' | 'cancel' = 'success',
): Promise<{ returnUrl: string | null; params: Record<string, string> }> {
  const postForm = async (url: string, fields: Record<string, string>) =>
    (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() })).text();
  let html = authentication.method === 'GET' ? await (await fetch(authentication.url)).text() : await postForm(authentication.url, authentication.params ?? {});
  for (let step = 0; step < 4; step++) {
    const form = firstForm(html);
    if (!form) return { returnUrl: null, params: {} };
    if (!form.action.includes('/__emulator/pay/')) return { returnUrl: form.action, params: form.inputs };
    html = await postForm(form.action, { ...form.inputs, result: choice });
  }
  return { returnUrl: null, params: {} };
}
