// Authorising on Stripe: a raw card becomes a PaymentMethod first, then one PaymentIntent is
// created and confirmed (capture_method manual for PRE_AUTH).
import type { AuthorizeOutcome, AuthorizeRequest, ConnectorAccount } from '../../core/ports/connector.ts';
import { TransportError } from '../kit/transport.ts';
import { failedFromRow, paymentTransportOutcome, parseJson } from '../kit/outcomes.ts';
import { unifiedError } from '../unified-errors.ts';
import { STRIPE_STATUS_TABLE } from './status-table.ts';
import { buildPaymentIntentBody, buildPaymentMethodBody, outcomeOfPaymentAnswer, stripeCardSource } from './transformers.ts';
import type { StripeClient } from './stripe-client.ts';

export async function authorizeStripe(client: StripeClient, account: ConnectorAccount, request: AuthorizeRequest): Promise<AuthorizeOutcome> {
  const source = stripeCardSource(request, { rawCardDataEnabled: account.credentials.raw_card_data_enabled === 'true' });
  if ('refused' in source) return failedFromRow('raw_card_data_not_enabled', source.refused, STRIPE_STATUS_TABLE.raw_card_data_not_enabled!);
  let paymentMethod: string;
  if ('card' in source) {
    // A raw card becomes a PaymentMethod first. Nothing is charged by this step, so any failure of it is safe to retry elsewhere.
    try {
      const response = await client.call(account, 'createPaymentMethod', 'POST', '/v1/payment_methods', buildPaymentMethodBody(source.card), `${request.idempotencyKey}:pm`);
      const body = parseJson(response.text);
      if (response.status !== 200 || typeof (body as { id?: unknown } | undefined)?.id !== 'string') {
        const outcome = outcomeOfPaymentAnswer(response.status, body);
        if (outcome.kind === 'FAILED') return outcome;
        return { kind: 'FAILED', raw: { ...outcome.raw, code: 'payment_method_not_created' }, failure: 'TECHNICAL_ERROR', unified: unifiedError('GATEWAY_TECHNICAL_ERROR') };
      }
      paymentMethod = (body as { id: string }).id;
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      return {
        kind: 'FAILED',
        raw: { code: error.nothingSent ? 'CONNECTION_REFUSED' : 'payment_method_not_created', message: error.message, gatewayTxnId: null },
        failure: error.nothingSent ? 'GATEWAY_DOWN' : 'TECHNICAL_ERROR',
        unified: unifiedError(error.nothingSent ? 'GATEWAY_DOWN' : 'GATEWAY_TECHNICAL_ERROR'),
      };
    }
  } else {
    paymentMethod = source.paymentMethod;
  }
  try {
    const response = await client.call(account, 'authorize', 'POST', '/v1/payment_intents', buildPaymentIntentBody(request, paymentMethod), request.idempotencyKey);
    return outcomeOfPaymentAnswer(response.status, parseJson(response.text));
  } catch (error) {
    return paymentTransportOutcome(error, null, STRIPE_STATUS_TABLE.CONNECTION_REFUSED!);
  }
}
