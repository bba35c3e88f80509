// The decision engine compatibility layer's rows (migrations 022, 023) over plain SQL (PGlite and PostgreSQL).
import type { DecisionEngineStore, EngineConfigKind, EngineHierarchy, EngineMerchant, EngineRoutingRule } from '../core/ports/decision-engine-store.ts';

interface RuleRow {
  rule_id: string;
  engine_merchant_id: string;
  merchant_id: string;
  logic_id: string;
  name: string;
  description: string | null;
  algorithm_for: string;
  algorithm: Record<string, unknown>;
  metadata: Record<string, unknown> | null;
  created_at: Date | string;
  modified_at: Date | string;
}

const ruleFromRow = (r: RuleRow): EngineRoutingRule => ({
  ruleId: r.rule_id,
  engineMerchantId: r.engine_merchant_id,
  merchantId: r.merchant_id,
  logicId: r.logic_id,
  name: r.name,
  description: r.description,
  algorithmFor: r.algorithm_for,
  algorithm: r.algorithm,
  metadata: r.metadata,
  createdAt: toDate(r.created_at),
  modifiedAt: toDate(r.modified_at),
});
import type { Db } from './db.ts';
import { toDate } from './sql-values.ts';

interface EngineMerchantRow {
  engine_merchant_id: string;
  merchant_id: string;
  gateway_success_rate_based_decider_input: string | null;
  debit_routing_enabled: boolean;
  created_at: Date | string;
  hierarchy: EngineHierarchy | null;
}

const fromRow = (r: EngineMerchantRow): EngineMerchant => ({
  engineMerchantId: r.engine_merchant_id,
  merchantId: r.merchant_id,
  deciderInput: r.gateway_success_rate_based_decider_input,
  debitRoutingEnabled: r.debit_routing_enabled,
  hierarchy: r.hierarchy ?? null,
  createdAt: toDate(r.created_at),
});

export function createDecisionEngineStore(db: Db): DecisionEngineStore {
  return {
    async getEngineMerchant(id) {
      const rows = await db.query<EngineMerchantRow>('SELECT * FROM engine_merchants WHERE engine_merchant_id = $1', [id]);
      return rows[0] ? fromRow(rows[0]) : null;
    },
    async insertEngineMerchant(m) {
      const rows = await db.query<{ engine_merchant_id: string }>(
        `INSERT INTO engine_merchants (engine_merchant_id, merchant_id, gateway_success_rate_based_decider_input, debit_routing_enabled)
         VALUES ($1, $2, $3, $4) ON CONFLICT (engine_merchant_id) DO NOTHING RETURNING engine_merchant_id`,
        [m.engineMerchantId, m.merchantId, m.deciderInput, m.debitRoutingEnabled],
      );
      return rows.length === 1;
    },
    async deleteEngineMerchant(id) {
      return db.transaction(async (tx) => {
        await tx.query('DELETE FROM engine_configs WHERE engine_merchant_id = $1', [id]);
        await tx.query('DELETE FROM engine_routing_rules WHERE engine_merchant_id = $1', [id]);
        const rows = await tx.query<{ engine_merchant_id: string }>('DELETE FROM engine_merchants WHERE engine_merchant_id = $1 RETURNING engine_merchant_id', [id]);
        return rows.length === 1;
      });
    },
    async setDebitRouting(id, enabled) {
      await db.query('UPDATE engine_merchants SET debit_routing_enabled = $2 WHERE engine_merchant_id = $1', [id, enabled]);
    },
    async setHierarchy(id, hierarchy) {
      await db.query('UPDATE engine_merchants SET hierarchy = $2 WHERE engine_merchant_id = $1', [id, { ...hierarchy }]);
    },
    async listEngineMerchantIds() {
      const rows = await db.query<{ engine_merchant_id: string }>('SELECT engine_merchant_id FROM engine_merchants ORDER BY engine_merchant_id');
      return rows.map((r) => r.engine_merchant_id);
    },
    async getConfig(id, kind: EngineConfigKind) {
      const rows = await db.query<{ config: Record<string, unknown> }>('SELECT config FROM engine_configs WHERE engine_merchant_id = $1 AND kind = $2', [id, kind]);
      return rows[0]?.config ?? null;
    },
    async putConfig(id, merchantId, kind, config, mode) {
      if (mode === 'update') {
        const rows = await db.query<{ kind: string }>('UPDATE engine_configs SET config = $3, updated_at = now() WHERE engine_merchant_id = $1 AND kind = $2 RETURNING kind', [id, kind, config]);
        return rows.length === 1;
      }
      const conflict = mode === 'create' ? 'DO NOTHING' : 'DO UPDATE SET config = EXCLUDED.config, updated_at = now()';
      const rows = await db.query<{ kind: string }>(
        `INSERT INTO engine_configs (engine_merchant_id, merchant_id, kind, config) VALUES ($1, $2, $3, $4)
         ON CONFLICT (engine_merchant_id, kind) ${conflict} RETURNING kind`,
        [id, merchantId, kind, config],
      );
      return rows.length === 1;
    },
    async insertRoutingRule(r) {
      const rows = await db.query<{ rule_id: string }>(
        `INSERT INTO engine_routing_rules (rule_id, engine_merchant_id, merchant_id, logic_id, name, description, algorithm_for, algorithm, metadata)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (rule_id) DO NOTHING RETURNING rule_id`,
        [r.ruleId, r.engineMerchantId, r.merchantId, r.logicId, r.name, r.description, r.algorithmFor, r.algorithm, r.metadata],
      );
      return rows.length === 1;
    },
    async getRoutingRule(ruleId) {
      const rows = await db.query<RuleRow>('SELECT * FROM engine_routing_rules WHERE rule_id = $1', [ruleId]);
      return rows[0] ? ruleFromRow(rows[0]) : null;
    },
    async listRoutingRules(engineMerchantId) {
      const rows = await db.query<RuleRow>('SELECT * FROM engine_routing_rules WHERE engine_merchant_id = $1 ORDER BY created_at, rule_id', [engineMerchantId]);
      return rows.map(ruleFromRow);
    },
    async updateRoutingRule(ruleId, p) {
      await db.query('UPDATE engine_routing_rules SET logic_id = $2, name = $3, description = $4, algorithm = $5, metadata = $6, modified_at = now() WHERE rule_id = $1', [
        ruleId,
        p.logicId,
        p.name,
        p.description,
        p.algorithm,
        p.metadata,
      ]);
    },
    async deleteRoutingRule(ruleId) {
      const rows = await db.query<{ rule_id: string }>('DELETE FROM engine_routing_rules WHERE rule_id = $1 RETURNING rule_id', [ruleId]);
      return rows.length === 1;
    },
    async deleteConfig(id, kind) {
      const rows = await db.query<{ kind: string }>('DELETE FROM engine_configs WHERE engine_merchant_id = $1 AND kind = $2 RETURNING kind', [id, kind]);
      return rows.length === 1;
    },
  };
}
