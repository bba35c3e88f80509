// The review queue: payments held for review, approved (captured) or rejected (voided).
import { AppError } from '../errors.ts';
import type { Actor } from '../priority-logic/types.ts';
import type { RiskAdminDeps } from './risk-admin-service.ts';
import { need, who } from './risk-admin-input.ts';

export function createRiskReviewAdmin(deps: RiskAdminDeps & { now: () => Date }) {
  const { store, now } = deps;
  return {
    async reviews(actor: Actor) {
      need(actor, 'read');
      const held = await store.heldPayments(actor.merchantId, 500);
      return {
        reviews: held.map((h) => ({
          txn_uuid: h.txnUuid,
          txn_id: h.txnId,
          order_id: h.orderId,
          status: h.status,
          amount: h.amount,
          currency: h.currency,
          gateway: h.gateway,
          risk: h.risk,
          created: h.createdAt.toISOString(),
        })),
      };
    },
    /** Approve: capture the held authorisation. Reject: void it. Either way the decision is recorded. */
    async decide(actor: Actor, txnUuid: string, decision: 'approve' | 'reject') {
      need(actor, 'edit');
      const held = (await store.heldPayments(actor.merchantId, 10_000)).find((h) => h.txnUuid === txnUuid);
      if (!held) throw new AppError('RESOURCE_NOT_FOUND', `No payment ${txnUuid} is waiting for review`, { fields: [{ field_name: 'txn_uuid', reason: 'not held for review for this merchant' }] });
      if (held.status !== 'AUTHORIZED')
        throw new AppError('INVALID_ACTION', `The payment is ${held.status}: only an AUTHORIZED payment can be ${decision === 'approve' ? 'captured' : 'voided'}`, {
          fields: [{ field_name: 'txn_uuid', reason: `payment is ${held.status}` }],
        });
      const status = decision === 'approve' ? await deps.capture(actor.merchantId, txnUuid) : await deps.voidTxn(actor.merchantId, txnUuid);
      const heldAt = (held.risk.review as { heldAt?: unknown } | undefined)?.heldAt;
      await store.setReview(
        actor.merchantId,
        txnUuid,
        { state: decision === 'approve' ? 'APPROVED' : 'REJECTED', by: who(actor).id, at: now().toISOString(), result: String(status.status ?? ''), ...(typeof heldAt === 'string' ? { heldAt } : {}) },
        who(actor),
      );
      await deps.reviewEvent?.(actor.merchantId, txnUuid, decision === 'approve' ? 'TXN_REVIEW_APPROVED' : 'TXN_REVIEW_REJECTED');
      return status;
    },
  };
}
