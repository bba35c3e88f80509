// The reads of the Priority Logic store outside transactions: logics (one, several, the list with
// its filter, a logic's lineage, the names taken), the routing configuration and the audit trail.
import type { AuditFilter, PriorityLogicStore } from '../core/ports/priority-logic-store.ts';
import type { LogicListFilter } from '../core/priority-logic/types.ts';
import type { Sql, SqlParam } from './db.ts';
import { auditFromRow, logicFromRow, routingFromRow, type AuditRow, type LogicRow, type RoutingRow } from './priority-logic-rows.ts';

const SORT_COLUMNS: Record<NonNullable<LogicListFilter['sort']>, string> = {
  name: 'lower(name)',
  created: 'created_at',
  updated: 'updated_at',
  status: 'status',
};

/** The logic, routing and audit reads of the store. */
export function logicQueries(db: Sql): Pick<PriorityLogicStore, 'getLogic' | 'getLogics' | 'lineage' | 'listLogics' | 'logicNames' | 'getRouting' | 'listAudit'> {
  return {
    async getLogic(merchantId, logicId) {
      const rows = await db.query<LogicRow>('SELECT * FROM priority_logics WHERE merchant_id = $1 AND id = $2 AND deleted_at IS NULL', [merchantId, logicId]);
      return rows[0] ? logicFromRow(rows[0]) : null;
    },
    async getLogics(merchantId, logicIds) {
      if (logicIds.length === 0) return [];
      const rows = await db.query<LogicRow>('SELECT * FROM priority_logics WHERE merchant_id = $1 AND id = ANY($2::text[])', [merchantId, [...logicIds]]);
      return rows.map(logicFromRow);
    },
    async lineage(merchantId, logicId) {
      // Up the copied_from chain to the first version, then down every copy of it (depth-bounded: a
      // loop cannot happen, since a copy's source exists before it, but the bound costs nothing).
      const rows = await db.query<LogicRow>(
        `WITH RECURSIVE up AS (
           SELECT id, copied_from, 0 AS depth FROM priority_logics WHERE merchant_id = $1 AND id = $2
           UNION ALL
           SELECT p.id, p.copied_from, up.depth + 1 FROM priority_logics p JOIN up ON p.id = up.copied_from
            WHERE p.merchant_id = $1 AND up.depth < 1000
         ), root AS (SELECT id FROM up ORDER BY depth DESC LIMIT 1),
         down AS (
           SELECT id, 0 AS depth FROM root
           UNION ALL
           SELECT p.id, down.depth + 1 FROM priority_logics p JOIN down ON p.copied_from = down.id
            WHERE p.merchant_id = $1 AND down.depth < 1000
         )
         SELECT l.* FROM priority_logics l JOIN (SELECT DISTINCT id FROM down) d ON d.id = l.id
          WHERE l.merchant_id = $1 AND l.deleted_at IS NULL
          ORDER BY l.version, l.created_at, l.id LIMIT 500`,
        [merchantId, logicId],
      );
      return rows.map(logicFromRow);
    },
    async listLogics(merchantId, filter) {
      const where = ['merchant_id = $1', 'deleted_at IS NULL'];
      const params: SqlParam[] = [merchantId];
      if (filter.status) {
        params.push(filter.status);
        where.push(`status = $${params.length}`);
      }
      if (filter.kind) {
        params.push(filter.kind);
        where.push(`kind = $${params.length}`);
      }
      if (filter.search) {
        params.push(`%${filter.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
        where.push(`lower(name) LIKE $${params.length}`);
      }
      const order = `${SORT_COLUMNS[filter.sort ?? 'created']} ${filter.order === 'asc' ? 'ASC' : 'DESC'}, id`;
      const count = await db.query<{ n: number | string }>(`SELECT count(*)::int AS n FROM priority_logics WHERE ${where.join(' AND ')}`, params);
      const rows = await db.query<LogicRow>(
        `SELECT * FROM priority_logics WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${Math.max(1, Math.min(500, filter.limit ?? 100))} OFFSET ${Math.max(0, filter.offset ?? 0)}`,
        params,
      );
      return { logics: rows.map(logicFromRow), total: Number(count[0]?.n ?? 0) };
    },
    async logicNames(merchantId) {
      return (await db.query<{ name: string }>('SELECT name FROM priority_logics WHERE merchant_id = $1 AND deleted_at IS NULL', [merchantId])).map((r) => r.name);
    },
    async getRouting(merchantId) {
      const rows = await db.query<RoutingRow>('SELECT * FROM merchant_routing WHERE merchant_id = $1', [merchantId]);
      return rows[0] ? routingFromRow(rows[0]) : null;
    },
    async listAudit(merchantId, filter: AuditFilter) {
      const params: SqlParam[] = [merchantId];
      let where = 'a.merchant_id = $1';
      if (filter.logicId) {
        params.push(filter.logicId);
        where += ` AND a.logic_id = $${params.length}`;
      }
      const limit = Math.max(1, Math.min(1000, filter.limit ?? 100));
      // Who, in words: the user's email (an API key actor has none).
      const rows = await db.query<AuditRow>(
        `SELECT a.*, u.email AS actor_email FROM priority_logic_audit a
           LEFT JOIN users u ON u.id = a.actor_id AND u.merchant_id = a.merchant_id
          WHERE ${where} ORDER BY a.created_at DESC, a.id DESC LIMIT ${limit}`,
        params,
      );
      return rows.map(auditFromRow);
    },
  };
}
