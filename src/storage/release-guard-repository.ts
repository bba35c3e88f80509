// The release guards' rows (migration 021) and the two arms' payments they compare, over plain SQL
// (PGlite and PostgreSQL). Used inside Priority Logic transactions and outside them.
import type { NewReleaseGuard, ReleaseGuardPatch } from '../core/ports/priority-logic-store.ts';
import type { GuardEvidence, GuardMetric } from '../core/priority-logic/release-guard.ts';
import type { GuardArmRow, ReleaseGuard, ReleaseGuardState } from '../core/priority-logic/types.ts';
import type { Sql } from './db.ts';
import { SETTLED_TXN_STATUSES, SUCCEEDED_TXN_STATUSES } from '../core/status.ts';
import { buildSetClause, sqlStatusList } from './sql-patch.ts';
import { toDate, toDateOrNull } from './sql-values.ts';

interface GuardRow {
  id: string;
  merchant_id: string;
  logic_id: string;
  baseline_logic_id: string;
  stagger_percentage: string | number;
  metric: string;
  tolerance: number;
  detectable_effect: number;
  min_sample: number;
  planned_sample: number;
  alpha: number;
  auto_promote: boolean;
  state: string;
  end_reason: string | null;
  evidence: GuardEvidence | null;
  started_at: Date | string;
  last_evaluated_at: Date | string | null;
  ended_at: Date | string | null;
  created_by: string;
}

function guardFromRow(r: GuardRow): ReleaseGuard {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    logicId: r.logic_id,
    baselineLogicId: r.baseline_logic_id,
    staggerPercentage: Number(r.stagger_percentage),
    metric: r.metric as GuardMetric,
    tolerance: Number(r.tolerance),
    detectableEffect: Number(r.detectable_effect),
    minSample: Number(r.min_sample),
    plannedSample: Number(r.planned_sample),
    alpha: Number(r.alpha),
    autoPromote: r.auto_promote,
    state: r.state as ReleaseGuardState,
    endReason: r.end_reason,
    evidence: r.evidence,
    startedAt: toDate(r.started_at),
    lastEvaluatedAt: toDateOrNull(r.last_evaluated_at),
    endedAt: toDateOrNull(r.ended_at),
    createdBy: r.created_by,
  };
}

const PATCH_COLUMNS: Record<keyof ReleaseGuardPatch, string> = {
  state: 'state',
  endReason: 'end_reason',
  evidence: 'evidence',
  lastEvaluatedAt: 'last_evaluated_at',
  endedAt: 'ended_at',
};

const SETTLED = sqlStatusList(SETTLED_TXN_STATUSES);
const SUCCEEDED = sqlStatusList(SUCCEEDED_TXN_STATUSES);

export async function lockRunningGuard(sql: Sql, merchantId: string): Promise<ReleaseGuard | null> {
  const rows = await sql.query<GuardRow>(`SELECT * FROM release_guards WHERE merchant_id = $1 AND state = 'RUNNING' FOR UPDATE`, [merchantId]);
  return rows[0] ? guardFromRow(rows[0]) : null;
}

export async function insertGuard(sql: Sql, g: NewReleaseGuard): Promise<ReleaseGuard> {
  const rows = await sql.query<GuardRow>(
    `INSERT INTO release_guards (id, merchant_id, logic_id, baseline_logic_id, stagger_percentage, metric, tolerance, detectable_effect, min_sample,
                                 planned_sample, alpha, auto_promote, state, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,'RUNNING',$13) RETURNING *`,
    [g.id, g.merchantId, g.logicId, g.baselineLogicId, g.staggerPercentage, g.metric, g.tolerance, g.detectableEffect, g.minSample, g.plannedSample, g.alpha, g.autoPromote, g.createdBy],
  );
  return guardFromRow(rows[0]!);
}

export async function updateGuard(sql: Sql, guardId: string, patch: ReleaseGuardPatch): Promise<ReleaseGuard> {
  const values = { ...patch, ...(patch.evidence !== undefined ? { evidence: patch.evidence as unknown as Record<string, unknown> | null } : {}) };
  const { parts, params } = buildSetClause(values, PATCH_COLUMNS, 2);
  const rows = await sql.query<GuardRow>(`UPDATE release_guards SET ${parts.join(', ')} WHERE id = $1 RETURNING *`, [guardId, ...params]);
  return guardFromRow(rows[0]!);
}

