// PriorityLogicStore over plain SQL (PGlite and PostgreSQL): rows (snake_case, ending in Row) <-> domain objects.
import type {
  AuditFilter, LogicRecordPatch, NewAuditEntry, NewLogicRecord, NewUserRecord, PriorityLogicStore, PriorityLogicTx, RoutingConfigPatch, UserRecord,
} from '../core/ports/priority-logic-store.ts';
import type {
  AuditEntry, LogicAmountRow, LogicDefinition, LogicKind, LogicListFilter, LogicMetricsRow, PriorityLogic, PriorityLogicStatus, RoutingConfig, UserRole,
} from '../core/priority-logic/types.ts';
import type { Db, Sql, SqlParam } from './db.ts';
import { enqueueWebhookEvent } from './outbox-repository.ts';
import * as guards from './release-guard-repository.ts';
import { SETTLED_TXN_STATUSES, SUCCEEDED_TXN_STATUSES } from '../core/status.ts';
import { buildSetClause, sqlStatusList } from './sql-patch.ts';

interface UserRow {
  id: string; merchant_id: string; email: string; name: string; role: string; token_hash: string; created_at: Date | string; disabled_at: Date | string | null;
}

interface LogicRow {
  id: string; merchant_id: string; name: string; description: string | null; kind: string; version: number; definition: LogicDefinition;
  status: string; approved_by: string | null; approved_at: Date | string | null; created_by: string; copied_from: string | null;
  row_version: number; created_at: Date | string; updated_at: Date | string; deleted_at: Date | string | null;
}

interface RoutingRow {
  merchant_id: string; active_logic_id: string | null; fallback_logic_id: string | null; staggered_logic_id: string | null;
  stagger_percentage: string | number | null; version: number; updated_at: Date | string;
}

interface AuditRow {
  id: string; merchant_id: string; logic_id: string | null; actor_id: string; actor_role: string; action: string;
  before: Record<string, unknown> | null; after: Record<string, unknown> | null; request_id: string | null; created_at: Date | string;
  actor_email?: string | null;
}

const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
const toDateOrNull = (value: Date | string | null): Date | null => (value === null ? null : toDate(value));

function userFromRow(r: UserRow): UserRecord {
  return {
    id: r.id, merchantId: r.merchant_id, email: r.email, name: r.name, role: r.role as UserRole, tokenHash: r.token_hash,
    createdAt: toDate(r.created_at), disabledAt: toDateOrNull(r.disabled_at),
  };
}

function logicFromRow(r: LogicRow): PriorityLogic {
  return {
    id: r.id, merchantId: r.merchant_id, name: r.name, description: r.description, kind: r.kind as LogicKind, version: r.version,
    definition: r.definition, status: r.status as PriorityLogicStatus, approvedBy: r.approved_by, approvedAt: toDateOrNull(r.approved_at),
    createdBy: r.created_by, copiedFrom: r.copied_from, rowVersion: r.row_version, createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at), deletedAt: toDateOrNull(r.deleted_at),
  };
}

function routingFromRow(r: RoutingRow): RoutingConfig {
  return {
    merchantId: r.merchant_id, activeLogicId: r.active_logic_id, fallbackLogicId: r.fallback_logic_id, staggeredLogicId: r.staggered_logic_id,
    staggerPercentage: r.stagger_percentage === null ? null : Number(r.stagger_percentage), version: r.version, updatedAt: toDate(r.updated_at),
  };
}

function auditFromRow(r: AuditRow): AuditEntry {
  return {
    id: r.id, merchantId: r.merchant_id, logicId: r.logic_id, actorId: r.actor_id, actorRole: r.actor_role, action: r.action,
    before: r.before, after: r.after, requestId: r.request_id, createdAt: toDate(r.created_at), actorEmail: r.actor_email ?? null,
  };
}

const LOGIC_PATCH_COLUMNS: Record<keyof LogicRecordPatch, string> = {
  status: 'status', approvedBy: 'approved_by', approvedAt: 'approved_at', deletedAt: 'deleted_at',
};
const ROUTING_PATCH_COLUMNS: Record<keyof RoutingConfigPatch, string> = {
  activeLogicId: 'active_logic_id', fallbackLogicId: 'fallback_logic_id', staggeredLogicId: 'staggered_logic_id', staggerPercentage: 'stagger_percentage',
};


const SORT_COLUMNS: Record<NonNullable<LogicListFilter['sort']>, string> = {
  name: 'lower(name)', created: 'created_at', updated: 'updated_at', status: 'status',
};

