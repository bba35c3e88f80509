// Order and transaction statuses (Juspay's names and status_id values) and the one table of
// legal transitions. Every status change in the system goes through `assertTransition`.
import { AppError } from './errors.ts';

export const STATUS_ID = {
  NEW: 10,
  STARTED: 20,
  CHARGED: 21,
  JUSPAY_DECLINED: 22,
  PENDING_VBV: 23,
  VBV_SUCCESSFUL: 24,
  AUTHORIZED: 25,
  AUTHENTICATION_FAILED: 26,
  AUTHORIZATION_FAILED: 27,
  AUTHORIZING: 28,
  COD_INITIATED: 29,
  VOIDED: 31,
  VOID_INITIATED: 32,
  CAPTURE_INITIATED: 33,
  CAPTURE_FAILED: 34,
  VOID_FAILED: 35,
  AUTO_REFUNDED: 36,
  NOT_FOUND: 40,
} as const;

export type PaymentStatus = Exclude<keyof typeof STATUS_ID, 'NOT_FOUND'>;
export type TxnStatus = Exclude<PaymentStatus, 'NEW'>;
export type OrderStatus = PaymentStatus;

/** A capture or void under way, and cash on delivery: the same for a transaction and its order. */
const CAPTURE_AND_VOID = {
  CAPTURE_INITIATED: ['CHARGED', 'CAPTURE_FAILED', 'AUTHORIZED'],
  CAPTURE_FAILED: ['CAPTURE_INITIATED', 'VOID_INITIATED', 'VOIDED'],
  VOID_INITIATED: ['VOIDED', 'VOID_FAILED', 'AUTHORIZED'],
  VOID_FAILED: ['VOID_INITIATED', 'VOIDED'],
  COD_INITIATED: ['CHARGED', 'AUTHORIZATION_FAILED'],
} as const satisfies Record<string, readonly TxnStatus[]>;

/**
 * Legal transaction transitions. A transaction starts STARTED (created, gateway not yet
 * answered) and ends in one of the terminal states. AUTHORIZING and PENDING_VBV are the
 * "outcome not known yet" states: only a gateway answer (callback, webhook, sync) moves them.
 */
const TXN_TRANSITIONS: Record<TxnStatus, readonly TxnStatus[]> = {
  STARTED: ['PENDING_VBV', 'AUTHORIZING', 'CHARGED', 'AUTHORIZED', 'AUTHORIZATION_FAILED', 'AUTHENTICATION_FAILED', 'JUSPAY_DECLINED', 'COD_INITIATED'],
  PENDING_VBV: ['VBV_SUCCESSFUL', 'AUTHORIZING', 'CHARGED', 'AUTHORIZED', 'AUTHENTICATION_FAILED', 'AUTHORIZATION_FAILED', 'AUTO_REFUNDED'],
  VBV_SUCCESSFUL: ['AUTHORIZING', 'CHARGED', 'AUTHORIZED', 'AUTHORIZATION_FAILED', 'AUTO_REFUNDED'],
  AUTHORIZING: ['CHARGED', 'AUTHORIZED', 'AUTHORIZATION_FAILED', 'AUTO_REFUNDED'],
  AUTHORIZED: ['CAPTURE_INITIATED', 'CHARGED', 'VOID_INITIATED', 'VOIDED', 'CAPTURE_FAILED', 'AUTO_REFUNDED'],
  ...CAPTURE_AND_VOID,
  CHARGED: [],
  JUSPAY_DECLINED: [],
  AUTHENTICATION_FAILED: [],
  // A late success from the gateway after we recorded a failure (found by sync or webhook).
  AUTHORIZATION_FAILED: ['CHARGED', 'AUTO_REFUNDED'],
  VOIDED: [],
  AUTO_REFUNDED: [],
};

/** What an order with no transaction under way may become: the status of the transaction it starts (a new order, or a failed one retried). */
const TAKES_A_NEW_TXN: readonly OrderStatus[] = ['STARTED', 'PENDING_VBV', 'AUTHORIZING', 'CHARGED', 'AUTHORIZED', 'AUTHORIZATION_FAILED', 'AUTHENTICATION_FAILED', 'JUSPAY_DECLINED', 'COD_INITIATED'];