export async function runningGuards(sql: Sql, limit: number): Promise<ReleaseGuard[]> {
  const rows = await sql.query<GuardRow>(`SELECT * FROM release_guards WHERE state = 'RUNNING' ORDER BY last_evaluated_at NULLS FIRST, started_at LIMIT $1`, [limit]);
  return rows.map(guardFromRow);
}

export async function guardsOf(sql: Sql, merchantId: string, logicId: string, limit: number): Promise<ReleaseGuard[]> {
  const rows = await sql.query<GuardRow>(`SELECT * FROM release_guards WHERE merchant_id = $1 AND logic_id = $2 ORDER BY started_at DESC, id DESC LIMIT $3`, [merchantId, logicId, limit]);
  return rows.map(guardFromRow);
}

export async function recentGuards(sql: Sql, merchantId: string, limit: number): Promise<ReleaseGuard[]> {
  const rows = await sql.query<GuardRow>(`SELECT * FROM release_guards WHERE merchant_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2`, [merchantId, limit]);
  return rows.map(guardFromRow);
}

export async function recordGuardLook(sql: Sql, guardId: string, evidence: GuardEvidence | null, at: Date): Promise<void> {
  await sql.query(`UPDATE release_guards SET evidence = $2, last_evaluated_at = $3 WHERE id = $1 AND state = 'RUNNING'`, [guardId, evidence as unknown as Record<string, unknown> | null, at]);
}

/**
 * The staggered logic's (NEW) and the baseline's (OLD) transactions since the guard started, by the
 * logic that decided them (the generated column routing_logic_id, migration 009), per gateway
 * account and segment. Settled payments only: a pending one has no outcome yet.
 */
export async function guardArms(sql: Sql, merchantId: string, logicId: string, baselineLogicId: string, since: Date): Promise<GuardArmRow[]> {
  const rows = await sql.query<{
    arm: 'NEW' | 'OLD';
    account_id: string | null;
    payment_method_type: string;
    payment_method: string;
    card_brand: string;
    settled: number;
    succeeded: number;
    latency_n: number;
    latency_sum: number | string | null;
    latency_sum_sq: number | string | null;
    inv_sum: number | string | null;
    inv_sum_sq: number | string | null;
  }>(
    `SELECT CASE WHEN t.routing_logic_id = $2 THEN 'NEW' ELSE 'OLD' END AS arm, t.gateway_account_id AS account_id,
            t.payment_method_type, t.payment_method, coalesce(t.card ->> 'card_brand', '') AS card_brand,
            count(*)::int AS settled,
            count(*) FILTER (WHERE t.status IN ${SUCCEEDED})::int AS succeeded,
            count(t.latency_ms)::int AS latency_n,
            sum(t.latency_ms::float8) AS latency_sum,
            sum(t.latency_ms::float8 * t.latency_ms::float8) AS latency_sum_sq,
            sum(10000.0::float8 / t.amount) FILTER (WHERE t.status IN ${SUCCEEDED} AND t.amount > 0) AS inv_sum,
            sum((10000.0::float8 / t.amount) ^ 2) FILTER (WHERE t.status IN ${SUCCEEDED} AND t.amount > 0) AS inv_sum_sq
       FROM txns t
      WHERE t.merchant_id = $1 AND t.created_at >= $4 AND t.routing_decision IS NOT NULL
        AND t.routing_logic_id IN ($2, $3) AND t.status IN ${SETTLED}
      GROUP BY 1, 2, 3, 4, 5`,
    [merchantId, logicId, baselineLogicId, since],
  );
  const n = (v: number | string | null): number => (v === null ? 0 : Number(v));
  return rows.map((r) => ({
    arm: r.arm,
    accountId: r.account_id,
    paymentMethodType: r.payment_method_type,
    paymentMethod: r.payment_method,
    cardBrand: r.card_brand,
    settled: Number(r.settled),
    succeeded: Number(r.succeeded),
    latencyN: Number(r.latency_n),
    latencySum: n(r.latency_sum),
    latencySumSq: n(r.latency_sum_sq),
    inverseAmountSum: n(r.inv_sum),
    inverseAmountSumSq: n(r.inv_sum_sq),
  }));
}
