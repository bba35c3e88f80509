// A merchant's risk configuration and rules, its setup version, and the audit trail.
import type { RiskStore } from '../core/ports/risk-store.ts';
import type { RiskConfig } from '../risk/types.ts';
import type { Db } from './db.ts';
import { audit, ruleOf, type RuleRow } from './risk-setup-audit.ts';
import { toDate } from './sql-values.ts';

export function createRiskConfigRepository(
  db: Db,
): Pick<RiskStore, 'setupVersion' | 'getConfig' | 'putConfig' | 'deleteConfig' | 'listRules' | 'getRule' | 'insertRule' | 'updateRule' | 'deleteRule' | 'listAudit'> {
  return {
    async setupVersion(merchantId) {
      const rows = await db.query<{ version: string | number }>('SELECT version FROM risk_setup_versions WHERE merchant_id = $1', [merchantId]);
      return rows.length ? String(rows[0].version) : '0';
    },
    async getConfig(merchantId) {
      const rows = await db.query<{ config: RiskConfig }>('SELECT config FROM risk_configs WHERE merchant_id = $1', [merchantId]);
      return rows[0]?.config ?? null;
    },
    async putConfig(merchantId, config, actor) {
      await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO risk_configs (merchant_id, config) VALUES ($1, $2)
          ON CONFLICT (merchant_id) DO UPDATE SET config = EXCLUDED.config, updated_at = now()`,
          [merchantId, config as unknown as Record<string, unknown>],
        );
        await audit(tx, merchantId, actor, 'config.put', 'config', { config });
      });
    },
    async deleteConfig(merchantId, actor) {
      return db.transaction(async (tx) => {
        const rows = await tx.query('DELETE FROM risk_configs WHERE merchant_id = $1 RETURNING merchant_id', [merchantId]);
        if (rows.length) await audit(tx, merchantId, actor, 'config.delete', 'config', {});
        return rows.length > 0;
      });
    },
    async listRules(merchantId) {
      const rows = await db.query<RuleRow>('SELECT id, name, condition, action, score, enabled FROM risk_rules WHERE merchant_id = $1 ORDER BY position, created_at', [merchantId]);
      return rows.map(ruleOf);
    },
    async getRule(merchantId, id) {
      const rows = await db.query<RuleRow>('SELECT id, name, condition, action, score, enabled FROM risk_rules WHERE merchant_id = $1 AND id = $2', [merchantId, id]);
      return rows[0] ? ruleOf(rows[0]) : null;
    },
    async insertRule(merchantId, rule, actor) {
      return db.transaction(async (tx) => {
        const rows = await tx.query<RuleRow>(
          `INSERT INTO risk_rules (id, merchant_id, name, condition, action, score, enabled, position)
          VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT coalesce(max(position), 0) + 1 FROM risk_rules WHERE merchant_id = $2))
          ON CONFLICT (merchant_id, name) DO NOTHING RETURNING id, name, condition, action, score, enabled`,
          [rule.id, merchantId, rule.name, rule.condition as unknown as Record<string, unknown>, rule.action, rule.score, rule.enabled],
        );
        if (!rows[0]) return null;
        await audit(tx, merchantId, actor, 'rule.create', `rule:${rule.id}`, { rule });
        return ruleOf(rows[0]);
      });
    },
    async updateRule(merchantId, rule, actor) {
      return db.transaction(async (tx) => {
        const rows = await tx.query<RuleRow>(
          `UPDATE risk_rules SET name = $3, condition = $4, action = $5, score = $6, enabled = $7, updated_at = now()
          WHERE merchant_id = $1 AND id = $2 RETURNING id, name, condition, action, score, enabled`,
          [merchantId, rule.id, rule.name, rule.condition as unknown as Record<string, unknown>, rule.action, rule.score, rule.enabled],
        );
        if (!rows[0]) return null;
        await audit(tx, merchantId, actor, 'rule.update', `rule:${rule.id}`, { rule });
        return ruleOf(rows[0]);
      });
    },
    async deleteRule(merchantId, id, actor) {
      return db.transaction(async (tx) => {
        const rows = await tx.query<{ name: string }>('DELETE FROM risk_rules WHERE merchant_id = $1 AND id = $2 RETURNING name', [merchantId, id]);
        if (rows.length) await audit(tx, merchantId, actor, 'rule.delete', `rule:${id}`, { name: rows[0].name });
        return rows.length > 0;
      });
    },
    async listAudit(merchantId, limit) {
      const rows = await db.query<{ id: string; actor: string; action: string; entity: string; detail: Record<string, unknown>; at: Date }>(
        'SELECT id, actor, action, entity, detail, at FROM risk_audit WHERE merchant_id = $1 ORDER BY at DESC, id DESC LIMIT $2',
        [merchantId, limit],
      );
      return rows.map((r) => ({ ...r, at: toDate(r.at) }));
    },
  };
}
