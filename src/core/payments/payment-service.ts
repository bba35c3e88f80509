// The payment service: transactions (attempts across gateways with safe fallback), gateway
// outcomes, authentication returns, status sync and gateway webhooks; orders and refunds come from
// order-flow.ts and refund-flow.ts. Every state change goes through one database transaction that
// also queues the merchant's webhooks; gateway calls happen between transactions, never inside one.
import { AppError, invalidField, missingField, notFound } from '../errors.ts';
import { cardFingerprint, decryptSecret, encryptSecret, newId } from '../crypto.ts';
import { gatewayNameOf } from '../gateways.ts';
import type { AuthorizeOutcome, Connector, IncomingHttpRequest } from '../ports/connector.ts';
import { ConnectorError } from '../ports/connector.ts';
import type { RoutingDecisionRecord } from '../../routing/index.ts';
import type { RoutedGateway, RoutingAccount, RoutingDecision, RoutingInput } from '../ports/router.ts';
import { signReturnParams } from '../signature.ts';
import { allOrderStatuses, assertOrderTransition, isOrderTransitionAllowed, isTxnTransitionAllowed, ORDER_CLOSED_STATUSES, STATUS_ID, type OrderStatus, type TxnStatus } from '../status.ts';
import { type FlatBody, readString, unprefix } from './input.ts';
import { parseOrderId } from './order-input.ts';
import { primaryTxn, txnView } from './order-status-view.ts';
import { createOrderFlow } from './order-flow.ts';
import { createPaymentContext, type FailureClassification, type PaymentServiceDeps, type TxnResponse, type WebhookTarget } from './payment-context.ts';
import { cardFromNumber, parsePaymentInput, type CardInput, type PaymentInput } from './payment-input.ts';
import { createRefundFlow } from './refund-flow.ts';
import { createCaptureFlow, isManualCapture } from './capture-flow.ts';
import type { Order, StoredCard, Txn } from './types.ts';
import { juspaySdkParams } from './upi-intent.ts';
import { readRiskFields, riskContextOf } from './risk-input.ts';
import type { RiskScreenResult } from '../ports/risk-screen.ts';
import type { RiskContext } from '../../risk/types.ts';
import { verdictScore } from '../../risk/provider.ts';
import type { TxnRisk } from './types.ts';
import type { TxnPatch } from '../ports/payment-store.ts';

export type { ConnectorLookup, FailureClassification, MerchantDirectory, PaymentServiceDeps, TxnResponse } from './payment-context.ts';

export const MAX_TXNS_PER_ORDER = 25;

/** Order statuses from which a new attempt may start, per the transition table (closed orders never). */
const CAN_START_ATTEMPT: Record<'STARTED' | 'JUSPAY_DECLINED', readonly OrderStatus[]> = {
  STARTED: allOrderStatuses().filter((s) => !ORDER_CLOSED_STATUSES.includes(s) && isOrderTransitionAllowed(s, 'STARTED')),
  JUSPAY_DECLINED: allOrderStatuses().filter((s) => !ORDER_CLOSED_STATUSES.includes(s) && isOrderTransitionAllowed(s, 'JUSPAY_DECLINED')),
};

type Auth = { merchantId: string } | null;

/** How long a shopper may take on a gateway's page before an attempt the gateway still does not know is dropped. */
export const AUTHENTICATION_WINDOW_MS = 15 * 60_000;

function statusOfOutcome(outcome: AuthorizeOutcome): TxnStatus {
  switch (outcome.kind) {
    case 'CHARGED': return 'CHARGED';
    case 'AUTHORIZED': return 'AUTHORIZED';
    case 'VOIDED': return 'VOIDED';
    case 'PENDING_AUTHENTICATION': return 'PENDING_VBV';
    case 'PENDING':
    case 'UNKNOWN': return 'AUTHORIZING';
    case 'FAILED': return outcome.failure === 'AUTHENTICATION_FAILED' ? 'AUTHENTICATION_FAILED' : 'AUTHORIZATION_FAILED';
  }
}

function storedCard(card: CardInput, fingerprint: string, reference: string | null, flags: { usingSaved: boolean; saved: boolean }): StoredCard {
  return {
    card_isin: card.bin, extended_card_isin: card.extendedBin, last_four_digits: card.last4, card_brand: card.brand, card_type: card.type,
    card_sub_type: card.subType, card_issuer: card.issuer, card_issuer_country: card.issuerCountry, expiry_month: card.expMonth,
    expiry_year: card.expYear, name_on_card: card.holderName, card_fingerprint: fingerprint, card_reference: reference,
    using_saved_card: flags.usingSaved, saved_to_locker: flags.saved, using_token: flags.usingSaved,
  };
}

