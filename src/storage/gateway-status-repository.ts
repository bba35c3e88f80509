// GatewayStatusStore over SQL.
import type { FailureClass } from '../core/ports/connector.ts';
import type { GatewayStatusOverride, GatewayStatusStore } from '../core/ports/gateway-status-store.ts';
import type { Db } from './db.ts';

interface GatewayStatusOverrideRow {
  gateway: string;
  raw_code: string;
  message: string;
  unified_code: string | null;
  unified_message: string | null;
  category: string | null;
  failure_class: string | null;
  retryable: boolean;
  counts_against_gateway: boolean;
  updated_by: string;
  updated_at: Date | string;
}

function fromRow(r: GatewayStatusOverrideRow): GatewayStatusOverride {
  return {
    gateway: r.gateway,
    rawCode: r.raw_code,
    message: r.message,
    unifiedCode: r.unified_code,
    unifiedMessage: r.unified_message,
    category: r.category,
    failureClass: r.failure_class as FailureClass | null,
    retryable: r.retryable,
    countsAgainstGateway: r.counts_against_gateway,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at instanceof Date ? r.updated_at : new Date(r.updated_at),
  };
}

export function createGatewayStatusRepository(db: Db): GatewayStatusStore {
  return {
    async listOverrides(gateway) {
      const rows = await db.query<GatewayStatusOverrideRow>('SELECT * FROM gateway_status_overrides WHERE ($1::text IS NULL OR gateway = $1) ORDER BY gateway, raw_code', [gateway ?? null]);
      return rows.map(fromRow);
    },
    async upsertOverride(o) {
      const rows = await db.query<GatewayStatusOverrideRow>(
        `INSERT INTO gateway_status_overrides (gateway, raw_code, message, unified_code, unified_message, category, failure_class, retryable, counts_against_gateway, updated_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
         ON CONFLICT (gateway, raw_code) DO UPDATE SET message = EXCLUDED.message, unified_code = EXCLUDED.unified_code, unified_message = EXCLUDED.unified_message,
           category = EXCLUDED.category, failure_class = EXCLUDED.failure_class, retryable = EXCLUDED.retryable,
           counts_against_gateway = EXCLUDED.counts_against_gateway, updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING *`,
        [o.gateway, o.rawCode, o.message, o.unifiedCode, o.unifiedMessage, o.category, o.failureClass, o.retryable, o.countsAgainstGateway, o.updatedBy],
      );
      return fromRow(rows[0]!);
    },
    async deleteOverride(gateway, rawCode) {
      const rows = await db.query('DELETE FROM gateway_status_overrides WHERE gateway = $1 AND raw_code = $2 RETURNING gateway', [gateway, rawCode]);
      return rows.length > 0;
    },
  };
}
