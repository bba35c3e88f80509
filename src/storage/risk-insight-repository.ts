// Read-only queries over the stored risk assessments of attempts (txns.risk) for the dashboard's
// Risk page: the attempts the checks blocked, with their reasons, and blocks per check or rule per
// time bucket. Every query names its merchant. The writes stay in risk-repository.ts and the
// payment path.
import type { RiskInsightStore } from '../core/ports/risk-insight-store.ts';
import type { Db } from './db.ts';
import { riskAttemptOf, type RiskAttemptRow } from './risk-setup-audit.ts';

/** A block decided before the gateway, or a late (parallel mode) one. */
const BLOCKED = "(t.risk ->> 'action' = 'block' OR t.risk -> 'late' ->> 'action' = 'block')";

export function createRiskInsightRepository(db: Db): RiskInsightStore {
  return {
    async blocked(merchantId, { from, to, limit, before }) {
      const rows = await db.query<RiskAttemptRow & { payment_method_type: string; error_code: string | null }>(
        `SELECT t.id, t.txn_id, o.order_id, t.status, t.amount, t.currency, t.payment_method_type, t.error_code, t.risk, t.created_at
           FROM txns t JOIN orders o ON o.id = t.order_pk
          WHERE t.merchant_id = $1 AND o.merchant_id = $1 AND t.risk IS NOT NULL AND ${BLOCKED}
            AND t.created_at >= $2 AND t.created_at < $3
            AND ($4::timestamptz IS NULL OR (t.created_at, t.id) < ($4::timestamptz, $5::text))
          ORDER BY t.created_at DESC, t.id DESC LIMIT $6`,
        [merchantId, from, to, before?.at ?? null, before?.id ?? '', limit],
      );
      return rows.map((r) => ({ ...riskAttemptOf(r), paymentMethodType: r.payment_method_type, errorCode: r.error_code }));
    },
    async blockRate(merchantId, { from, to, bucketSeconds, maxBlocked }) {
      const bucket = `(floor(extract(epoch FROM t.created_at) / $4) * $4)::bigint`;
      const checked = await db.query<{ bucket: string | number; count: string | number }>(
        `SELECT ${bucket} AS bucket, count(*) AS count FROM txns t
          WHERE t.merchant_id = $1 AND t.risk IS NOT NULL AND t.created_at >= $2 AND t.created_at < $3
          GROUP BY 1 ORDER BY 1`,
        [merchantId, from, to, bucketSeconds],
      );
      const blocked = await db.query<{ bucket: string | number; checks: unknown }>(
        `SELECT ${bucket} AS bucket, t.risk -> 'checks' AS checks FROM txns t
          WHERE t.merchant_id = $1 AND t.risk IS NOT NULL AND ${BLOCKED} AND t.created_at >= $2 AND t.created_at < $3
          ORDER BY t.created_at LIMIT $5`,
        [merchantId, from, to, bucketSeconds, maxBlocked + 1],
      );
      return {
        checked: checked.map((r) => ({ bucket: Number(r.bucket), count: Number(r.count) })),
        blocked: blocked.slice(0, maxBlocked).map((r) => ({ bucket: Number(r.bucket), checks: r.checks })),
        truncated: blocked.length > maxBlocked,
      };
    },
  };
}
