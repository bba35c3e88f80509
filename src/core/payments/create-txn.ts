// POST /txns, as a straight line: read the request (creating the order when the call carries one),
// screen it for risk, ask routing for the gateways, run the attempts along them, answer.
import { AppError, invalidField, missingField } from '../errors.ts';
import { cardFingerprint, decryptSecret } from '../crypto.ts';
import { gatewayNameOf } from '../gateways.ts';
import type { RoutingDecision } from '../ports/router.ts';
import { ORDER_CLOSED_STATUSES } from '../status.ts';
import { type FlatBody, readString, unprefix } from './input.ts';
import { parseOrderId } from './order-input.ts';
import type { PaymentContext, TxnResponse } from './payment-context.ts';
import { cardFromNumber, parsePaymentInput, type CardInput, type PaymentInput } from './payment-input.ts';
import { txnRiskOf } from './risk-records.ts';
import { routingInput } from './routing-input.ts';
import type { createRunCascade } from './run-cascade.ts';
import { attemptTxnId, type AttemptInput } from './start-attempt.ts';
import type { createTxnScreening } from './txn-screening.ts';
import { txnResponse } from './txn-response.ts';
import type { Order, Txn } from './types.ts';

/** The caller of POST /txns: null when it posted card data without the API key (PCI merchants). */
export type TxnAuth = { merchantId: string } | null;

/** A transaction call read and checked: whose, which order, how it pays. */
interface TxnRequest {
  merchantId: string;
  orderId: string;
  order: Order;
  payment: PaymentInput;
  card: CardInput | null;
  cardToken: string | null;
}

export type CreateTxnDeps = Pick<PaymentContext, 'store' | 'merchants' | 'router' | 'keyRing' | 'publicBaseUrl' | 'now' | 'targetOf' | 'requireOrder'> & {
  createOrder: (merchantId: string, body: FlatBody) => Promise<unknown>;
  startAttempt: (input: AttemptInput) => Promise<{ order: Order; txn: Txn }>;
  runCascade: ReturnType<typeof createRunCascade>;
} & ReturnType<typeof createTxnScreening>;

