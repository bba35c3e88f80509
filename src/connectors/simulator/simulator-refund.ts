// Refunds at the simulated gateway: never more than was captured, and the same idempotency key
// never refunds twice.
import { activeOutage, type SimulatorProfile } from './simulator-profile.ts';
import { simulatorMessage, type SimulatorRefundResponse } from './transformers.ts';
import type { LedgerPayment } from './simulator-ledger.ts';

export interface RefundInput {
  amount: number;
  refundReference: string;
  idempotencyKey: string;
}

export interface RefundDeps {
  now: () => number;
  /** The refund's number, just taken from the simulator's sequence (its id). */
  refundNumber: number;
  /** The simulator's sequence now (the ARN is built from it). */
  sequence: () => number;
  instanceTag: string;
  profileOf: (gateway: string) => SimulatorProfile;
  settleIfDue: (payment: LedgerPayment) => void;
}

export function refundPayment(payment: LedgerPayment | undefined, gatewayTxnId: string, input: RefundInput, deps: RefundDeps): SimulatorRefundResponse {
  const created = new Date(deps.now()).toISOString();
  const base = {
    object: 'refund' as const,
    gateway_refund_id: `simrf_${deps.refundNumber.toString(36).padStart(6, '0')}${deps.instanceTag}`,
    gateway_txn_id: gatewayTxnId,
    refund_reference: input.refundReference,
    amount: input.amount,
    currency: payment?.currency ?? '',
    arn: null,
    created_at: created,
  };
  const failed = (code: string): SimulatorRefundResponse => ({ ...base, status: 'FAILED', code, message: simulatorMessage(code) });
  if (!payment) return failed('25');
  const previous = payment.refunds.get(input.idempotencyKey);
  if (previous) return { ...previous };
  deps.settleIfDue(payment);
  let result: SimulatorRefundResponse;
  if (activeOutage(deps.profileOf(payment.gateway), payment.context, deps.now())?.mode === 'DOWN') result = failed('GW_DOWN');
  else if (payment.status !== 'CHARGED') result = failed('12');
  else if (!Number.isInteger(input.amount) || input.amount <= 0 || input.amount > payment.capturedAmount - payment.refundedAmount) result = failed('13');
  else {
    payment.refundedAmount += input.amount;
    payment.updatedAt = deps.now();
    result = { ...base, status: 'SUCCESS', code: '00', message: simulatorMessage('00'), arn: `ARN${String(deps.sequence()).padStart(12, '0')}` };
  }
  // Failures caused by a transient condition are not remembered, so a retry may succeed later.
  if (result.status === 'SUCCESS' || result.code !== 'GW_DOWN') payment.refunds.set(input.idempotencyKey, result);
  return { ...result };
}
