// The decision engine compatibility layer's rows (migration 022) over plain SQL (PGlite and PostgreSQL).
import type { DecisionEngineStore, EngineConfigKind, EngineMerchant } from '../core/ports/decision-engine-store.ts';
import type { Db } from './db.ts';

interface EngineMerchantRow {
  engine_merchant_id: string; merchant_id: string; gateway_success_rate_based_decider_input: string | null; debit_routing_enabled: boolean; created_at: Date | string;
}

const fromRow = (r: EngineMerchantRow): EngineMerchant => ({
  engineMerchantId: r.engine_merchant_id, merchantId: r.merchant_id, deciderInput: r.gateway_success_rate_based_decider_input,
  debitRoutingEnabled: r.debit_routing_enabled, createdAt: r.created_at instanceof Date ? r.created_at : new Date(r.created_at),
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
        const rows = await tx.query<{ engine_merchant_id: string }>('DELETE FROM engine_merchants WHERE engine_merchant_id = $1 RETURNING engine_merchant_id', [id]);
        return rows.length === 1;
      });
    },
    async setDebitRouting(id, enabled) {
      await db.query('UPDATE engine_merchants SET debit_routing_enabled = $2 WHERE engine_merchant_id = $1', [id, enabled]);
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
    async deleteConfig(id, kind) {
      const rows = await db.query<{ kind: string }>('DELETE FROM engine_configs WHERE engine_merchant_id = $1 AND kind = $2 RETURNING kind', [id, kind]);
      return rows.length === 1;
    },
  };
}