export function createCreateTxn(deps: CreateTxnDeps) {
  const { store, merchants, router, keyRing, publicBaseUrl, now, targetOf, requireOrder, createOrder, startAttempt, runCascade, startScreening, finishScreening } = deps;

  async function resolveSavedCard(merchantId: string, payment: PaymentInput, customerId: string | null): Promise<{ card: CardInput; token: string }> {
    const token = payment.cardToken!;
    const saved = await store.getCard(merchantId, token);
    if (!saved) throw invalidField('card_token', 'is not a saved card of this merchant');
    // A card saved for a customer pays only that customer's orders.
    if (saved.customerId && saved.customerId !== customerId) throw invalidField('card_token', "belongs to another customer than the order's");
    const secret = JSON.parse(decryptSecret(keyRing, saved.ciphertext)) as { number: string };
    const card = cardFromNumber(secret.number, saved.card.expiry_month, saved.card.expiry_year, payment.cardTokenCvv, saved.card.name_on_card);
    return { card, token };
  }

  /** The request read: the merchant, the order (created here when the call carries `order.*` fields), the payment and its card. */
  async function readTxnRequest(auth: TxnAuth, body: FlatBody): Promise<TxnRequest> {
    const bodyMerchant = readString(body, 'merchant_id', { max: 64 });
    if (auth && bodyMerchant && bodyMerchant !== auth.merchantId) throw invalidField('merchant_id', 'does not match the API key');
    const merchantId = auth?.merchantId ?? bodyMerchant;
    if (!merchantId) throw missingField('merchant_id');
    const hasOrderFields = Object.keys(body).some((k) => k.startsWith('order.'));
    let orderId: string;
    if (hasOrderFields) {
      if (!auth) throw new AppError('UNAUTHENTICATED', 'Creating an order in the transaction call needs the API key');
      const orderBody = unprefix(body, 'order');
      orderId = parseOrderId(orderBody);
      // Validate the payment part first so a bad card never leaves an order behind.
      parsePaymentInput(body, now());
      await createOrder(merchantId, orderBody);
    } else {
      orderId = parseOrderId(body);
    }
    const payment = parsePaymentInput(body, now());
    const order = await requireOrder(merchantId, orderId);
    let card = payment.card;
    let cardToken: string | null = null;
    if (payment.cardToken) {
      const saved = await resolveSavedCard(merchantId, payment, order.customerId);
      card = saved.card;
      cardToken = saved.token;
      payment.paymentMethod = payment.paymentMethod || card.brand || 'CARD';
    }
    if (ORDER_CLOSED_STATUSES.includes(order.status)) {
      throw new AppError('INVALID_ACTION', `Order ${orderId} is already ${order.status} and takes no new transaction`, { fields: [{ field_name: 'order_id', reason: `order is ${order.status}` }] });
    }
    return { merchantId, orderId, order, payment, card, cardToken };
  }

  /** The gateways this payment may try, in order. */
  async function decide(request: TxnRequest, preferredGateway: string | null): Promise<RoutingDecision> {
    const { merchantId, orderId, order, payment, card } = request;
    const candidates = await merchants.routingCandidates(merchantId);
    // The id the attempt will have when no other attempt of the order starts first.
    const txnId = attemptTxnId(merchantId, orderId, order.txnCount + 1);
    const routed = await router.decide(routingInput({ order, payment, card, txnId, preferredGateway, gateways: candidates, nowMillis: now().getTime() }));
    // A gateway's own token goes to that gateway only: the cascade never carries it elsewhere.
    const tokenGateway = payment.gatewayToken ? preferredGateway : null;
    return tokenGateway ? { ...routed, gateways: routed.gateways.filter((g) => g.gateway === tokenGateway) } : routed;
  }

  /** POST /txns. `auth` is null when the caller posted card data without the API key (PCI merchants). */
  return async function createTxn(auth: TxnAuth, body: FlatBody): Promise<TxnResponse> {
    const request = await readTxnRequest(auth, body);
    const { merchantId, orderId, order, payment, card, cardToken } = request;
    if (payment.gatewayToken && !order.gatewayId) {
      throw invalidField('gateway_token', "needs the order's gateway_id: a gateway's token can be used only at the gateway that issued it");
    }
    const preferredGateway = order.gatewayId ? (gatewayNameOf(order.gatewayId) ?? null) : null;
    const fingerprint = card ? cardFingerprint(keyRing, card.number) : null;
    const hooks = await targetOf(merchantId);
    const attempt = { merchantId, orderId, payment, card, cardToken, fingerprint, hooks };

    // Risk checks before routing, for merchants who run them (the others skip them entirely).
    const { risk, screened } = await startScreening(order, payment, card, fingerprint, body);
    if (screened && screened.assessment.action === 'block') {
      const declined = await startAttempt({ ...attempt, chosen: null, record: null, risk: txnRiskOf(screened, false, now, risk!.sources) });
      return txnResponse(publicBaseUrl, declined.order, declined.txn, null);
    }
    // Step up: a card payment the checks want challenged goes through 3-D Secure (routing sees it
    // too); anything else that cannot be challenged is held for review instead.
    const challenge = screened?.assessment.action === 'challenge_3ds';
    if (challenge && card && payment.authType !== 'THREE_DS' && payment.authType !== 'THREE_DS_2') payment.authType = 'THREE_DS';
    const decision = await decide(request, preferredGateway);
    const settings = merchants.routingSettings ? await merchants.routingSettings(merchantId) : { maxAttempts: 1, retrySoftDeclines: false };

    let last = await runCascade({ attempt, order, decision, settings, screened, challenge, riskSources: risk?.sources });
    if (risk) last = await finishScreening(risk, last);
    return txnResponse(publicBaseUrl, last.order, last.txn, last.outcome);
  };
}