export function createPaymentService(deps: PaymentServiceDeps) {
  const ctx = createPaymentContext(deps);
  const { store, merchants, connectors, router, keyRing, publicBaseUrl, now, log, emit, targetOf, requireOrder, statusOf } = ctx;
  const { createOrder, updateOrder, getOrderStatus, listOrders, updateFulfillment, orderForPaymentPage } = createOrderFlow(ctx);
  const { refund, settleRefund, refundDuplicateCharge, syncRefund } = createRefundFlow(ctx);
  const { capture, voidTxn } = createCaptureFlow(ctx, { partialCaptureAllowed: deps.partialCaptureAllowed });

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

  /** The routing engine's input for this attempt: the payment as the engine reads it, and the merchant's accounts. */
  function routingInput(order: Order, payment: PaymentInput, card: CardInput | null, txnId: string, gateways: readonly RoutingAccount[]): RoutingInput {
    const billingCountry = order.billingAddress.country ?? null;
    return {
      merchantId: order.merchantId, orderId: order.orderId, txnId, amount: order.amount, currency: order.currency,
      paymentMethodType: payment.paymentMethodType, paymentMethod: payment.paymentMethod || null, authType: payment.authType,
      card: card ? { bin: card.bin, extendedBin: card.extendedBin || null, brand: card.brand, type: card.type, subType: card.subType, issuer: card.issuer, issuerCountry: card.issuerCountry } : null,
      upi: payment.upi ? { txnType: payment.upi.txnType, app: payment.upi.app } : null,
      wallet: payment.wallet?.name ?? null, bank: payment.bank,
      emi: payment.isEmi ? { isEmi: true, bank: payment.emiBank, tenure: payment.emiTenure } : null,
      customerId: order.customerId, productId: order.productId, description: order.description, udf: order.udf, metadata: order.metadata,
      billingCountry, shippingCountry: order.shippingAddress.country ?? null,
      isDomestic: card?.issuerCountry && billingCountry ? card.issuerCountry === billingCountry : null,
      preferredGateway: order.gatewayId ? gatewayNameOf(order.gatewayId) ?? null : null,
      preferredReferenceId: order.metadata['JUSPAY:gateway_reference_id'] ?? null,
      platform: null, addToLocker: payment.saveToLocker, nowMillis: now().getTime(), gateways,
    };
  }

  function returnPageUrl(txn: Pick<Txn, 'id'>): string {
    return `${publicBaseUrl}/txns/${txn.id}/return`;
  }

  function txnResponse(order: Order, txn: Txn, outcome: AuthorizeOutcome | null): TxnResponse {
    const authentication = txn.status === 'PENDING_VBV' && txn.authentication ? txn.authentication : { method: 'GET', url: returnPageUrl(txn) };
    return {
      order_id: order.orderId,
      txn_id: txn.txnId,
      txn_uuid: txn.id,
      status: txn.status,
      status_id: STATUS_ID[txn.status],
      payment: { authentication, ...(outcome?.kind === 'PENDING' && outcome.sdkParams ? { sdk_params: juspaySdkParams(outcome.sdkParams) } : {}) },
      ...(txn.errorCode ? { error_code: txn.errorCode, error_message: txn.errorMessage, unified_error: txnView(txn).unified_error } : {}),
    };
  }

  /** POST /txns. `auth` is null when the caller posted card data without the API key (PCI merchants). */
  async function createTxn(auth: Auth, body: FlatBody): Promise<TxnResponse> {
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

    const provisionalTxnId = `${merchantId}-${orderId}-${order.txnCount + 1}`;
    if (payment.gatewayToken && !order.gatewayId) {
      throw invalidField('gateway_token', "needs the order's gateway_id: a gateway's token can be used only at the gateway that issued it");
    }
    const fingerprint = card ? cardFingerprint(keyRing, card.number) : null;
    const hooks = await targetOf(merchantId);

    // Risk checks before routing, for merchants who run them (the others skip this block entirely).
    let risk: { ctx: RiskContext; eventId: string; pending: Promise<RiskScreenResult | null>; sources: NonNullable<TxnRisk['sources']> } | null = null;
    const riskMode = deps.risk ? await deps.risk.modeFor(merchantId) : null;
    if (deps.risk && riskMode) {
      const ctx = riskContextOf(order, payment, card, fingerprint, readRiskFields(body), now().getTime());
      const eventId = newId('rsk');
      const pending = deps.risk.assess(ctx, eventId).catch((error: unknown) => {
        log('error', 'risk assessment failed', { error: String(error) });
        return null;
      });
      risk = { ctx, eventId, pending, sources: { clientIp: ctx.clientIp, customerId: ctx.customerId, bin: ctx.card?.bin ?? null } };
    }
    // Sequential (the default): the verdict gates the gateway call. Parallel: the payment goes on
    // while the checks run, and a late verdict is applied once the gateway has answered.
    const screened: RiskScreenResult | null = risk && riskMode === 'sequential' ? await risk.pending : null;
    if (screened && screened.assessment.action === 'block') {
      const declined = await startAttempt({ merchantId, orderId, payment, card, cardToken, fingerprint, chosen: null, record: null, hooks, risk: txnRiskOf(screened, false, risk!.sources) });
      return txnResponse(declined.order, declined.txn, null);
    }
    // Step up: a card payment the checks want challenged goes through 3-D Secure (routing sees it
    // too); anything else that cannot be challenged is held for review instead.
    const challenge = screened?.assessment.action === 'challenge_3ds';
    if (challenge && card && payment.authType !== 'THREE_DS' && payment.authType !== 'THREE_DS_2') payment.authType = 'THREE_DS';
    const candidates = await merchants.routingCandidates(merchantId);
    const routed: RoutingDecision = await router.decide(routingInput(order, payment, card, provisionalTxnId, candidates));
    // A gateway's own token goes to that gateway only: the cascade never carries it elsewhere.
    const tokenGateway = payment.gatewayToken && order.gatewayId ? gatewayNameOf(order.gatewayId) ?? null : null;
    const decision: RoutingDecision = tokenGateway ? { ...routed, gateways: routed.gateways.filter((g) => g.gateway === tokenGateway) } : routed;
    const settings = merchants.routingSettings ? await merchants.routingSettings(merchantId) : { maxAttempts: 1, retrySoftDeclines: false };

    // Safe automatic fallback: a failed attempt moves to the next gateway of the decision only when the
    // status table says nothing was charged (technical error before processing, gateway down, and soft
    // declines if the merchant allows). Never after a timeout or an unknown outcome, never after a hard
    // decline, and never outside the decision's list (an enforced list stays enforced).
    const tried: Array<{ gateway: string; code: string; unified: string | null; retryable: boolean }> = [];
    let last: { order: Order; txn: Txn; outcome: AuthorizeOutcome | null } | null = null;
    const maxAttempts = Math.max(1, settings.maxAttempts);
    for (let index = 0; index < Math.max(1, Math.min(maxAttempts, decision.gateways.length)); index++) {
      const chosen = decision.gateways[index] ?? null;
      const record: RoutingDecisionRecord = index === 0 ? decision.record : { ...decision.record, fallbackAttempt: index, previousAttempts: tried.map((t) => ({ ...t })) };
      let started: { order: Order; txn: Txn };
      try {
        const hold = screened !== null && (screened.assessment.action === 'review' || (challenge && !card)) && chosen !== null && (deps.supportsManualCapture?.(chosen.gateway) ?? false);
        started = await startAttempt({ merchantId, orderId, payment, card, cardToken, fingerprint, chosen, record, hooks, risk: screened ? txnRiskOf(screened, hold, risk!.sources) : null, holdForReview: hold });
      } catch (error) {
        // A later attempt that cannot start (limit reached, order changed meanwhile) ends the cascade;
        // the merchant gets the last attempt's answer.
        if (last) break;
        throw error;
      }
      if (!chosen) throw new AppError('GATEWAY_NOT_FOUND');
      const result = await authorizeAttempt(started.txn, chosen, payment, card, order);
      last = { order: result.order, txn: result.txn, outcome: result.outcome };
      if (result.outcome.kind !== 'FAILED') break;
      const classified = result.classification;
      const retryable = classified.retryable && (classified.failureClass !== 'SOFT_DECLINE' || settings.retrySoftDeclines);
      tried.push({ gateway: chosen.gateway, code: result.outcome.raw.code, unified: result.txn.errorCode, retryable });
      if (!retryable) break;
      if (ORDER_CLOSED_STATUSES.includes(result.order.status)) break;
    }
    if (!last) throw new AppError('GATEWAY_NOT_FOUND');
    if (risk) {
      const final = last;
      const declined = final.outcome !== null && final.outcome !== undefined && isDecline(final.txn, final.outcome);
      // An attempt stored with its risk record was counted by applyOutcome; a parallel-mode attempt
      // (no record yet when the gateway answered) is counted here, under the same event id.
      if (declined && !final.txn.risk) await deps.risk!.recordOutcome(risk.ctx, { declined: true }, cardTestingEventId(final.txn)).catch((error: unknown) => log('warn', 'risk outcome not recorded', { error: String(error) }));
      const parallel = await risk.pending;
      if (parallel?.mode === 'parallel') last = { ...last, ...(await applyLateRisk(final.txn, parallel, risk.sources)) };
      // (Not when a webhook settled the attempt first and its post-authorisation check already ran.)
      if (last.txn.risk && !last.txn.risk.postAuth && (last.txn.status === 'AUTHORIZED' || last.txn.status === 'CHARGED')) {
        const afterPostAuth = await applyPostAuth(last.txn, risk.ctx);
        if (afterPostAuth) last = { ...last, ...afterPostAuth };
      }
    }
    return txnResponse(last.order, last.txn, last.outcome);
  }

  /**
   * A risk provider's later verdict on an order (its verified webhook): a block voids or refunds
   * the order's attempt, a review holds it, an accept captures a payment held for review. Only an
   * attempt that went through risk checks is touched; anything else is ignored.
   */
  async function applyRiskVerdict(merchantId: string, orderId: string, provider: string, given: { decision: 'allow' | 'challenge_3ds' | 'review' | 'block'; score?: number; reasons: string[] }): Promise<{ handled: boolean; effect?: string }> {
    // A payment already at the gateway cannot be stepped up: a later challenge is a review.
    const verdict = { ...given, decision: given.decision === 'challenge_3ds' ? 'review' as const : given.decision };
    const order = await store.getOrder(merchantId, orderId);
    if (!order) return { handled: false };
    const txn = primaryTxn(order, await store.listTxns(order.id));
    if (!txn?.risk) return { handled: false };
    const check = { check: `provider:${provider}`, action: verdict.decision, score: verdictScore(verdict), reasons: verdict.reasons.map((r) => `${provider}: ${r}`) };
    const checks = [...txn.risk.checks.filter((c) => c.check !== check.check), check];
    const action = verdict.decision;
    const held = txn.status === 'AUTHORIZED' && txn.risk.review?.state === 'PENDING';
    if (action === 'allow' && held) {
      await capture(merchantId, txn.id, { idempotence_key: `risk_${txn.id}` });
      await store.transaction(async (tx) => tx.updateTxn(txn.id, { risk: { ...txn.risk!, checks, review: { ...txn.risk!.review, state: 'APPROVED', by: `provider:${provider}`, at: now().toISOString() } } }));
      await emitReviewEvent(merchantId, txn.id, 'TXN_REVIEW_APPROVED');
      return { handled: true, effect: 'capture' };
    }
    const result: RiskScreenResult = {
      mode: txn.risk.mode,
      assessment: { provider, action, score: Math.min(100, checks.reduce((sum, c) => sum + c.score, 0)), reasons: checks.flatMap((c) => c.reasons), code: action === 'allow' ? null : 'RISK_PROVIDER_DECLINED', checks: checks as never, allowlisted: txn.risk.allowlisted },
    };
    const applied = await applyLateRisk(txn, result);
    return { handled: true, effect: applied.txn.risk?.late?.effect ?? 'none' };
  }

  function txnRiskOf(result: RiskScreenResult, held: boolean, sources?: TxnRisk['sources']): TxnRisk {
    const a = result.assessment;
    return {
      provider: a.provider, action: a.action, score: a.score, code: a.code, reasons: a.reasons,
      checks: a.checks.map((c) => ({ check: c.check, action: c.action, score: c.score, reasons: c.reasons })),
      allowlisted: a.allowlisted, mode: result.mode, ...(held ? { review: { state: 'PENDING' as const, heldAt: now().toISOString() } } : {}),
      ...(sources ? { sources } : {}),
    };
  }

  /**
   * Parallel mode: the checks answered while (or after) the gateway was asked. The verdict is stored
   * on the attempt; a block voids an authorisation or refunds a charge, and records why. A late review
   * of a held (authorised) payment waits in the review queue.
   */
  async function applyLateRisk(txn: Txn, result: RiskScreenResult, sources?: TxnRisk['sources']): Promise<{ order: Order; txn: Txn }> {
    const record = txnRiskOf(result, false, sources ?? txn.risk?.sources);
    let effect = 'none';
    if (result.assessment.action === 'block') {
      if (txn.status === 'AUTHORIZED') effect = 'void';
      else if (txn.status === 'CHARGED') effect = 'refund';
      // Still at the bank or with the shopper: nothing to undo yet; the attempt is marked for a reviewer.
      else effect = ['STARTED', 'PENDING_VBV', 'AUTHORIZING', 'VBV_SUCCESSFUL'].includes(txn.status) ? 'review: payment still pending when the block arrived' : 'none: the payment did not succeed';
    }
    const reviewLater = effect.startsWith('review') || (result.assessment.action === 'review' && txn.status === 'AUTHORIZED');
    const newlyHeld = reviewLater && txn.status === 'AUTHORIZED' && txn.risk?.review?.state !== 'PENDING';
    const hooks = newlyHeld ? await targetOf(txn.merchantId) : null;
    const before = newlyHeld ? await store.getOrderByPk(txn.orderPk) : null;
    const stored = await store.transaction(async (tx) => {
      const updated = await tx.updateTxn(txn.id, { risk: { ...record, ...(reviewLater ? { review: { state: 'PENDING' as const, heldAt: now().toISOString() } } : {}), late: { action: result.assessment.action, effect, at: now().toISOString() } } });
      if (hooks && before) await emit(tx, hooks, before, 'TXN_MANUAL_REVIEW_NEEDED', updated);
      return updated;
    });
    const order = (await store.getOrderByPk(txn.orderPk))!;
    if (effect === 'void') {
      await voidTxn(txn.merchantId, txn.id, { idempotence_key: `risk_${txn.id}` }).catch((error: unknown) => log('error', 'late risk block: void failed', { txn: txn.txnId, error: String(error) }));
    } else if (effect === 'refund') {
      await refund(txn.merchantId, { unique_request_id: `risk_${txn.id}` }, order.orderId).catch((error: unknown) => log('error', 'late risk block: refund failed', { txn: txn.txnId, error: String(error) }));
    }
    const latestTxn = (await store.getTxn(txn.id)) ?? stored;
    return { order: (await store.getOrderByPk(txn.orderPk))!, txn: latestTxn };
  }

  /**
   * The provider's post-authorisation call on an authorised or charged attempt (merchants whose
   * provider has one). The verdict joins the attempt's checks; a block voids the authorisation or
   * refunds the charge (as a late parallel-mode block does), a review holds an authorisation in the
   * review queue (a charge can only be flagged). A timeout or error has already become an allow or a
   * block by the merchant's post-auth fail-open choice, so the attempt always ends defined.
   */
  async function applyPostAuth(txn: Txn, ctx: RiskContext): Promise<{ order: Order; txn: Txn } | null> {
    const answered = deps.risk?.postAuth
      ? await deps.risk.postAuth({ ...ctx, nowMillis: now().getTime() }, { status: txn.status, gatewayTxnId: txn.gatewayTxnId }).catch((error: unknown) => {
        log('error', 'risk post-authorisation failed', { txn: txn.txnId, error: String(error) });
        return null;
      })
      : null;
    // After authorisation a step-up is no longer possible: a challenge is a review.
    const check = answered && answered.action === 'challenge_3ds' ? { ...answered, action: 'review' as const } : answered;
    if (!check || !txn.risk) return null; // no post-authorisation call: the attempt stands as it is (no extra read)
    const base = txn.risk;
    const rank = { allow: 0, challenge_3ds: 1, review: 2, block: 3 } as const;
    const action = rank[check.action] > rank[base.action] ? check.action : base.action;
    const effect: NonNullable<TxnRisk['postAuth']>['effect'] = check.action === 'block' ? (txn.status === 'AUTHORIZED' ? 'void' : 'refund')
      : check.action === 'review' ? (txn.status === 'AUTHORIZED' ? 'review' : 'flag') : 'none';
    const at = now().toISOString();
    const held = effect === 'review' && base.review?.state !== 'PENDING';
    const record: TxnRisk = {
      ...base, action, score: Math.min(100, base.score + check.score), code: base.code ?? check.code ?? null, reasons: [...base.reasons, ...check.reasons],
      checks: [...base.checks, { check: check.check, action: check.action, score: check.score, reasons: check.reasons }],
      postAuth: { action: check.action, effect, at },
      ...(held ? { review: { state: 'PENDING' as const, heldAt: at } } : {}),
    };
    const hooks = held ? await targetOf(txn.merchantId) : null;
    const before = held ? await store.getOrderByPk(txn.orderPk) : null;
    const stored = await store.transaction(async (tx) => {
      const updated = await tx.updateTxn(txn.id, { risk: record });
      if (hooks && before) await emit(tx, hooks, before, 'TXN_MANUAL_REVIEW_NEEDED', updated);
      return updated;
    });
    const order = (await store.getOrderByPk(txn.orderPk))!;
    if (effect === 'void') {
      await voidTxn(txn.merchantId, txn.id, { idempotence_key: `risk_${txn.id}` }).catch((error: unknown) => log('error', 'post-auth risk block: void failed', { txn: txn.txnId, error: String(error) }));
    } else if (effect === 'refund') {
      await refund(txn.merchantId, { unique_request_id: `risk_${txn.id}` }, order.orderId).catch((error: unknown) => log('error', 'post-auth risk block: refund failed', { txn: txn.txnId, error: String(error) }));
    }
    return { order: (await store.getOrderByPk(txn.orderPk))!, txn: (await store.getTxn(txn.id)) ?? stored };
  }

  interface AttemptInput {
    merchantId: string;
    orderId: string;
    payment: PaymentInput;
    card: CardInput | null;
    cardToken: string | null;
    fingerprint: string | null;
    chosen: RoutedGateway | null;
    /** Null when no routing ran (the risk checks declined the attempt first). */
    record: RoutingDecisionRecord | null;
    hooks: WebhookTarget;
    risk?: TxnRisk | null;
    /** Risk review: authorise only (no automatic capture) and wait for a reviewer. */
    holdForReview?: boolean;
  }

  /** Records an attempt and takes the order's in-flight lock, atomically. */
  async function startAttempt(input: AttemptInput): Promise<{ order: Order; txn: Txn }> {
    const { merchantId, orderId, payment, card, cardToken, fingerprint, chosen, hooks } = input;
    const riskDecline = input.risk?.action === 'block' && input.risk.mode === 'sequential' ? input.risk : null;
    const noGateway = chosen === null;
    const nextStatus: OrderStatus = noGateway ? 'JUSPAY_DECLINED' : 'STARTED';
    const savesCard = card !== null && payment.saveToLocker && !cardToken && fingerprint !== null && !riskDecline;
    // Nothing to queue (no webhook target) and no card to vault: the claim and the attempt's row are
    // one statement, with no transaction around it (one round trip instead of four). An order with a
    // webhook of its own, or one that cannot be claimed, takes the transaction below, which says why.
    if (!hooks.url && !savesCard && store.claimOrderAndInsertTxn) {
      const txnUuid = newId('txn');
      const fast = await store.claimOrderAndInsertTxn(merchantId, orderId, {
        txnUuid, status: nextStatus, allowedFrom: CAN_START_ATTEMPT[nextStatus], maxTxns: MAX_TXNS_PER_ORDER, lock: !noGateway, withoutOrderWebhook: true,
      }, {
        merchantId, status: noGateway ? 'JUSPAY_DECLINED' : 'STARTED', preAuth: input.holdForReview === true,
        ...attemptFields(input, riskDecline, cardToken),
      });
      if (fast) return fast;
    }
    return store.transaction(async (tx) => {
      const txnUuid = newId('txn');
      // One statement claims the order for this attempt; when it cannot, read the order to say why.
      const claimed = await tx.claimOrderForAttempt(merchantId, orderId, {
        txnUuid, status: nextStatus, allowedFrom: CAN_START_ATTEMPT[nextStatus], maxTxns: MAX_TXNS_PER_ORDER, lock: !noGateway,
      });
      if (!claimed) {
        const locked = await tx.lockOrder(merchantId, orderId);
        if (!locked) throw notFound(`Order ${orderId}`);
        if (ORDER_CLOSED_STATUSES.includes(locked.status)) {
          throw new AppError('INVALID_ACTION', `Order ${orderId} is already ${locked.status} and takes no new transaction`, { fields: [{ field_name: 'order_id', reason: `order is ${locked.status}` }] });
        }
        if (locked.lockTxnId) {
          throw new AppError('DUPLICATE_REQUEST', `A transaction on order ${orderId} is being processed; retry after it settles`, { fields: [{ field_name: 'order_id', reason: 'a transaction is in progress' }] });
        }
        if (locked.txnCount >= MAX_TXNS_PER_ORDER) {
          throw new AppError('INVALID_ACTION', `Order ${orderId} has reached the limit of ${MAX_TXNS_PER_ORDER} transactions`, { fields: [{ field_name: 'order_id', reason: 'too many attempts' }] });
        }
        assertOrderTransition(locked.status, nextStatus);
        throw new AppError('INVALID_ACTION', `Order ${orderId} cannot start a transaction now`, { fields: [{ field_name: 'order_id', reason: `order is ${locked.status}` }] });
      }
      const locked = claimed;
      const attempt = locked.txnCount;
      let reference: string | null = cardToken;
      let saved = false;
      // A card the risk checks declined is not saved for later payments.
      if (savesCard && card && fingerprint) {
        const vaulted = await tx.saveCard({
          token: newId('ctkn'), merchantId, customerId: locked.customerId, fingerprint,
          ciphertext: encryptSecret(keyRing, JSON.stringify({ number: card.number })), keyId: keyRing.primaryKeyId,
          card: { card_isin: card.bin, last_four_digits: card.last4, card_brand: card.brand, card_type: card.type, card_issuer: card.issuer, expiry_month: card.expMonth, expiry_year: card.expYear, name_on_card: card.holderName },
        });
        reference = vaulted.token;
        saved = true;
      }
      const txn = await tx.insertTxn({
        id: txnUuid, merchantId, orderPk: locked.id, txnId: `${merchantId}-${orderId}-${attempt}`, attempt,
        status: noGateway ? 'JUSPAY_DECLINED' : 'STARTED', amount: locked.amount, currency: locked.currency,
        txnType: isManualCapture(locked) || input.holdForReview ? 'PRE_AUTH' : 'AUTH_AND_SETTLE',
        ...attemptFields(input, riskDecline, reference, saved),
      });
      await emit(tx, hooks, locked, 'TXN_CREATED', txn);
      if (noGateway) await emit(tx, hooks, locked, 'TXN_FAILED', txn);
      // A risk decline ends the order's attempt: the merchant hears it as a failed order.
      if (riskDecline) await emit(tx, hooks, locked, 'ORDER_FAILED', txn);
      return { order: locked, txn };
    });
  }

  /** The fields of a new attempt that come from the request and the routing decision (not from its order). */
  function attemptFields(input: AttemptInput, riskDecline: TxnRisk | null, reference: string | null, saved = false) {
    const { payment, card, cardToken, fingerprint, chosen, record } = input;
    const noGateway = chosen === null;
    return {
      paymentMethodType: payment.paymentMethodType, paymentMethod: payment.paymentMethod, authType: payment.authType,
      gateway: chosen?.gateway ?? null, gatewayId: chosen?.gatewayId ?? null, gatewayAccountId: chosen?.accountId ?? null,
      gatewayReferenceId: chosen?.gatewayReferenceId ?? null, gatewayTxnId: null,
      card: card && fingerprint ? storedCard(card, fingerprint, reference, { usingSaved: cardToken !== null, saved }) : null,
      upi: payment.upi ? { txn_type: payment.upi.txnType, vpa: payment.upi.vpa, app: payment.upi.app } : null,
      wallet: payment.wallet?.name ?? null, bank: payment.bank,
      errorCode: riskDecline ? riskDecline.code ?? 'RISK_RULE' : noGateway ? 'GATEWAY_NOT_FOUND' : null,
      errorMessage: riskDecline ? riskDeclineMessage(riskDecline) : noGateway ? "Can't find a suitable gateway to process the transaction" : null,
      errorCategory: riskDecline ? 'BUSINESS_ERROR' : noGateway ? 'CONFIG_ERROR' : null, gatewayCode: null, gatewayMessage: null, gatewayResponse: null,
      authentication: null, routingDecision: record, risk: input.risk ?? null, redirect: payment.redirectAfterPayment, latencyMs: null,
    };
  }

  function riskDeclineMessage(risk: TxnRisk): string {
    return `Declined by risk checks: ${risk.reasons[0] ?? risk.code ?? 'blocked'}`.slice(0, 500);
  }

  /** Asks the gateway, classifies a failure with the gateway status table, and records the outcome. */
  async function authorizeAttempt(txn: Txn, chosen: RoutedGateway, payment: PaymentInput, card: CardInput | null, order: Order) {
    const connector = connectors.get(chosen.gateway);
    let outcome: AuthorizeOutcome;
    const startedAt = Date.now();
    if (!connector) {
      outcome = { kind: 'FAILED', failure: 'TECHNICAL_ERROR', raw: { code: 'NO_CONNECTOR', message: `No connector for ${chosen.gateway}`, gatewayTxnId: null }, unified: { code: 'GATEWAY_NOT_CONFIGURED', message: 'The gateway is not available', category: 'GATEWAY_ERROR' } };
    } else {
      try {
        const account = await merchants.connectorAccount(txn.merchantId, chosen.accountId);
        outcome = await connector.authorize(account, {
          txnId: txn.txnId, txnUuid: txn.id, orderId: order.orderId, merchantId: txn.merchantId, amount: txn.amount, currency: txn.currency,
          paymentMethodType: payment.paymentMethodType, paymentMethod: payment.paymentMethod, authType: payment.authType, captureMode: txn.txnType === 'PRE_AUTH' ? 'MANUAL' : 'AUTO',
          gatewayToken: payment.gatewayToken,
          card: card ? { number: card.number, expMonth: card.expMonth, expYear: card.expYear, cvv: card.cvv, holderName: card.holderName, bin: card.bin, last4: card.last4, brand: card.brand, type: card.type, issuer: card.issuer, issuerCountry: card.issuerCountry } : null,
          upi: payment.upi ? { txnType: payment.upi.txnType, vpa: payment.upi.vpa, app: payment.upi.app } : null,
          wallet: payment.wallet, bank: payment.bank, customerId: order.customerId, customerEmail: order.customerEmail, customerPhone: order.customerPhone,
          returnUrl: returnPageUrl(txn), idempotencyKey: txn.id,
        });
      } catch (error) {
        // A thrown connector error is a broken integration; the payment may not have reached the gateway,
        // but we cannot be sure, so the attempt stays unsettled and the status sync resolves it.
        log('error', 'connector authorize threw', { gateway: chosen.gateway, txn: txn.txnId, error: error instanceof Error ? error.message : String(error) });
        outcome = { kind: 'UNKNOWN', raw: { code: 'CONNECTOR_ERROR', message: error instanceof Error ? error.message : 'connector error', gatewayTxnId: null } };
      }
    }
    const latencyMs = Date.now() - startedAt;
    const classification = outcome.kind === 'FAILED' ? await classify(chosen.gateway, outcome) : null;
    if (outcome.kind === 'FAILED' && classification) {
      outcome = {
        ...outcome,
        failure: classification.failureClass ?? outcome.failure,
        unified: {
          code: classification.unifiedCode ?? outcome.unified.code,
          message: classification.unifiedMessage ?? outcome.unified.message,
          category: classification.category ?? outcome.unified.category,
        },
      };
    }
    const settled = await applyOutcome(txn, outcome, { latencyMs, directAnswer: true });
    return { ...settled, outcome, classification: classification ?? { retryable: false, failureClass: null, countsAgainstGateway: false } };
  }

  /** The gateway status table's row for a failure, or what the connector itself said. */
  async function classify(gateway: string, outcome: Extract<AuthorizeOutcome, { kind: 'FAILED' }>): Promise<FailureClassification> {
    const row = deps.classifyFailure ? await deps.classifyFailure(gateway, outcome.raw.code) : null;
    if (row) return row;
    const retryable = outcome.failure === 'TECHNICAL_ERROR' || outcome.failure === 'GATEWAY_DOWN';
    return { unifiedCode: null, unifiedMessage: null, category: null, failureClass: outcome.failure, retryable, countsAgainstGateway: outcome.failure !== 'HARD_DECLINE' && outcome.failure !== 'AUTHENTICATION_FAILED' };
  }

  /**
   * Stores a gateway outcome on a transaction and mirrors it on the order, in one database
   * transaction. A success on an order another attempt already charged is refunded at once
   * (AUTO_REFUNDED): an order is never charged twice.
   */
  type TxnRef = Pick<Txn, 'id' | 'orderPk' | 'merchantId'>;
  /**
   * `directAnswer`: the gateway's answer to our own authorise call, inside POST /txns (which asks the
   * risk provider's post-authorisation itself once the cascade ends). Every other caller (3-D Secure
   * return, gateway webhook, status sync) settles a payment later: an attempt that succeeds then is
   * sent to the post-authorisation check here.
   */
  async function applyOutcome(ref: string | TxnRef, outcome: AuthorizeOutcome, extra: { latencyMs?: number; directAnswer?: boolean } = {}): Promise<{ order: Order; txn: Txn; autoRefund: boolean }> {
    const known = typeof ref === 'string' ? await store.getTxn(ref) : ref;
    if (!known) throw notFound('Transaction');
    const txnUuid = known.id;
    const hooks = await targetOf(known.merchantId);
    const result = await store.transaction(async (tx) => {
      const locked = await tx.lockOrderWithTxn(known.orderPk, txnUuid); // the attempt is read under the order's lock
      if (!locked) throw notFound('Transaction');
      const { order, txn } = locked;
      let next = statusOfOutcome(outcome);
      // A UPI collect request waits for the shopper to approve it in their UPI app: Juspay reports
      // that as PENDING_VBV (authentication in progress), and so do we. The order stays locked.
      const upiCollect = txn.upi?.txn_type === 'UPI_COLLECT';
      if (outcome.kind === 'PENDING' && upiCollect && ['STARTED', 'PENDING_VBV'].includes(txn.status)) next = 'PENDING_VBV';
      // An authorisation of an automatically captured attempt is its charge: the gateway captures it
      // itself (Adyen after a redirect or in its AUTHORISATION webhook says only "Authorised").
      if (next === 'AUTHORIZED' && txn.txnType !== 'PRE_AUTH' && !['CAPTURE_INITIATED', 'VOID_INITIATED'].includes(txn.status)) next = 'CHARGED';
      // No news about a pending capture or void (a gateway without a status API): nothing changes.
      if (outcome.kind === 'UNKNOWN' && (txn.status === 'CAPTURE_INITIATED' || txn.status === 'VOID_INITIATED')) return { order, txn, autoRefund: false, unchanged: true };
      // A capture or void accepted earlier and settled now (webhook, sync): a failure is that operation's failure.
      if (outcome.kind === 'FAILED' && txn.status === 'CAPTURE_INITIATED') next = 'CAPTURE_FAILED';
      if (outcome.kind === 'FAILED' && txn.status === 'VOID_INITIATED') next = 'VOID_FAILED';
      // A gateway that still reports the authorisation while our capture is pending has not settled it yet.
      if (outcome.kind === 'AUTHORIZED' && (txn.status === 'CAPTURE_INITIATED' || txn.status === 'VOID_INITIATED')) return { order, txn, autoRefund: false, unchanged: true };
      if (txn.status === next && (next !== 'PENDING_VBV' || outcome.kind === 'PENDING')) return { order, txn, autoRefund: false, unchanged: true };
      const succeeded = next === 'CHARGED' || next === 'AUTHORIZED';
      const duplicate = succeeded && order.chargedTxnId !== null && order.chargedTxnId !== txn.id;
      const settlesOperation = ['CAPTURE_INITIATED', 'VOID_INITIATED'].includes(txn.status);
      if (duplicate) next = 'AUTO_REFUNDED';
      if (txn.status !== next && !isTxnTransitionAllowed(txn.status, next)) {
        // A late or repeated gateway answer that cannot change a settled attempt: keep what we have.
        log('warn', 'ignored gateway outcome for a settled transaction', { txn: txn.txnId, status: txn.status, outcome: next });
        return { order, txn, autoRefund: false, unchanged: true };
      }
      const failed = outcome.kind === 'FAILED';
      const txnPatch: TxnPatch = {
        status: next,
        gatewayTxnId: outcome.raw.gatewayTxnId ?? txn.gatewayTxnId,
        gatewayCode: outcome.raw.code,
        gatewayMessage: outcome.raw.message,
        gatewayResponse: { code: outcome.raw.code, message: outcome.raw.message, rrn: outcome.raw.rrn ?? null, auth_id_code: outcome.raw.authIdCode ?? null, body: outcome.raw.body ?? null },
        errorCode: failed ? outcome.unified.code : duplicate ? 'DUPLICATE_CHARGE_REFUNDED' : null,
        errorMessage: failed ? outcome.unified.message : duplicate ? 'Order was already charged by another attempt; this charge is refunded' : null,
        errorCategory: failed ? outcome.unified.category : null,
        authentication: outcome.kind === 'PENDING_AUTHENTICATION' ? outcome.authentication : txn.authentication,
        // Juspay's txn_detail.redirect: the shopper was sent to a bank, wallet or 3-D Secure page.
        ...(outcome.kind === 'PENDING_AUTHENTICATION' ? { redirect: true } : {}),
        ...(extra.latencyMs !== undefined ? { latencyMs: extra.latencyMs } : {}),
      };
      if (settlesOperation) {
        // A capture or void settled late: the routing feedback was given when the payment was authorised.
        const settled = await tx.updateTxnAndOrder(txn.id, txnPatch, order.id, { status: next as OrderStatus, ...(next === 'CHARGED' || next === 'CAPTURE_INITIATED' ? {} : { amountCaptured: null }) });
        if (next === 'CHARGED') await emit(tx, hooks, settled.order, 'TXN_CHARGED', settled.txn);
        return { order: settled.order, txn: settled.txn, autoRefund: false, unchanged: true };
      }
      if (duplicate) {
        const updatedTxn = await tx.updateTxn(txn.id, txnPatch);
        await emit(tx, hooks, order, 'AUTO_REFUND_SUCCEEDED', updatedTxn);
        return { order, txn: updatedTxn, autoRefund: true };
      }
      // The order follows the attempt that speaks for it, unless another attempt already decided it.
      let orderStatus: OrderStatus = order.status;
      const isLatest = order.lastTxnId === txn.id;
      if (succeeded || isLatest || order.status === 'NEW') orderStatus = next as OrderStatus;
      if (order.chargedTxnId && !settlesOperation) orderStatus = order.status;
      const holdsLock = order.lockTxnId === txn.id;
      const keepLock = next === 'AUTHORIZING' || next === 'STARTED' || (next === 'PENDING_VBV' && upiCollect);
      if (orderStatus !== order.status) assertOrderTransition(order.status, orderStatus);
      // The attempt and its order in one statement (one round trip fewer under the order's lock).
      const { txn: updatedTxn, order: updatedOrder } = await tx.updateTxnAndOrder(txn.id, txnPatch, order.id, {
        status: orderStatus,
        ...(succeeded ? { chargedTxnId: txn.id } : {}),
        ...(holdsLock && !keepLock ? { lockTxnId: null } : {}),
        ...(!holdsLock && keepLock && !order.lockTxnId ? { lockTxnId: txn.id } : {}),
      });
      if (next === 'CHARGED') {
        await emit(tx, hooks, updatedOrder, 'TXN_CHARGED', updatedTxn);
        await emit(tx, hooks, updatedOrder, 'ORDER_SUCCEEDED', updatedTxn);
      } else if (next === 'AUTHORIZED') {
        await emit(tx, hooks, updatedOrder, 'ORDER_SUCCEEDED', updatedTxn);
        // Held for risk review before the gateway was asked: it waits for a reviewer now.
        if (updatedTxn.risk?.review?.state === 'PENDING') await emit(tx, hooks, updatedOrder, 'TXN_MANUAL_REVIEW_NEEDED', updatedTxn);
      } else if (next === 'AUTHORIZATION_FAILED' || next === 'AUTHENTICATION_FAILED') {
        await emit(tx, hooks, updatedOrder, 'TXN_FAILED', updatedTxn);
        if (isLatest) await emit(tx, hooks, updatedOrder, 'ORDER_FAILED', updatedTxn);
      }
      return { order: updatedOrder, txn: updatedTxn, autoRefund: false };
    });
    // The card-testing guard counts a decline of an attempt that went through risk checks whichever
    // way it arrives (direct answer, gateway webhook, status sync): only the call that moved the
    // attempt to the decline gets here, so each attempt counts once.
    if (!('unchanged' in result) && result.txn.risk?.sources && isDecline(result.txn, outcome)) await feedCardTesting(result.order, result.txn);
    if (result.autoRefund) await refundDuplicateCharge(result.txn);
    // Feedback once per settled attempt: a repeated or ignored answer (webhook after the direct reply) changes nothing.
    else if (!('unchanged' in result) && ['CHARGED', 'AUTHORIZED', 'AUTHORIZATION_FAILED', 'AUTHENTICATION_FAILED'].includes(result.txn.status)) deps.onOutcome?.(result.txn, result.order);
    // A payment that went through risk checks and succeeded after the direct answer (3-D Secure,
    // UPI collect, a webhook, the sync) gets its post-authorisation check now, once.
    if (!extra.directAnswer && !('unchanged' in result) && !result.autoRefund && result.txn.risk && !result.txn.risk.postAuth && (result.txn.status === 'AUTHORIZED' || result.txn.status === 'CHARGED')) {
      const checked = await applyPostAuth(result.txn, storedRiskContext(result.order, result.txn));
      if (checked) return { order: checked.order, txn: checked.txn, autoRefund: false };
    }
    return { order: result.order, txn: result.txn, autoRefund: result.autoRefund };
  }

  /**
   * The risk context of a stored attempt, for what comes after the request is gone (a later
   * post-authorisation check, a later decline counted by the card-testing guard): the order's fields, the attempt's card (bin, fingerprint, brand, issuer) and the
   * sources the attempt kept (client IP, customer id). The device id and the IP country were not
   * stored and are absent.
   */
  function storedRiskContext(order: Order, txn: Txn): RiskContext {
    const c = txn.card;
    return {
      merchantId: order.merchantId, orderId: order.orderId, amount: order.amount, currency: order.currency,
      paymentMethodType: txn.paymentMethodType, paymentMethod: txn.paymentMethod || null,
      card: c ? { fingerprint: c.card_fingerprint || null, bin: txn.risk?.sources?.bin ?? c.card_isin, extendedBin: c.extended_card_isin || null, brand: c.card_brand, type: c.card_type, issuer: c.card_issuer, issuerCountry: c.card_issuer_country } : null,
      email: order.customerEmail, customerId: txn.risk?.sources?.customerId ?? order.customerId, clientIp: txn.risk?.sources?.clientIp ?? null, deviceId: null,
      billingCountry: order.billingAddress.country ?? null, ipCountry: null, metadata: order.metadata, udf: order.udf, nowMillis: now().getTime(),
    };
  }

  /** A decline the card-testing guard counts: a hard or soft decline or failed authentication, not a technical error. */
  function isDecline(txn: Txn, outcome: AuthorizeOutcome): boolean {
    return (txn.status === 'AUTHORIZATION_FAILED' || txn.status === 'AUTHENTICATION_FAILED') && outcome.kind === 'FAILED' && outcome.failure !== 'TECHNICAL_ERROR' && outcome.failure !== 'GATEWAY_DOWN';
  }

  /** One event id per attempt: a repeated report can never count twice in the counters either. */
  function cardTestingEventId(txn: Pick<Txn, 'id'>): string {
    return `ct_${txn.id}`;
  }

  async function feedCardTesting(order: Order, txn: Txn): Promise<void> {
    if (!deps.risk || !txn.risk?.sources) return;
    await deps.risk.recordOutcome(storedRiskContext(order, txn), { declined: true }, cardTestingEventId(txn)).catch((error: unknown) => log('warn', 'risk outcome not recorded', { txn: txn.txnId, error: String(error) }));
  }

  /** A risk review's end (approved, rejected, expired), told to the merchant with the order as it is now. */
  async function emitReviewEvent(merchantId: string, txnUuid: string, eventName: 'TXN_REVIEW_APPROVED' | 'TXN_REVIEW_REJECTED' | 'TXN_REVIEW_EXPIRED'): Promise<void> {
    const txn = await store.getTxn(txnUuid);
    if (!txn || txn.merchantId !== merchantId) return;
    const [hooks, order] = await Promise.all([targetOf(merchantId), store.getOrderByPk(txn.orderPk)]);
    if (!order) return;
    await store.transaction(async (tx) => emit(tx, hooks, order, eventName, txn));
  }

  /** The shopper's browser comes back from the bank page: finish authentication, then send them to the merchant. */
  async function completeAuthentication(txnUuid: string, params: Record<string, string>): Promise<{ redirectTo: string | null; order: Order; txn: Txn; waiting?: boolean }> {
    const txn = await store.getTxn(txnUuid);
    if (!txn) throw notFound('Transaction');
    let current = txn;
    if (txn.status === 'PENDING_VBV' && txn.upi?.txn_type === 'UPI_COLLECT') {
      // The page the shopper waits on while approving the collect request: ask the gateway, and keep
      // waiting (the page refreshes) until the payment settles; then on to the merchant.
      current = await syncTxn(txn.id);
      if (current.status === 'PENDING_VBV') return { redirectTo: null, order: (await store.getOrderByPk(current.orderPk))!, txn: current, waiting: true };
    } else if ((txn.status === 'PENDING_VBV' || txn.status === 'VBV_SUCCESSFUL') && txn.gateway && txn.gatewayAccountId && txn.gatewayTxnId) {
      const connector = connectors.get(txn.gateway);
      if (connector) {
        const account = await merchants.connectorAccount(txn.merchantId, txn.gatewayAccountId);
        const outcome = await connector.completeAuthentication(account, txn.gatewayTxnId, params);
        current = (await applyOutcome(txn, outcome)).txn;
      }
    }
    const order = (await store.getOrderByPk(current.orderPk))!;
    return { redirectTo: await signedReturnUrl(order), order, txn: current };
  }

  async function signedReturnUrl(order: Order): Promise<string | null> {
    if (!order.returnUrl) return null;
    const params: Record<string, string> = { order_id: order.orderId, status: order.status, status_id: String(STATUS_ID[order.status]) };
    const signature = signReturnParams(params, await merchants.responseKey(order.merchantId));
    const url = new URL(order.returnUrl);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    url.searchParams.set('signature', decodeURIComponent(signature));
    url.searchParams.set('signature_algorithm', 'HMAC-SHA256');
    return url.toString();
  }

  /** Asks the gateway for the current state of an unsettled attempt (status sync job). */
  async function syncTxn(txnUuid: string): Promise<Txn> {
    const txn = await store.getTxn(txnUuid);
    if (!txn) throw notFound('Transaction');
    if (!txn.gateway || !txn.gatewayAccountId) return txn;
    const connector = connectors.get(txn.gateway);
    if (!connector) return txn;
    if (!txn.gatewayTxnId) {
      // We never heard back from authorize: only our merchant reference (the txn id we sent) identifies it.
      const outcome = await connector.syncStatus(await merchants.connectorAccount(txn.merchantId, txn.gatewayAccountId), txn.txnId);
      return (await applyOutcome(txn, outcome)).txn;
    }
    let outcome = await connector.syncStatus(await merchants.connectorAccount(txn.merchantId, txn.gatewayAccountId), txn.gatewayTxnId);
    if (outcome.kind === 'PENDING_AUTHENTICATION' && txn.status === 'PENDING_VBV') return txn;
    if (txn.status === 'PENDING_VBV' && outcome.kind === 'FAILED' && outcome.unified.code === 'TRANSACTION_NOT_FOUND') {
      // A redirect-first gateway (PayU's hosted page) knows the payment only once the shopper's browser
      // has posted it there: "not found" means not yet. Keep waiting for the shopper; past the window the
      // shopper has dropped the payment, which is not the gateway's failure.
      if (now().getTime() - txn.createdAt.getTime() < AUTHENTICATION_WINDOW_MS) return txn;
      outcome = { kind: 'FAILED', raw: outcome.raw, failure: 'AUTHENTICATION_FAILED', unified: { code: 'USER_DROPPED', message: 'The shopper did not complete the payment', category: 'USER_DROPPED' } };
    }
    return (await applyOutcome(txn, outcome)).txn;
  }

  /** An incoming gateway webhook for one of our accounts. */
  async function handleGatewayWebhook(gateway: string, accountId: string, merchantId: string, request: IncomingHttpRequest): Promise<{ handled: boolean; duplicate?: boolean }> {
    const connector = connectors.get(gateway);
    if (!connector) throw notFound(`Gateway ${gateway}`);
    const account = await merchants.connectorAccount(merchantId, accountId);
    let event: Awaited<ReturnType<Connector['parseWebhook']>>;
    try {
      event = await connector.parseWebhook(account, request);
    } catch (error) {
      // A forged or garbled webhook is the sender's error (4xx), not ours: it changes nothing.
      if (error instanceof ConnectorError && error.kind === 'SIGNATURE') {
        throw new AppError('INVALID_INPUT', 'Webhook signature does not match', { fields: [{ field_name: 'signature', reason: 'does not match the account webhook secret' }] });
      }
      if (error instanceof ConnectorError && error.kind === 'PROTOCOL') {
        throw new AppError('INVALID_INPUT', `Webhook body not understood: ${error.message}`, { fields: [{ field_name: 'body', reason: 'is not a webhook of this gateway' }] });
      }
      throw error;
    }
    if (event.kind === 'IGNORED') return { handled: false };
    // A provider delivers an event more than once: process each event id once per account.
    if (event.eventId && !(await store.recordGatewayEvent(merchantId, accountId, event.eventId))) return { handled: false, duplicate: true };
    try {
      if (event.kind === 'PAYMENT') {
        let txn = await store.findTxnByGatewayTxnId(gateway, event.gatewayTxnId);
        if ((!txn || txn.merchantId !== merchantId) && event.merchantReference) {
          // An attempt that timed out knows no gateway id yet: our txn id, sent as the reference, finds it
          // (only on this account, and only while it has no other gateway id).
          const byReference = await store.getTxnByTxnId(merchantId, event.merchantReference);
          if (byReference && byReference.gatewayAccountId === accountId && (byReference.gatewayTxnId === null || byReference.gatewayTxnId === event.gatewayTxnId)) txn = byReference;
        }
        if (!txn || txn.merchantId !== merchantId) {
          // Perhaps ahead of our own record of the payment (the event came before the gateway's answer did): a redelivery must still count.
          if (event.eventId) await store.forgetGatewayEvent(accountId, event.eventId);
          return { handled: false };
        }
        await applyOutcome(txn, event.outcome);
        return { handled: true };
      }
      // Our refund id when the event names it, else the gateway's id of the refund we stored when it was accepted.
      const refundId = event.refundId ?? (await store.getRefundByRef(merchantId, event.gatewayRefundId))?.id;
      if (!refundId) return { handled: false };
      await settleRefund(refundId, event.outcome);
      return { handled: true };
    } catch (error) {
      // Not processed: the provider's next delivery must be.
      if (event.eventId) await store.forgetGatewayEvent(accountId, event.eventId);
      throw error;
    }
  }

  return {
    updateFulfillment,
    orderForPaymentPage,
    createOrder,
    updateOrder,
    getOrderStatus,
    listOrders,
    createTxn,
    applyOutcome,
    completeAuthentication,
    syncTxn,
    handleGatewayWebhook,
    refund,
    settleRefund,
    syncRefund,
    capture,
    voidTxn,
    applyRiskVerdict,
    emitReviewEvent,
    statusOf,
    primaryTxn,
  };
}

export type PaymentService = ReturnType<typeof createPaymentService>;