/** Transactions that ended in a settled outcome, and the successful ones among them. */
const SETTLED = sqlStatusList(SETTLED_TXN_STATUSES);
const SUCCEEDED = sqlStatusList(SUCCEEDED_TXN_STATUSES);

function tx(sql: Sql): PriorityLogicTx {
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
      const rows = await sql.query<LogicRow>(
        `UPDATE priority_logics SET ${[...parts, 'row_version = row_version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING *`,
        [logicId, ...params],
      );
      return logicFromRow(rows[0]!);
    },
    async updateRouting(merchantId, patch) {
      const { parts, params } = buildSetClause(patch, ROUTING_PATCH_COLUMNS, 2);
      const rows = await sql.query<RoutingRow>(
        `UPDATE merchant_routing SET ${[...parts, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE merchant_id = $1 RETURNING *`,
        [merchantId, ...params],
      );
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

export function createPriorityLogicStore(db: Db): PriorityLogicStore {
  return {
    async insertUser(u: NewUserRecord) {
      const taken = await db.query<{ kind: string }>(
        `SELECT CASE WHEN token_hash = $3 THEN 'token' ELSE 'email' END AS kind FROM users
         WHERE token_hash = $3 OR (merchant_id = $1 AND lower(email) = lower($2)) LIMIT 1`,
        [u.merchantId, u.email, u.tokenHash],
      );
      if (taken[0]) return { ok: false, conflict: taken[0].kind === 'token' ? 'token' : 'email' };
      const rows = await db.query<UserRow>(
        `INSERT INTO users (id, merchant_id, email, name, role, token_hash) VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT DO NOTHING RETURNING *`,
        [u.id, u.merchantId, u.email, u.name, u.role, u.tokenHash],
      );
      return rows[0] ? { ok: true, value: userFromRow(rows[0]) } : { ok: false, conflict: 'email' };
    },
    async findUserByTokenHash(tokenHash) {
      const rows = await db.query<UserRow>('SELECT * FROM users WHERE token_hash = $1', [tokenHash]);
      return rows[0] ? userFromRow(rows[0]) : null;
    },
    async findUserByEmail(merchantId, email) {
      const rows = await db.query<UserRow>('SELECT * FROM users WHERE merchant_id = $1 AND lower(email) = lower($2)', [merchantId, email]);
      return rows[0] ? userFromRow(rows[0]) : null;
    },
    async setUserTokenHash(merchantId, userId, tokenHash) {
      const rows = await db.query<{ id: string }>(
        `UPDATE users SET token_hash = $3 WHERE merchant_id = $1 AND id = $2
           AND NOT EXISTS (SELECT 1 FROM users WHERE token_hash = $3 AND id <> $2)
         RETURNING id`,
        [merchantId, userId, tokenHash],
      );
      return rows.length > 0;
    },
    async listUsers(merchantId) {
      return (await db.query<UserRow>('SELECT * FROM users WHERE merchant_id = $1 ORDER BY created_at, id', [merchantId])).map(userFromRow);
    },

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

    async metrics(merchantId, from, to) {
      // Group by the generated columns (migration 009), never the JSON decision records: names and
      // kinds come from the logics themselves (a saved logic never changes).
      const window = `t.merchant_id = $1 AND t.created_at >= $2 AND t.created_at < $3 AND t.routing_decision IS NOT NULL`;
      const logics = await db.query<{
        logic_id: string; logic_name: string | null; logic_kind: string | null; decided: number; undecided: number; succeeded: number; settled: number;
        p50: number | string | null; p95: number | string | null;
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
        logics: logics.map((r): LogicMetricsRow => ({
          logicId: r.logic_id, logicName: r.logic_name, logicKind: r.logic_kind, decided: Number(r.decided), undecided: Number(r.undecided),
          succeeded: Number(r.succeeded), settled: Number(r.settled),
          p50LatencyMs: r.p50 === null ? null : Number(r.p50), p95LatencyMs: r.p95 === null ? null : Number(r.p95),
        })),
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

    runningGuards: (limit) => guards.runningGuards(db, limit),
    recentGuards: (merchantId, limit) => guards.recentGuards(db, merchantId, limit),
    guardsOf: (merchantId, logicId, limit) => guards.guardsOf(db, merchantId, logicId, limit),
    guardArms: (merchantId, logicId, baselineLogicId, since) => guards.guardArms(db, merchantId, logicId, baselineLogicId, since),
    recordGuardLook: (id, evidence, at) => guards.recordGuardLook(db, id, evidence, at),

    transaction(fn) {
      return db.transaction((sql) => fn(tx(sql)));
    },
  };
}
