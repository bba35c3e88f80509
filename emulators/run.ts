// Runs a gateway emulator on its own: `npm run emulator -- stripe [--port 12111]`.
// (`risk-provider` is the reference risk provider: RISK_REFERENCE_URL and RISK_REFERENCE_API_KEY=risk_emulator_key.)
// Point Junction at it with STRIPE_BASE_URL=http://127.0.0.1:<port> (or ADYEN_BASE_URL, CHECKOUT_BASE_URL, RAZORPAY_BASE_URL, PAYU_BASE_URL, PAYPAL_BASE_URL, BRAINTREE_BASE_URL).
import { parseArgs } from 'node:util';
import { startStripeEmulator } from './stripe/stripe-emulator.ts';
import { startAdyenEmulator } from './adyen/adyen-emulator.ts';
import { startCheckoutEmulator } from './checkout/checkout-emulator.ts';
import { startRazorpayEmulator } from './razorpay/razorpay-emulator.ts';
import { startPayuEmulator } from './payu/payu-emulator.ts';
import { startPayPalEmulator } from './paypal/paypal-emulator.ts';
import { startBraintreeEmulator } from './braintree/braintree-emulator.ts';
import { startRiskProviderEmulator } from './risk-provider/risk-provider-emulator.ts';

const EMULATORS: Record<string, (port: number) => Promise<{ url: string; close(): Promise<void> }>> = {
  stripe: (port) => startStripeEmulator({ port }),
  adyen: (port) => startAdyenEmulator({ port }),
  checkout: (port) => startCheckoutEmulator({ port }),
  razorpay: (port) => startRazorpayEmulator({ port, upiSettleAfterMs: 5_000 }),
  payu: (port) => startPayuEmulator({ port, upiSettleAfterMs: 5_000 }),
  paypal: (port) => startPayPalEmulator({ port }),
  braintree: (port) => startBraintreeEmulator({ port }),
  // The reference risk provider: RISK_REFERENCE_URL=<url> RISK_REFERENCE_API_KEY=risk_emulator_key.
  'risk-provider': async (port) => {
    const emulator = await startRiskProviderEmulator({ port, apiKey: 'risk_emulator_key' });
    return { url: emulator.origin, close: emulator.close };
  },
};

const { positionals, values } = parseArgs({ allowPositionals: true, options: { port: { type: 'string' }, host: { type: 'string' } } });
const name = positionals[0];
const start = name ? EMULATORS[name] : undefined;
if (!start) {
  console.error(`usage: npm run emulator -- <${Object.keys(EMULATORS).join('|')}> [--port N]`);
  process.exit(2);
}
const emulator = await start(values.port ? Number(values.port) : 0);
console.log(`${name} emulator listening on ${emulator.url}`);
const stop = () => void emulator.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
