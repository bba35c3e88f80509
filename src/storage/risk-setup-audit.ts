// What the risk repositories share: the audit row (and setup version bump) every change writes,
// and the row mappers.
import { randomUUID } from 'node:crypto';
import type { RiskActor, RiskAttempt } from '../core/ports/risk-store.ts';
import type { RiskRule } from '../risk/types.ts';
import type { Sql } from './db.ts';
import { toDate } from './sql-values.ts';

export interface RuleRow {
  id: string;
  name: string;
  condition: RiskRule['condition'];
  action: RiskRule['action'];
  score: number;
  enabled: boolean;
}
export const ruleOf = (r: RuleRow): RiskRule => ({ id: r.id, name: r.name, condition: r.condition, action: r.action, score: Number(r.score), enabled: r.enabled });

/** Every change audits itself and bumps the merchant's setup version, in its own transaction. */
export async function audit(tx: Sql, merchantId: string, actor: RiskActor, action: string, entity: string, detail: Record<string, unknown>): Promise<void> {
  await tx.query(
    `INSERT INTO risk_setup_versions (merchant_id, version) VALUES ($1, 1)
    ON CONFLICT (merchant_id) DO UPDATE SET version = risk_setup_versions.version + 1`,
    [merchantId],
  );
  await tx.query('INSERT INTO risk_audit (id, merchant_id, actor, action, entity, detail) VALUES ($1, $2, $3, $4, $5, $6)', [`raud_${randomUUID()}`, merchantId, actor.id, action, entity, detail]);
}

/** The columns of an attempt with its risk assessment (txns joined with orders). */
export interface RiskAttemptRow {
  id: string;
  txn_id: string;
  order_id: string;
  status: string;
  amount: number | string;
  currency: string;
  risk: Record<string, unknown>;
  created_at: Date | string;
}
export const riskAttemptOf = (r: RiskAttemptRow): RiskAttempt => ({
  txnUuid: r.id,
  txnId: r.txn_id,
  orderId: r.order_id,
  status: r.status,
  amount: Number(r.amount),
  currency: r.currency,
  risk: r.risk,
  createdAt: toDate(r.created_at),
});
