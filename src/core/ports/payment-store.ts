// The storage port of the payment core. Reads stand alone; writes that must land together go
// through `transaction`, whose PaymentTx also queues webhooks in the same database transaction.
import type { WebhookEnvelope, WebhookEventName } from '../webhook-events.ts';
import type { OrderListCursor, OrderListQuery } from '../payments/order-list.ts';
import type { Customer, MerchantOrderField, Order, Refund, Txn, VaultedCard } from '../payments/types.ts';

export type NewOrder = Omit<Order, 'amountRefunded' | 'amountCaptured' | 'txnCount' | 'lockTxnId' | 'chargedTxnId' | 'lastTxnId' | 'fulfillment' | 'createdAt' | 'updatedAt'> & {
  clientAuthTokenHash: string | null;
};
export type OrderPatch = Partial<Pick<Order, 'amount' | 'status' | MerchantOrderField | 'amountRefunded' | 'amountCaptured' | 'txnCount' | 'lockTxnId' | 'chargedTxnId' | 'lastTxnId' | 'fulfillment'>>;
export type NewTxn = Omit<Txn, 'createdAt' | 'updatedAt'>;
export type TxnPatch = Partial<Omit<Txn, 'id' | 'merchantId' | 'orderPk' | 'txnId' | 'attempt' | 'createdAt' | 'updatedAt'>>;
export type NewRefund = Omit<Refund, 'createdAt' | 'updatedAt'>;
export type RefundPatch = Partial<Pick<Refund, 'status' | 'ref' | 'arn' | 'errorCode' | 'errorMessage' | 'sentToGateway'>> & { gatewayResponse?: Record<string, unknown> | null };
export type NewCustomer = Omit<Customer, 'createdAt' | 'updatedAt'>;
export type CustomerPatch = Partial<Pick<Customer, 'mobileNumber' | 'mobileCountryCode' | 'emailAddress' | 'firstName' | 'lastName'>>;

export interface OutgoingEvent {
  merchantId: string;
  eventName: WebhookEventName;
  payload: WebhookEnvelope;
  targetUrl: string;
  webhookVersion?: string | null;
}

export interface AttemptClaim {
  txnUuid: string;
  status: string;
  allowedFrom: readonly string[];
  maxTxns: number;
  lock: boolean;
  /** Claim only an order without its own metadata.webhook_url (whose events would have to be queued with the attempt). */
  withoutOrderWebhook?: boolean;
}
/** A new attempt's fields that do not come from its order (see PaymentStore.claimOrderAndInsertTxn). */
export type AttemptTxn = Omit<NewTxn, 'id' | 'orderPk' | 'txnId' | 'attempt' | 'amount' | 'currency' | 'txnType'> & { preAuth: boolean };

export interface PaymentTx {
  /** Inserts the order unless (merchant, order_id) exists; either way returns the stored order. */
  insertOrderIfAbsent(order: NewOrder): Promise<{ order: Order; created: boolean }>;
  /** Reads an order and locks its row until the transaction ends (SELECT ... FOR UPDATE). */
  lockOrder(merchantId: string, orderId: string): Promise<Order | null>;
  lockOrderByPk(orderPk: string): Promise<Order | null>;
  /**
   * Starts an attempt in one statement: if the order is in one of `allowedFrom`, holds no in-flight
   * lock and has fewer than `maxTxns` attempts, counts the attempt, sets the status, the latest
   * attempt and (when `lock`) the in-flight lock, and returns the updated order; otherwise null
   * (the caller reads the order to say why).
   */
  claimOrderForAttempt(merchantId: string, orderId: string, claim: { txnUuid: string; status: string; allowedFrom: readonly string[]; maxTxns: number; lock: boolean }): Promise<Order | null>;
  /**
   * Updates an attempt and its order in one statement (one round trip instead of two); both rows
   * change, or neither. Used under the order's lock, like updateTxn and updateOrder.
   */
  updateTxnAndOrder(txnUuid: string, txnPatch: TxnPatch, orderPk: string, orderPatch: OrderPatch): Promise<{ txn: Txn; order: Order }>;
  /** Locks an order row and reads one of its transactions under that lock, in one statement. */
  lockOrderWithTxn(orderPk: string, txnUuid: string): Promise<{ order: Order; txn: Txn } | null>;
  updateOrder(orderPk: string, patch: OrderPatch): Promise<Order>;
  insertTxn(txn: NewTxn): Promise<Txn>;
  getTxn(txnUuid: string): Promise<Txn | null>;
  updateTxn(txnUuid: string, patch: TxnPatch): Promise<Txn>;
  listTxns(orderPk: string): Promise<Txn[]>;
  getRefundByRequestId(merchantId: string, uniqueRequestId: string): Promise<Refund | null>;
  getRefund(refundId: string): Promise<Refund | null>;
  insertRefund(refund: NewRefund): Promise<Refund>;
  updateRefund(refundId: string, patch: RefundPatch): Promise<Refund>;
  listRefunds(orderPk: string): Promise<Refund[]>;
  saveCard(card: VaultedCard): Promise<VaultedCard>;
  enqueueEvent(event: OutgoingEvent): Promise<void>;
}

