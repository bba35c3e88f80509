// DEMO_CONNECTORS=emulators: the real connectors' emulators run inside the Junction process, and
// the demo merchant gets one account per real connector pointing at them, beside its simulated
// gateways. Payments routed to those accounts go over HTTP in each provider's wire format.
import { randomBytes } from 'node:crypto';
import type { GatewayAccountInput } from '../src/core/merchants/types.ts';
import type { MerchantService } from '../src/core/merchants/merchant-service.ts';
import { startStripeEmulator } from './stripe/stripe-emulator.ts';
import { startAdyenEmulator } from './adyen/adyen-emulator.ts';
import { startCheckoutEmulator } from './checkout/checkout-emulator.ts';
import { startRazorpayEmulator } from './razorpay/razorpay-emulator.ts';
import { startPayuEmulator } from './payu/payu-emulator.ts';
import { startPayPalEmulator } from './paypal/paypal-emulator.ts';
import { startBraintreeEmulator } from './braintree/braintree-emulator.ts';

export interface DemoEmulators {
  /** API origin per gateway, for the connector registry. */
  baseUrls: Record<string, string>;
  /** Gives the merchant one account per emulated gateway (or refreshes its credentials) and points each emulator's webhooks at Junction; answers the gateways. */
  addAccounts(merchants: MerchantService, merchantId: string, publicBaseUrl: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function startDemoEmulators(): Promise<DemoEmulators> {
  const stripeKey = `sk_test_demo${randomBytes(12).toString('hex')}`;
  const stripe = await startStripeEmulator({ apiKeys: [stripeKey] });
  const adyenKey = `AQE_demo_${randomBytes(16).toString('hex')}`;
  const adyen = await startAdyenEmulator({ apiKeys: [adyenKey] });
  const adyenMerchantAccount = 'JunctionDemoECOM';
  // A NAS sandbox key: sk_sbox_ and 27 characters of base32.
  const checkoutKey = `sk_sbox_${Array.from(randomBytes(27), (b) => 'abcdefghijklmnopqrstuvwxyz234567'[b % 32]).join('')}`;
  const checkout = await startCheckoutEmulator({ secretKeys: [checkoutKey] });
  // Razorpay: a key id (rzp_test_ and 14 characters) and its secret; UPI payments settle by themselves after 5 s.
  const razorpayKeyId = `rzp_test_${randomBytes(7).toString('hex')}`;
  const razorpayKeySecret = randomBytes(12).toString('hex');
  const razorpay = await startRazorpayEmulator({ keys: { [razorpayKeyId]: razorpayKeySecret }, upiSettleAfterMs: 5_000 });
  // PayU India: a merchant key and its salt; UPI collect settles by itself after 5 s.
  const payuKey = `jx${randomBytes(4).toString('hex')}`;
  const payuSalt = randomBytes(16).toString('hex');
  const payu = await startPayuEmulator({ accounts: { [payuKey]: payuSalt }, upiSettleAfterMs: 5_000 });
  // PayPal: an OAuth client; the webhook is registered first, since its id is one of the account's credentials.
  const paypalClientId = `demo_${randomBytes(12).toString('hex')}`;
  const paypalClientSecret = `demo_${randomBytes(16).toString('hex')}`;
  const paypal = await startPayPalEmulator({ clients: { [paypalClientId]: paypalClientSecret } });
  const paypalWebhookId = paypal.registerWebhook(paypalClientId, 'http://127.0.0.1/unset');
  // Braintree: a merchant with one key pair and an INR and a USD merchant account; it takes any Luhn-valid test card.
  const braintreeMerchant = {
    merchantId: `junctiondemo${randomBytes(4).toString('hex')}`,
    keys: [{ publicKey: `demopk${randomBytes(6).toString('hex')}`, privateKey: randomBytes(16).toString('hex') }],
    merchantAccounts: { junction_inr: 'INR', junction_usd: 'USD' },
  };
  const braintree = await startBraintreeEmulator({ merchants: [braintreeMerchant], acceptAnyLuhnCard: true, settleAfterMs: 60_000 });
  const accounts: Array<{ input: GatewayAccountInput & { credentials: Record<string, string> }; registerWebhook(url: string, secret: string): Promise<void> }> = [
    {
      input: {
        gateway: 'STRIPE',
        credentials: { secret_key: stripeKey, webhook_secret: `whsec_demo${randomBytes(12).toString('hex')}`, raw_card_data_enabled: 'true' },
        paymentMethodTypes: ['CARD'],
        currencies: [],
        enabled: true,
        priority: 60,
        fees: { percent: 2.9, fixed_minor: 30 },
      },
      registerWebhook: async (url, secret) => {
        await fetch(`${stripe.url}/__emulator/webhook_endpoints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: stripeKey, url, secret }) });
      },
    },
    {
      input: {
        gateway: 'ADYEN',
        credentials: { api_key: adyenKey, merchant_account: adyenMerchantAccount, hmac_key: randomBytes(32).toString('hex').toUpperCase(), raw_card_data_enabled: 'true' },
        paymentMethodTypes: ['CARD'],
        currencies: [],
        enabled: true,
        priority: 70,
        fees: { percent: 2.5, fixed_minor: 10 },
      },
      registerWebhook: async (url, secret) => adyen.addWebhookEndpoint(adyenMerchantAccount, url, secret),
    },
    {
      input: {
        gateway: 'CHECKOUT',
        credentials: { secret_key: checkoutKey, webhook_secret: `cko_demo_${randomBytes(16).toString('hex')}`, raw_card_data_enabled: 'true' },
        paymentMethodTypes: ['CARD'],
        currencies: [],
        enabled: true,
        priority: 80,
        fees: { percent: 2.2, fixed_minor: 20 },
      },
      registerWebhook: async (url, secret) => checkout.addWebhookEndpoint(checkoutKey, url, secret),
    },
    {
      input: {
        gateway: 'RAZORPAY',
        credentials: { key_id: razorpayKeyId, key_secret: razorpayKeySecret, webhook_secret: `rzp_demo_${randomBytes(12).toString('hex')}`, raw_card_data_enabled: 'true' },
        paymentMethodTypes: ['CARD', 'UPI', 'NB', 'WALLET'],
        currencies: [],
        enabled: true,
        priority: 90,
        fees: { percent: 2, fixed_minor: 0 },
      },
      registerWebhook: async (url, secret) => razorpay.addWebhookEndpoint(razorpayKeyId, url, secret),
    },
    {
      input: {
        gateway: 'PAYU',
        credentials: { merchant_key: payuKey, merchant_salt: payuSalt },
        paymentMethodTypes: ['CARD', 'UPI', 'NB', 'WALLET'],
        currencies: [],
        enabled: true,
        priority: 95,
        fees: { percent: 1.9, fixed_minor: 0 },
      },
      // PayU signs its callbacks with the account's salt (the reverse hash), not a webhook secret.
      registerWebhook: async (url) => payu.addWebhookEndpoint(payuKey, url),
    },
    {
      input: {
        gateway: 'PAYPAL',
        credentials: { client_id: paypalClientId, client_secret: paypalClientSecret, webhook_id: paypalWebhookId, raw_card_data_enabled: 'true' },
        paymentMethodTypes: ['CARD', 'WALLET'],
        currencies: [],
        enabled: true,
        priority: 100,
        fees: { percent: 3.49, fixed_minor: 49 },
      },
      // PayPal's webhooks are verified by PayPal itself (verify-webhook-signature), against the webhook id.
      registerWebhook: async (url) => paypal.setWebhookUrl(paypalWebhookId, url),
    },
    {
      input: {
        gateway: 'BRAINTREE',
        credentials: {
          merchant_id: braintreeMerchant.merchantId,
          public_key: braintreeMerchant.keys[0]!.publicKey,
          private_key: braintreeMerchant.keys[0]!.privateKey,
          merchant_account_id: 'junction_inr',
          raw_card_data_enabled: 'true',
        },
        paymentMethodTypes: ['CARD'],
        currencies: ['INR'],
        enabled: true,
        priority: 85,
        fees: { percent: 2.59, fixed_minor: 49 },
      },
      // Braintree signs its webhooks with the account's key pair (bt_signature).
      registerWebhook: async (url) => braintree.addWebhookEndpoint(braintreeMerchant.merchantId, url),
    },
  ];
  const secretOf = (input: GatewayAccountInput & { credentials: Record<string, string> }) =>
    input.credentials.webhook_secret ?? input.credentials.hmac_key ?? input.credentials.merchant_salt ?? input.credentials.client_secret ?? input.credentials.private_key!;
  return {
    baseUrls: { STRIPE: stripe.url, ADYEN: adyen.url, CHECKOUT: checkout.url, RAZORPAY: razorpay.url, PAYU: payu.url, PAYPAL: paypal.url, BRAINTREE: braintree.url },
    async addAccounts(merchants, merchantId, publicBaseUrl) {
      const added: string[] = [];
      for (const account of accounts) {
        // An account saved by an earlier run points at an emulator that no longer exists (its key was random): replace its credentials.
        const current = (await merchants.listGatewayAccounts(merchantId)).find((a) => a.gateway === account.input.gateway);
        const saved = current
          ? await merchants.updateGatewayAccount(merchantId, current.id, { credentials: account.input.credentials })
          : await merchants.createGatewayAccount(merchantId, account.input);
        added.push(account.input.gateway);
        await account.registerWebhook(`${publicBaseUrl}/webhooks/gateways/${account.input.gateway}/${merchantId}/${saved.id}`, secretOf(account.input));
      }
      return added;
    },
    async close() {
      await stripe.close();
      await adyen.close();
      await checkout.close();
      await razorpay.close();
      await payu.close();
      await paypal.close();
      await braintree.close();
    },
  };
}
