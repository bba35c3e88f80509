// The connector conformance suite against Checkout.com's sandbox: `npm run test:sandbox` with
// CHECKOUT_SANDBOX_SECRET_KEY=sk_sbox_… (and CHECKOUT_SANDBOX_PROCESSING_CHANNEL_ID=pc_… when the
// account has processing channels). Without the key every test is skipped, saying why.
//
// Cards: Checkout.com's test card 4242 4242 4242 4242 (the sandbox takes raw card data); a decline
// is simulated by the amount, as Checkout.com documents: an amount ending in 05 answers 20005
// "Declined - Do not honour" (https://www.checkout.com/docs/previous/testing/response-code-testing).
// Checkout.com answers captures, voids and refunds with 202 and reports the result by webhook to a
// registered URL, which a test run here does not have: the result is read from the payment's
// actions (GET /payments/{id}/actions), and the webhook Checkout.com would send for it is signed
// locally with the same scheme (Cko-Signature), as the Stripe sandbox test does.
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { createCheckoutConnector } from '../../src/connectors/checkout/checkout-connector.ts';
import { checkoutCardRequest } from '../../src/connectors/checkout/test-fixtures.ts';
import { CKO_SIGNATURE_HEADER, signCheckoutBody } from '../../src/connectors/checkout/webhooks.ts';
import { runConnectorConformance } from '../../src/connectors/connector-conformance.ts';
import { createHttpTransport } from '../../src/connectors/kit/transport.ts';
import type { CaptureOutcome, IncomingHttpRequest, RefundOutcome } from '../../src/core/ports/connector.ts';

const secretKey = process.env.CHECKOUT_SANDBOX_SECRET_KEY;
const channel = process.env.CHECKOUT_SANDBOX_PROCESSING_CHANNEL_ID;
const base = process.env.CHECKOUT_BASE_URL ?? 'https://api.sandbox.checkout.com';
const signatureKey = `sandbox-local-${randomUUID()}`;

interface Action {
  id: string;
  type: string;
  approved?: boolean;
  reference?: string;
  amount?: number;
  response_code?: string;
}

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${secretKey}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return (await response.json()) as T;
}

function signed(event: Record<string, unknown>): IncomingHttpRequest {
  const rawBody = JSON.stringify(event);
  return { headers: { [CKO_SIGNATURE_HEADER]: signCheckoutBody(rawBody, signatureKey) }, rawBody, body: event };
}

const EVENT_OF: Record<string, [approved: string, declined: string]> = {
  Capture: ['payment_captured', 'payment_capture_declined'],
  Void: ['payment_voided', 'payment_void_declined'],
  Refund: ['payment_refunded', 'payment_refund_declined'],
};

if (!secretKey) {
  test('Checkout.com sandbox conformance', (t) => t.skip('CHECKOUT_SANDBOX_SECRET_KEY is not set: set it to an sk_sbox_ key to run the conformance suite against the Checkout.com sandbox'));
} else {
  runConnectorConformance('checkout.com (live sandbox)', async () => {
    const transport = createHttpTransport({ deadlineMs: 30_000 });
    const connector = createCheckoutConnector({ transport, publicBaseUrl: 'https://example.com', baseUrls: process.env.CHECKOUT_BASE_URL ? { CHECKOUT: process.env.CHECKOUT_BASE_URL } : {} });
    const account = {
      accountId: 'sandbox',
      merchantId: 'sandbox',
      gateway: 'CHECKOUT',
      gatewayReferenceId: null,
      credentials: { secret_key: secretKey, webhook_secret: signatureKey, raw_card_data_enabled: 'true', ...(channel ? { processing_channel_id: channel } : {}) },
    };
    let declining = false;
    return {
      connector,
      account,
      forceSuccess: () => {
        declining = false;
      },
      forceDecline: () => {
        declining = true;
      },
      cardRequest: (overrides) => {
        const amount = overrides?.amount ?? 10_000;
        // xx05 declines with 20005; any amount ending otherwise is approved.
        const steered = declining ? Math.floor(amount / 100) * 100 + 5 : amount % 100 === 5 ? amount + 1 : amount;
        return checkoutCardRequest({ currency: 'GBP', returnUrl: 'https://example.com/return', ...overrides, amount: steered });
      },
      signedPaymentWebhook: async (id) => {
        const payment = await api<Record<string, unknown>>(`/payments/${id}`);
        return signed({ id: `evt_sandbox_${randomUUID()}`, type: 'payment_approved', data: { ...payment, id } });
      },
      modificationResult: async (outcome: CaptureOutcome | RefundOutcome) => {
        const paymentId = outcome.raw.gatewayTxnId!;
        const actionId = (outcome.raw.body as { action_id?: string } | undefined)?.action_id;
        for (let i = 0; i < 40; i++) {
          const action = (await api<Action[]>(`/payments/${paymentId}/actions`)).find((a) => a.id === actionId);
          if (action && action.approved !== undefined && EVENT_OF[action.type]) {
            const [approved, declined] = EVENT_OF[action.type]!;
            return signed({
              id: `evt_sandbox_${randomUUID()}`,
              type: action.approved ? approved : declined,
              data: { id: paymentId, action_id: action.id, reference: action.reference, amount: action.amount, response_code: action.response_code },
            });
          }
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        throw new Error(`the action ${actionId ?? '(none)'} of ${paymentId} did not settle in 20 s`);
      },
      close: () => transport.close(),
    };
  });
}