export interface PaymentStore {
  transaction<T>(fn: (tx: PaymentTx) => Promise<T>): Promise<T>;
  /** One statement, so it needs no transaction of its own. */
  insertOrderIfAbsent(order: NewOrder): Promise<{ order: Order; created: boolean }>;
  /**
   * claimOrderForAttempt and insertTxn in one statement, so it needs no transaction of its own (one
   * round trip instead of four). The attempt's order-derived fields come from the claimed row:
   * order_pk, attempt (the new txn_count), txn_id (`merchant-order-attempt`), amount, currency, and
   * txn_type (PRE_AUTH when `preAuth` or the order's `txns.auto_capture` metadata is 'false').
   * Null when the claim fails (nothing is written; the caller reads the order to say why).
   */
  claimOrderAndInsertTxn?(merchantId: string, orderId: string, claim: AttemptClaim, txn: AttemptTxn): Promise<{ order: Order; txn: Txn } | null>;
  getOrder(merchantId: string, orderId: string): Promise<Order | null>;
  getOrderByPk(orderPk: string): Promise<Order | null>;
  listTxns(orderPk: string): Promise<Txn[]>;
  getTxn(txnUuid: string): Promise<Txn | null>;
  getTxnByTxnId(merchantId: string, txnId: string): Promise<Txn | null>;
  findTxnByGatewayTxnId(gateway: string, gatewayTxnId: string): Promise<Txn | null>;
  /** A merchant's refund by the gateway's own id of it (`ref`). */
  getRefundByRef(merchantId: string, ref: string): Promise<Refund | null>;
  /** Records a gateway event as seen for an account: false when it was already recorded (a duplicate delivery). */
  recordGatewayEvent(merchantId: string, accountId: string, eventId: string): Promise<boolean>;
  /** Forgets a recorded event (its processing failed, so the provider's retry must be processed). */
  forgetGatewayEvent(accountId: string, eventId: string): Promise<void>;
  /** Transactions whose outcome is not known yet and that have not moved for `olderThanMs`. */
  listUnsettledTxns(olderThan: Date, limit: number): Promise<Txn[]>;
  /**
   * Claims refunds still PENDING and unchanged since `olderThan`, oldest change first, on the given
   * gateways and asked after `createdAfter` (those the refund sync may ask again): each is marked
   * changed now, so another instance does not take it for the next `olderThan` period.
   */
  claimPendingRefunds(olderThan: Date, limit: number, filter: { gateways: readonly string[]; createdAfter: Date }): Promise<Refund[]>;
  listRefunds(orderPk: string): Promise<Refund[]>;
  getCard(merchantId: string, token: string): Promise<VaultedCard | null>;
  insertCustomer(customer: NewCustomer): Promise<{ customer: Customer; created: boolean }>;
  getCustomer(merchantId: string, idOrReference: string): Promise<Customer | null>;
  updateCustomer(merchantId: string, customerId: string, patch: CustomerPatch): Promise<Customer>;
  /** A merchant's orders, newest first ((created_at, id) descending), after `query.after` when given. */
  listOrders(merchantId: string, query: OrderListQuery): Promise<Array<{ order: Order; cursor: OrderListCursor }>>;
}