/** Legal order transitions: an order mirrors its latest transaction until it is CHARGED. */
const ORDER_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  NEW: TAKES_A_NEW_TXN,
  STARTED: ['PENDING_VBV', 'AUTHORIZING', 'CHARGED', 'AUTHORIZED', 'AUTHORIZATION_FAILED', 'AUTHENTICATION_FAILED', 'JUSPAY_DECLINED', 'COD_INITIATED', 'VBV_SUCCESSFUL'],
  PENDING_VBV: ['STARTED', 'VBV_SUCCESSFUL', 'AUTHORIZING', 'CHARGED', 'AUTHORIZED', 'AUTHENTICATION_FAILED', 'AUTHORIZATION_FAILED', 'JUSPAY_DECLINED', 'PENDING_VBV'],
  VBV_SUCCESSFUL: ['AUTHORIZING', 'CHARGED', 'AUTHORIZED', 'AUTHORIZATION_FAILED', 'STARTED'],
  AUTHORIZING: ['STARTED', 'CHARGED', 'AUTHORIZED', 'AUTHORIZATION_FAILED', 'PENDING_VBV', 'AUTHORIZING', 'JUSPAY_DECLINED', 'AUTHENTICATION_FAILED'],
  // A failed order may be retried with a new transaction.
  AUTHORIZATION_FAILED: TAKES_A_NEW_TXN,
  AUTHENTICATION_FAILED: TAKES_A_NEW_TXN,
  JUSPAY_DECLINED: TAKES_A_NEW_TXN,
  AUTHORIZED: ['CAPTURE_INITIATED', 'CHARGED', 'VOID_INITIATED', 'VOIDED', 'CAPTURE_FAILED'],
  ...CAPTURE_AND_VOID,
  // Terminal for the order: CHARGED takes refunds (tracked apart), never another transaction.
  CHARGED: [],
  VOIDED: [],
  AUTO_REFUNDED: [],
};

export function isTxnTransitionAllowed(from: TxnStatus, to: TxnStatus): boolean {
  return TXN_TRANSITIONS[from].includes(to);
}

export function isOrderTransitionAllowed(from: OrderStatus, to: OrderStatus): boolean {
  return from === to || ORDER_TRANSITIONS[from].includes(to);
}

export function assertTxnTransition(from: TxnStatus, to: TxnStatus): void {
  if (!isTxnTransitionAllowed(from, to)) {
    throw new AppError('INVALID_ACTION', `Transaction cannot move from ${from} to ${to}`);
  }
}

export function assertOrderTransition(from: OrderStatus, to: OrderStatus): void {
  if (!isOrderTransitionAllowed(from, to)) {
    throw new AppError('INVALID_ACTION', `Order cannot move from ${from} to ${to}`);
  }
}

export const TERMINAL_TXN_STATUSES: readonly TxnStatus[] = ['CHARGED', 'JUSPAY_DECLINED', 'AUTHENTICATION_FAILED', 'AUTHORIZATION_FAILED', 'VOIDED', 'AUTO_REFUNDED'];

/** Statuses whose outcome at the gateway is not yet known: never retried elsewhere, settled by sync or webhook. */
/** A settled attempt's outcome that counts as a success (the Priority Logic metrics, release guards, backtests). */
export const SUCCEEDED_TXN_STATUSES: readonly TxnStatus[] = ['CHARGED', 'AUTHORIZED', 'AUTO_REFUNDED', 'VOIDED'];
/** Attempts with an outcome: the successes and the failures (pending ones have none yet). */
export const SETTLED_TXN_STATUSES: readonly TxnStatus[] = [...SUCCEEDED_TXN_STATUSES, 'AUTHORIZATION_FAILED', 'AUTHENTICATION_FAILED', 'JUSPAY_DECLINED'];

export const UNSETTLED_TXN_STATUSES: readonly TxnStatus[] = ['STARTED', 'PENDING_VBV', 'VBV_SUCCESSFUL', 'AUTHORIZING'];

/** Order statuses after which the order takes no new transaction. */
export const ORDER_CLOSED_STATUSES: readonly OrderStatus[] = [
  'CHARGED',
  'AUTHORIZED',
  'CAPTURE_INITIATED',
  'CAPTURE_FAILED',
  'VOID_INITIATED',
  'VOID_FAILED',
  'VOIDED',
  'AUTO_REFUNDED',
  'COD_INITIATED',
];

export function allTxnStatuses(): TxnStatus[] {
  return Object.keys(TXN_TRANSITIONS) as TxnStatus[];
}
export function allOrderStatuses(): OrderStatus[] {
  return Object.keys(ORDER_TRANSITIONS) as OrderStatus[];
}
