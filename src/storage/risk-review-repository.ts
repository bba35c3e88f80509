// Payments held for review: the queue, the merchant's decision, and the expiry of undecided ones.
import { randomUUID } from 'node:crypto';
import type { RiskStore } from '../core/ports/risk-store.ts';
import { DEFAULT_REVIEW_EXPIRY_HOURS } from '../risk/types.ts';
import type { Db } from './db.ts';
import { audit, riskAttemptOf, type RiskAttemptRow } from './risk-setup-audit.ts';

export function createRiskReviewRepository(db: Db): Pick<RiskStore, 'heldPayments' | 'setReview' | 'claimExpiredReviews' | 'finishExpiredReview'> {
  return {
    async heldPayments(merchantId, limit) {
      const rows = await db.query<RiskAttemptRow & { gateway: string | null }>(
        `SELECT t.id, t.txn_id, o.order_id, t.status, t.amount, t.currency, t.gateway, t.risk, t.created_at FROM txns t JOIN orders o ON o.id = t.order_pk
          WHERE t.merchant_id = $1 AND o.merchant_id = $1 AND t.risk -> 'review' ->> 'state' = 'PENDING' ORDER BY t.created_at LIMIT $2`,
        [merchantId, limit],
      );
      return rows.map((r) => ({ ...riskAttemptOf(r), gateway: r.gateway }));
    },
    async setReview(merchantId, txnUuid, review, actor) {
      return db.transaction(async (tx) => {
        const rows = await tx.query(
          `UPDATE txns SET risk = jsonb_set(risk, '{review}', $3::jsonb), updated_at = now()
          WHERE merchant_id = $1 AND id = $2 AND risk IS NOT NULL RETURNING id`,
          [merchantId, txnUuid, review],
        );
        if (rows.length) await audit(tx, merchantId, actor, 'review.decide', `txn:${txnUuid}`, review);
        return rows.length > 0;
      });
    },
    async claimExpiredReviews(now, limit, leaseMs) {
      return db.transaction(async (tx) => {
        const rows = await tx.query<{ id: string; merchant_id: string; held_at: string | null }>(
          `WITH due AS (
            SELECT t.id FROM txns t LEFT JOIN risk_configs c ON c.merchant_id = t.merchant_id
             WHERE t.risk IS NOT NULL AND t.status IN ('AUTHORIZED', 'VOID_FAILED')
               AND (t.risk -> 'review' ->> 'state' = 'PENDING'
                    OR (t.risk -> 'review' ->> 'state' = 'EXPIRING' AND (t.risk -> 'review' ->> 'leaseUntil')::timestamptz <= $1))
               AND coalesce((t.risk -> 'review' ->> 'heldAt')::timestamptz, t.created_at)
                   + make_interval(hours => coalesce((c.config ->> 'reviewExpiryHours')::int, ${DEFAULT_REVIEW_EXPIRY_HOURS})) <= $1
             ORDER BY t.created_at LIMIT $2 FOR UPDATE OF t SKIP LOCKED)
          UPDATE txns t SET risk = jsonb_set(t.risk, '{review}', (t.risk -> 'review') || jsonb_build_object('state', 'EXPIRING', 'leaseUntil', $3::text)), updated_at = now()
            FROM due WHERE t.id = due.id RETURNING t.id, t.merchant_id, t.risk -> 'review' ->> 'heldAt' AS held_at`,
          [now, limit, new Date(now.getTime() + leaseMs).toISOString()],
        );
        return rows.map((r) => ({ txnUuid: r.id, merchantId: r.merchant_id, heldAt: r.held_at }));
      });
    },
    async finishExpiredReview(merchantId, txnUuid, review) {
      return db.transaction(async (tx) => {
        const rows = await tx.query(
          `UPDATE txns SET risk = jsonb_set(risk, '{review}', $3::jsonb), updated_at = now()
          WHERE merchant_id = $1 AND id = $2 AND risk -> 'review' ->> 'state' = 'EXPIRING' RETURNING id`,
          [merchantId, txnUuid, review],
        );
        // Not a setup change: the audit row only (the compiled setup stays cached).
        if (rows.length)
          await tx.query('INSERT INTO risk_audit (id, merchant_id, actor, action, entity, detail) VALUES ($1, $2, $3, $4, $5, $6)', [
            `raud_${randomUUID()}`,
            merchantId,
            'system:review-expiry',
            'review.expire',
            `txn:${txnUuid}`,
            review,
          ]);
        return rows.length > 0;
      });
    },
  };
}
