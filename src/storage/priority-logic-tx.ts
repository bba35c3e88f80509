// The writes of a Priority Logic change, inside its transaction: locks on the routing row and the
// logic, logic and routing updates (row versions move on), the audit row, the release guard's rows
// and the webhook outbox.
import type { LogicRecordPatch, NewAuditEntry, NewLogicRecord, PriorityLogicTx, RoutingConfigPatch } from '../core/ports/priority-logic-store.ts';
import type { Sql } from './db.ts';
import { enqueueWebhookEvent } from './outbox-repository.ts';
import { logicFromRow, routingFromRow, type LogicRow, type RoutingRow } from './priority-logic-rows.ts';
import * as guards from './release-guard-repository.ts';
import { buildSetClause } from './sql-patch.ts';

const LOGIC_PATCH_COLUMNS: Record<keyof LogicRecordPatch, string> = {
  status: 'status',
  approvedBy: 'approved_by',
  approvedAt: 'approved_at',
  deletedAt: 'deleted_at',
};
const ROUTING_PATCH_COLUMNS: Record<keyof RoutingConfigPatch, string> = {
  activeLogicId: 'active_logic_id',
  fallbackLogicId: 'fallback_logic_id',
  staggeredLogicId: 'staggered_logic_id',
  staggerPercentage: 'stagger_percentage',
};

/** The writes of one Priority Logic transaction, on its connection. */
export function priorityLogicTx(sql: Sql): PriorityLogicTx {
  return {
    async lockRouting(merchantId) {
      await sql.query('INSERT INTO merchant_routing (merchant_id) VALUES ($1) ON CONFLICT (merchant_id) DO NOTHING', [merchantId]);
      const rows = await sql.query<RoutingRow>('SELECT * FROM merchant_routing WHERE merchant_id = $1 FOR UPDATE', [merchantId]);
      return routingFromRow(rows[0]!);
    },
    async lockLogic(merchantId, logicId) {
      const rows = await sql.query<LogicRow>('SELECT * FROM priority_logics WHERE merchant_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE', [merchantId, logicId]);
      return rows[0] ? logicFromRow(rows[0]) : null;
    },
    async insertLogic(l: NewLogicRecord) {
      const rows = await sql.query<LogicRow>(
        `INSERT INTO priority_logics (id, merchant_id, name, description, kind, version, definition, status, created_by, copied_from)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
         ON CONFLICT (merchant_id, lower(name)) WHERE deleted_at IS NULL DO NOTHING RETURNING *`,
        [l.id, l.merchantId, l.name, l.description, l.kind, l.version, l.definition as unknown as Record<string, unknown>, l.status, l.createdBy, l.copiedFrom],
      );
      return rows[0] ? logicFromRow(rows[0]) : null;
    },
    async updateLogic(logicId, patch) {
      const { parts, params } = buildSetClause(patch, LOGIC_PATCH_COLUMNS, 2);
      const rows = await sql.query<LogicRow>(`UPDATE priority_logics SET ${[...parts, 'row_version = row_version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING *`, [
        logicId,
        ...params,
      ]);
      return logicFromRow(rows[0]!);
    },
    async updateRouting(merchantId, patch) {
      const { parts, params } = buildSetClause(patch, ROUTING_PATCH_COLUMNS, 2);
      const rows = await sql.query<RoutingRow>(`UPDATE merchant_routing SET ${[...parts, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE merchant_id = $1 RETURNING *`, [
        merchantId,
        ...params,
      ]);
      return routingFromRow(rows[0]!);
    },
    async insertAudit(e: NewAuditEntry) {
      await sql.query(
        `INSERT INTO priority_logic_audit (id, merchant_id, logic_id, actor_id, actor_role, action, before, after, request_id)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
        [e.id, e.merchantId, e.logicId, e.actorId, e.actorRole, e.action, e.before, e.after, e.requestId],
      );
    },
    lockRunningGuard: (merchantId) => guards.lockRunningGuard(sql, merchantId),
    insertGuard: (g) => guards.insertGuard(sql, g),
    updateGuard: (id, patch) => guards.updateGuard(sql, id, patch),
    async enqueueEvent(event) {
      await enqueueWebhookEvent(sql, event);
    },
  };
}
