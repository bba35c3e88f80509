// Starting an attempt: the order is claimed for it (status, attempt count, in-flight lock) and its
// row inserted, atomically; a card to save is vaulted in the same transaction, and the merchant's
// TXN_CREATED (and, for an attempt that cannot go anywhere, its failure) is queued with it.
import { AppError, notFound } from '../errors.ts';
import { encryptSecret, newId } from '../crypto.ts';
import type { RoutingDecisionRecord } from '../../routing/index.ts';
import type { RoutedGateway } from '../ports/router.ts';
import type { AttemptTxn } from '../ports/payment-store.ts';
import { allOrderStatuses, assertOrderTransition, isOrderTransitionAllowed, ORDER_CLOSED_STATUSES, type OrderStatus } from '../status.ts';
import { isManualCapture } from './capture-flow.ts';
import type { PaymentContext, WebhookTarget } from './payment-context.ts';
import type { CardInput, PaymentInput } from './payment-input.ts';
import { riskDeclineMessage } from './risk-records.ts';
import type { Order, StoredCard, Txn, TxnRisk } from './types.ts';

export const MAX_TXNS_PER_ORDER = 25;

/** Order statuses from which a new attempt may start, per the transition table (closed orders never). */
const CAN_START_ATTEMPT: Record<'STARTED' | 'JUSPAY_DECLINED', readonly OrderStatus[]> = {
  STARTED: allOrderStatuses().filter((s) => !ORDER_CLOSED_STATUSES.includes(s) && isOrderTransitionAllowed(s, 'STARTED')),
  JUSPAY_DECLINED: allOrderStatuses().filter((s) => !ORDER_CLOSED_STATUSES.includes(s) && isOrderTransitionAllowed(s, 'JUSPAY_DECLINED')),
};

/**
 * The merchant-facing id of an order's n-th attempt (1-based). The one-statement claim of the
 * payment store (claimOrderAndInsertTxn) builds the same id in its SQL from the claimed count.
 */
export function attemptTxnId(merchantId: string, orderId: string, attempt: number): string {
  return `${merchantId}-${orderId}-${attempt}`;
}

function storedCard(card: CardInput, fingerprint: string, reference: string | null, flags: { usingSaved: boolean; saved: boolean }): StoredCard {
  return {
    card_isin: card.bin,
    extended_card_isin: card.extendedBin,
    last_four_digits: card.last4,
    card_brand: card.brand,
    card_type: card.type,
    card_sub_type: card.subType,
    card_issuer: card.issuer,
    card_issuer_country: card.issuerCountry,
    expiry_month: card.expMonth,
    expiry_year: card.expYear,
    name_on_card: card.holderName,
    card_fingerprint: fingerprint,
    card_reference: reference,
    using_saved_card: flags.usingSaved,
    saved_to_locker: flags.saved,
    using_token: flags.usingSaved,
  };
}

