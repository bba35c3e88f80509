// The in-memory payments of one simulator, indexed by the gateway's id, by the request's
// idempotency key (a retried request finds its payment) and by our txn id (the merchant
// reference: a lookup after a timeout, when the caller never learnt the gateway's id).
import { idempotencyIndexKey, referenceIndexKey, type LedgerPayment } from './simulator-ledger.ts';

export class SimulatorPayments {
  private readonly payments = new Map<string, LedgerPayment>();
  private readonly idempotency = new Map<string, string>();
  /** gateway + our txn id -> gateway txn id: lookup by reference after a timeout. */
  private readonly references = new Map<string, string>();

  get(gatewayTxnId: string): LedgerPayment | undefined {
    return this.payments.get(gatewayTxnId);
  }

  has(gatewayTxnId: string): boolean {
    return this.payments.has(gatewayTxnId);
  }

  values(): IterableIterator<LedgerPayment> {
    return this.payments.values();
  }

  idByIdempotencyKey(gateway: string, accountId: string, idempotencyKey: string): string | undefined {
    return this.idempotency.get(idempotencyIndexKey(gateway, accountId, idempotencyKey));
  }

  idByReference(gateway: string, reference: string): string | undefined {
    return this.references.get(referenceIndexKey(gateway, reference));
  }

  /** Holds the payment under its id, its idempotency key and its reference. */
  add(payment: LedgerPayment): void {
    this.payments.set(payment.gatewayTxnId, payment);
    this.idempotency.set(idempotencyIndexKey(payment.gateway, payment.accountId, payment.idempotencyKey), payment.gatewayTxnId);
    this.references.set(referenceIndexKey(payment.gateway, payment.txnId), payment.gatewayTxnId);
  }

  /** Drops the payment, and its index entries where they still point at it. */
  remove(payment: LedgerPayment): void {
    const gatewayTxnId = payment.gatewayTxnId;
    this.payments.delete(gatewayTxnId);
    const idempotencyKey = idempotencyIndexKey(payment.gateway, payment.accountId, payment.idempotencyKey);
    if (this.idempotency.get(idempotencyKey) === gatewayTxnId) this.idempotency.delete(idempotencyKey);
    const reference = referenceIndexKey(payment.gateway, payment.txnId);
    if (this.references.get(reference) === gatewayTxnId) this.references.delete(reference);
  }

  clear(): void {
    this.payments.clear();
    this.idempotency.clear();
    this.references.clear();
  }
}
