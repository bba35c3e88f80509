// Manual capture and void of an AUTHORIZED transaction (Juspay's pre-auth flow: an order created
// with metadata.txns.auto_capture=false is authorised only). Capture takes the whole authorised
// amount or less (partial capture, where the gateway allows it); void releases the hold. The
// transaction moves to CAPTURE_INITIATED / VOID_INITIATED under the order's lock before the gateway
// is called, so two concurrent captures can never both reach the gateway; the gateway's answer then
// settles it: success, failure, accepted-and-pending (settled later by webhook or status sync), or
// no answer (back to AUTHORIZED, as Juspay documents; the idempotency key makes a retry safe).
import { AppError, invalidField, notFound } from '../errors.ts';
import { formatAmountString, parseAmount } from '../money.ts';
import type { CaptureOutcome } from '../ports/connector.ts';
import type { TxnStatus } from '../status.ts';
import { type FlatBody, readString } from './input.ts';
import type { PaymentContext } from './payment-context.ts';
import type { Order, Txn } from './types.ts';

/** The order metadata key of Juspay's pre-auth flag. */
export const AUTO_CAPTURE_METADATA_KEY = 'txns.auto_capture';

/** Whether payments on this order are authorised only (captured later by the merchant). */
export function isManualCapture(order: Pick<Order, 'metadata'>): boolean {
  return order.metadata[AUTO_CAPTURE_METADATA_KEY] === 'false';
}

const CAPTURABLE: readonly TxnStatus[] = ['AUTHORIZED', 'CAPTURE_FAILED'];
const VOIDABLE: readonly TxnStatus[] = ['AUTHORIZED', 'CAPTURE_FAILED', 'VOID_FAILED'];

type Operation = 'capture' | 'void';

export interface CaptureFlowOptions {
  /** Does this gateway take a capture of less than the authorised amount? */
  partialCaptureAllowed?: (gateway: string) => boolean;
}

/** Throws unless this attempt may be captured (of `value`) or voided now. */
function assertOperationAllowed(order: Order, current: Txn, operation: Operation, value: number, options: CaptureFlowOptions): void {
  const allowed = operation === 'capture' ? CAPTURABLE : VOIDABLE;
  if (!allowed.includes(current.status)) {
    throw new AppError('INVALID_ACTION', `Only AUTHORIZED transactions can be ${operation === 'capture' ? 'captured' : 'voided'}; transaction ${current.txnId} is ${current.status}`, {
      fields: [{ field_name: 'txn_uuid', reason: `transaction is ${current.status}` }],
    });
  }
  if (order.chargedTxnId !== current.id) {
    throw new AppError('INVALID_ACTION', `Transaction ${current.txnId} does not hold order ${order.orderId}`, {
      fields: [{ field_name: 'txn_uuid', reason: 'not the authorised transaction of its order' }],
    });
  }
  if (operation === 'capture') {
    if (value > current.amount) {
      throw invalidField('amount', `exceeds the authorised amount (${formatAmountString(current.amount, current.currency)} ${current.currency})`);
    }
    if (value < current.amount && current.gateway && options.partialCaptureAllowed && !options.partialCaptureAllowed(current.gateway)) {
      throw invalidField('amount', `is less than the authorised amount, and ${current.gateway} does not take partial captures`);
    }
  }
}

/** The attempt's status after the gateway's answer to a capture or void (a timeout leaves the authorisation standing). */
function statusAfter(operation: Operation, outcome: CaptureOutcome, timedOut: boolean): TxnStatus {
  if (outcome.kind === 'SUCCESS') return operation === 'capture' ? 'CHARGED' : 'VOIDED';
  if (outcome.kind === 'PENDING') return operation === 'capture' ? 'CAPTURE_INITIATED' : 'VOID_INITIATED';
  if (timedOut) return 'AUTHORIZED';
  return operation === 'capture' ? 'CAPTURE_FAILED' : 'VOID_FAILED';
}