export interface AttemptInput {
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

/** The fields of a new attempt that come from the request and the routing decision (not from its order). */
function attemptFields(input: AttemptInput, riskDecline: TxnRisk | null, reference: string | null, saved = false): Omit<AttemptTxn, 'merchantId' | 'status' | 'preAuth'> {
  const { payment, card, cardToken, fingerprint, chosen, record } = input;
  const noGateway = chosen === null;
  return {
    paymentMethodType: payment.paymentMethodType,
    paymentMethod: payment.paymentMethod,
    authType: payment.authType,
    gateway: chosen?.gateway ?? null,
    gatewayId: chosen?.gatewayId ?? null,
    gatewayAccountId: chosen?.accountId ?? null,
    gatewayReferenceId: chosen?.gatewayReferenceId ?? null,
    gatewayTxnId: null,
    card: card && fingerprint ? storedCard(card, fingerprint, reference, { usingSaved: cardToken !== null, saved }) : null,
    upi: payment.upi ? { txn_type: payment.upi.txnType, vpa: payment.upi.vpa, app: payment.upi.app } : null,
    wallet: payment.wallet?.name ?? null,
    bank: payment.bank,
    errorCode: riskDecline ? (riskDecline.code ?? 'RISK_RULE') : noGateway ? 'GATEWAY_NOT_FOUND' : null,
    errorMessage: riskDecline ? riskDeclineMessage(riskDecline) : noGateway ? "Can't find a suitable gateway to process the transaction" : null,
    errorCategory: riskDecline ? 'BUSINESS_ERROR' : noGateway ? 'CONFIG_ERROR' : null,
    gatewayCode: null,
    gatewayMessage: null,
    gatewayResponse: null,
    authentication: null,
    routingDecision: record,
    risk: input.risk ?? null,
    redirect: payment.redirectAfterPayment,
    latencyMs: null,
  };
}

/** Why an order could not be claimed for a new attempt, read under its lock. */
function refusedClaim(locked: Order | null, orderId: string, nextStatus: OrderStatus): AppError {
  if (!locked) return notFound(`Order ${orderId}`);
  if (ORDER_CLOSED_STATUSES.includes(locked.status)) {
    return new AppError('INVALID_ACTION', `Order ${orderId} is already ${locked.status} and takes no new transaction`, { fields: [{ field_name: 'order_id', reason: `order is ${locked.status}` }] });
  }
  if (locked.lockTxnId) {
    return new AppError('DUPLICATE_REQUEST', `A transaction on order ${orderId} is being processed; retry after it settles`, {
      fields: [{ field_name: 'order_id', reason: 'a transaction is in progress' }],
    });
  }
  if (locked.txnCount >= MAX_TXNS_PER_ORDER) {
    return new AppError('INVALID_ACTION', `Order ${orderId} has reached the limit of ${MAX_TXNS_PER_ORDER} transactions`, { fields: [{ field_name: 'order_id', reason: 'too many attempts' }] });
  }
  assertOrderTransition(locked.status, nextStatus);
  return new AppError('INVALID_ACTION', `Order ${orderId} cannot start a transaction now`, { fields: [{ field_name: 'order_id', reason: `order is ${locked.status}` }] });
}

export type StartAttemptDeps = Pick<PaymentContext, 'store' | 'keyRing' | 'emit'>;

/** Records an attempt and takes the order's in-flight lock, atomically. */
export function createStartAttempt({ store, keyRing, emit }: StartAttemptDeps) {
  return async function startAttempt(input: AttemptInput): Promise<{ order: Order; txn: Txn }> {
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
      const fast = await store.claimOrderAndInsertTxn(
        merchantId,
        orderId,
        {
          txnUuid,
          status: nextStatus,
          allowedFrom: CAN_START_ATTEMPT[nextStatus],
          maxTxns: MAX_TXNS_PER_ORDER,
          lock: !noGateway,
          withoutOrderWebhook: true,
        },
        {
          merchantId,
          status: noGateway ? 'JUSPAY_DECLINED' : 'STARTED',
          preAuth: input.holdForReview === true,
          ...attemptFields(input, riskDecline, cardToken),
        },
      );
      if (fast) return fast;
    }
    return store.transaction(async (tx) => {
      const txnUuid = newId('txn');
      // One statement claims the order for this attempt; when it cannot, read the order to say why.
      const claimed = await tx.claimOrderForAttempt(merchantId, orderId, {
        txnUuid,
        status: nextStatus,
        allowedFrom: CAN_START_ATTEMPT[nextStatus],
        maxTxns: MAX_TXNS_PER_ORDER,
        lock: !noGateway,
      });
      if (!claimed) throw refusedClaim(await tx.lockOrder(merchantId, orderId), orderId, nextStatus);
      const locked = claimed;
      const attempt = locked.txnCount;
      let reference: string | null = cardToken;
      let saved = false;
      // A card the risk checks declined is not saved for later payments.
      if (savesCard && card && fingerprint) {
        const vaulted = await tx.saveCard({
          token: newId('ctkn'),
          merchantId,
          customerId: locked.customerId,
          fingerprint,
          ciphertext: encryptSecret(keyRing, JSON.stringify({ number: card.number })),
          keyId: keyRing.primaryKeyId,
          card: {
            card_isin: card.bin,
            last_four_digits: card.last4,
            card_brand: card.brand,
            card_type: card.type,
            card_issuer: card.issuer,
            expiry_month: card.expMonth,
            expiry_year: card.expYear,
            name_on_card: card.holderName,
          },
        });
        reference = vaulted.token;
        saved = true;
      }
      const txn = await tx.insertTxn({
        id: txnUuid,
        merchantId,
        orderPk: locked.id,
        txnId: attemptTxnId(merchantId, orderId, attempt),
        attempt,
        status: noGateway ? 'JUSPAY_DECLINED' : 'STARTED',
        amount: locked.amount,
        currency: locked.currency,
        txnType: isManualCapture(locked) || input.holdForReview ? 'PRE_AUTH' : 'AUTH_AND_SETTLE',
        ...attemptFields(input, riskDecline, reference, saved),
      });
      await emit(tx, hooks, locked, 'TXN_CREATED', txn);
      if (noGateway) await emit(tx, hooks, locked, 'TXN_FAILED', txn);
      // A risk decline ends the order's attempt: the merchant hears it as a failed order.
      if (riskDecline) await emit(tx, hooks, locked, 'ORDER_FAILED', txn);
      return { order: locked, txn };
    });
  };
}
