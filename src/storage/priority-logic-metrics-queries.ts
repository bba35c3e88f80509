// Per-logic figures over a window, from the decisions stored on the transactions (the generated
// columns of migration 009): counts, success, latency percentiles, amounts, and the trend slices.
import type { PriorityLogicStore } from '../core/ports/priority-logic-store.ts';
import type { LogicAmountRow, LogicMetricsRow } from '../core/priority-logic/types.ts';
import { SETTLED_TXN_STATUSES, SUCCEEDED_TXN_STATUSES } from '../core/status.ts';
import type { Sql } from './db.ts';
import { sqlStatusList } from './sql-patch.ts';

/** Transactions that ended in a settled outcome, and the successful ones among them. */
const SETTLED = sqlStatusList(SETTLED_TXN_STATUSES);
const SUCCEEDED = sqlStatusList(SUCCEEDED_TXN_STATUSES);

/** The metrics queries of the store. */
export function metricsQueries(db: Sql): Pick<PriorityLogicStore, 'metrics' | 'metricsTrend'> {
  return {
    async metrics(merchantId, from, to) {
      // Group by the generated columns (migration 009), never the JSON decision records: names and
      // kinds come from the logics themselves (a saved logic never changes).
      const window = `t.merchant_id = $1 AND t.created_at >= $2 AND t.created_at < $3 AND t.routing_decision IS NOT NULL`;
      const logics = await db.query<{
        logic_id: string;
        logic_name: string | null;
        logic_kind: string | null;
        decided: number;
        undecided: number;
        succeeded: number;
        settled: number;
        p50: number | string | null;
        p95: number | string | null;
      }>(
        `SELECT m.logic_id, CASE WHEN m.logic_id = 'DEFAULT_ORDER' THEN 'DEFAULT_ORDER' ELSE l.name END AS logic_name,
                CASE WHEN m.logic_id = 'DEFAULT_ORDER' THEN 'DEFAULT' ELSE l.kind END AS logic_kind,
                m.decided, m.undecided, m.succeeded, m.settled, m.p50, m.p95
           FROM (
             SELECT coalesce(t.routing_logic_id, 'DEFAULT_ORDER') AS logic_id,
                    count(*)::int AS decided,
                    count(*) FILTER (WHERE t.routing_undecided)::int AS undecided,
                    count(*) FILTER (WHERE t.status IN ${SUCCEEDED})::int AS succeeded,
                    count(*) FILTER (WHERE t.status IN ${SETTLED})::int AS settled,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY t.latency_ms) AS p50,
                    percentile_cont(0.95) WITHIN GROUP (ORDER BY t.latency_ms) AS p95
               FROM txns t WHERE ${window} GROUP BY 1
           ) m
           LEFT JOIN priority_logics l ON l.merchant_id = $1 AND l.id = m.logic_id
          ORDER BY m.decided DESC, m.logic_id`,
        [merchantId, from, to],
      );
      const amounts = await db.query<{ logic_id: string; currency: string; n: number; amount: number | string }>(
        `SELECT coalesce(t.routing_logic_id, 'DEFAULT_ORDER') AS logic_id, t.currency, count(*)::int AS n, coalesce(sum(t.amount), 0)::bigint AS amount
           FROM txns t WHERE ${window} GROUP BY 1, 2 ORDER BY 1, 2`,
        [merchantId, from, to],
      );
      return {
        logics: logics.map(
          (r): LogicMetricsRow => ({
            logicId: r.logic_id,
            logicName: r.logic_name,
            logicKind: r.logic_kind,
            decided: Number(r.decided),
            undecided: Number(r.undecided),
            succeeded: Number(r.succeeded),
            settled: Number(r.settled),
            p50LatencyMs: r.p50 === null ? null : Number(r.p50),
            p95LatencyMs: r.p95 === null ? null : Number(r.p95),
          }),
        ),
        amounts: amounts.map((r): LogicAmountRow => ({ logicId: r.logic_id, currency: r.currency, count: Number(r.n), amount: Number(r.amount) })),
      };
    },

    async metricsTrend(merchantId, from, to, sliceMs) {
      const rows = await db.query<{ logic_id: string; slice: number; decided: number; succeeded: number; settled: number }>(
        `SELECT coalesce(t.routing_logic_id, 'DEFAULT_ORDER') AS logic_id,
                floor(extract(epoch FROM (t.created_at - $2::timestamptz)) * 1000 / $4)::int AS slice,
                count(*)::int AS decided,
                count(*) FILTER (WHERE t.status IN ${SUCCEEDED})::int AS succeeded,
                count(*) FILTER (WHERE t.status IN ${SETTLED})::int AS settled
           FROM txns t
          WHERE t.merchant_id = $1 AND t.created_at >= $2 AND t.created_at < $3 AND t.routing_decision IS NOT NULL
          GROUP BY 1, 2`,
        [merchantId, from, to, sliceMs],
      );
      return rows.map((r) => ({ logicId: r.logic_id, slice: Number(r.slice), decided: Number(r.decided), succeeded: Number(r.succeeded), settled: Number(r.settled) }));
    },
  };
}