export function createCaptureFlow(ctx: PaymentContext, options: CaptureFlowOptions = {}) {
  const { store, merchants, connectors, log, emit, targetOf, statusOf } = ctx;

  async function requireTxn(merchantId: string, txnUuid: string): Promise<Txn> {
    const txn = await store.getTxn(txnUuid);
    // Another merchant's transaction is not found, exactly like a missing one.
    if (!txn || txn.merchantId !== merchantId) {
      throw new AppError('RESOURCE_NOT_FOUND', `Transaction ${txnUuid} not found`, { fields: [{ field_name: 'txn_uuid', reason: 'no such transaction for this merchant' }] });
    }
    return txn;
  }

  /** Moves the attempt to *_INITIATED under the order's lock; answers null when the request is a retry of a settled one. */
  async function begin(txn: Txn, operation: Operation, amount: number | null): Promise<{ order: Order; txn: Txn; amount: number } | null> {
    return store.transaction(async (tx) => {
      const locked = await tx.lockOrderWithTxn(txn.orderPk, txn.id);
      if (!locked) throw notFound('Transaction');
      const { order, txn: current } = locked;
      const done: TxnStatus = operation === 'capture' ? 'CHARGED' : 'VOIDED';
      if (current.status === done && current.txnType === 'PRE_AUTH') return null; // a retry: answer the settled state
      const value = amount ?? current.amount;
      assertOperationAllowed(order, current, operation, value, options);
      const initiated: TxnStatus = operation === 'capture' ? 'CAPTURE_INITIATED' : 'VOID_INITIATED';
      const updatedTxn = await tx.updateTxn(current.id, { status: initiated });
      const updatedOrder = await tx.updateOrder(order.id, {
        status: initiated,
        ...(operation === 'capture' ? { amountCaptured: value < order.amount ? value : null } : {}),
      });
      return { order: updatedOrder, txn: updatedTxn, amount: value };
    });
  }

  /** Stores the gateway's answer to a capture or void. */
  async function settle(txnUuid: string, operation: Operation, outcome: CaptureOutcome): Promise<void> {
    const known = await store.getTxn(txnUuid);
    if (!known) return;
    const hooks = await targetOf(known.merchantId);
    await store.transaction(async (tx) => {
      const locked = await tx.lockOrderWithTxn(known.orderPk, txnUuid);
      if (!locked) return;
      const { order, txn } = locked;
      const initiated: TxnStatus = operation === 'capture' ? 'CAPTURE_INITIATED' : 'VOID_INITIATED';
      if (txn.status !== initiated) return; // a webhook settled it meanwhile
      const timedOut = outcome.kind === 'FAILURE' && outcome.unified.code === 'TIMEOUT_UNKNOWN';
      const next = statusAfter(operation, outcome, timedOut);
      const failed = outcome.kind === 'FAILURE' && !timedOut;
      const updatedTxn = await tx.updateTxn(txn.id, {
        status: next,
        gatewayCode: outcome.raw.code,
        gatewayMessage: outcome.raw.message,
        gatewayResponse: { ...(txn.gatewayResponse ?? {}), [operation]: { code: outcome.raw.code, message: outcome.raw.message, body: outcome.raw.body ?? null } },
        ...(failed ? { errorCode: outcome.unified.code, errorMessage: outcome.unified.message, errorCategory: outcome.unified.category } : {}),
      });
      const updatedOrder = await tx.updateOrder(order.id, {
        status: next,
        // A capture that did not happen leaves nothing captured: the whole authorisation stands.
        ...(operation === 'capture' && next !== 'CHARGED' && next !== 'CAPTURE_INITIATED' ? { amountCaptured: null } : {}),
      });
      if (next === 'CHARGED') await emit(tx, hooks, updatedOrder, 'TXN_CHARGED', updatedTxn);
    });
  }

  async function run(merchantId: string, txnUuid: string, body: FlatBody, operation: Operation): Promise<Record<string, unknown>> {
    const idempotenceKey = readString(body, 'idempotence_key', { max: 64, pattern: /^[A-Za-z0-9_.:-]+$/, patternReason: 'must be letters, digits and _ . : -' });
    const txn = await requireTxn(merchantId, txnUuid);
    const amountRaw = body.amount;
    const amount = operation === 'capture' && amountRaw !== undefined && amountRaw !== '' ? parseAmount(amountRaw, txn.currency) : null;
    const started = await begin(txn, operation, amount);
    if (started) {
      const current = started.txn;
      const connector = current.gateway ? connectors.get(current.gateway) : undefined;
      let outcome: CaptureOutcome;
      if (!connector || !current.gatewayAccountId || !current.gatewayTxnId) {
        outcome = {
          kind: 'FAILURE',
          raw: { code: 'NO_CONNECTOR', message: 'Gateway not available', gatewayTxnId: current.gatewayTxnId },
          unified: { code: 'GATEWAY_NOT_CONFIGURED', message: 'The gateway is not available', category: 'GATEWAY_ERROR' },
        };
      } else {
        // One key per operation on the attempt unless the merchant gave one: a retry repeats it, never a second capture.
        const key = idempotenceKey ?? `${operation}_${current.id}`;
        try {
          const account = await merchants.connectorAccount(merchantId, current.gatewayAccountId);
          outcome = operation === 'capture' ? await connector.capture(account, current.gatewayTxnId, started.amount, current.currency, key) : await connector.void(account, current.gatewayTxnId, key);
        } catch (error) {
          // A broken integration: we cannot tell whether the gateway acted, so the status sync settles it.
          log('error', `connector ${operation} threw`, { gateway: current.gateway, txn: current.txnId, error: error instanceof Error ? error.message : String(error) });
          outcome = { kind: 'PENDING', raw: { code: 'CONNECTOR_ERROR', message: error instanceof Error ? error.message : 'connector error', gatewayTxnId: current.gatewayTxnId } };
        }
      }
      await settle(current.id, operation, outcome);
    }
    return statusOf((await store.getOrderByPk(txn.orderPk))!);
  }

  return {
    /** POST /v2/txns/:txn_uuid/capture: `amount` (optional, major units) and `idempotence_key` (optional). */
    capture: (merchantId: string, txnUuid: string, body: FlatBody) => run(merchantId, txnUuid, body, 'capture'),
    /** POST /v2/txns/:txn_uuid/void. */
    voidTxn: (merchantId: string, txnUuid: string, body: FlatBody) => run(merchantId, txnUuid, body, 'void'),
  };
}

export type CaptureFlow = ReturnType<typeof createCaptureFlow>;
