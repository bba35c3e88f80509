// What the risk repositories share: the audit row (and setup version bump) every change writes,
// and the row mappers.
import { randomUUID } from 'node:crypto';
import type { RiskActor } from '../core/ports/risk-store.ts';
import type { RiskRule } from '../risk/types.ts';
import type { Sql } from './db.ts';

export interface RuleRow {
  id: string;
  name: string;
  condition: RiskRule['condition'];
  action: RiskRule['action'];
  score: number;
  enabled: boolean;
}
export const ruleOf = (r: RuleRow): RiskRule => ({ id: r.id, name: r.name, condition: r.condition, action: r.action, score: Number(r.score), enabled: r.enabled });
export const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

/** Every change audits itself and bumps the merchant's setup version, in its own transaction. */
export async function audit(tx: Sql, merchantId: string, actor: RiskActor, action: string, entity: string, detail: Record<string, unknown>): Promise<void> {
  await tx.query(
    `INSERT INTO risk_setup_versions (merchant_id, version) VALUES ($1, 1)
    ON CONFLICT (merchant_id) DO UPDATE SET version = risk_setup_versions.version + 1`,
    [merchantId],
  );
  await tx.query('INSERT INTO risk_audit (id, merchant_id, actor, action, entity, detail) VALUES ($1, $2, $3, $4, $5, $6)', [`raud_${randomUUID()}`, merchantId, actor.id, action, entity, detail]);
}
