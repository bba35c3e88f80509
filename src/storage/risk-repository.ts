// Merchants' risk setups in the database. Every query names its merchant; every change writes an
// audit row in the same transaction.
import { randomUUID } from 'node:crypto';
import type { RiskActor, RiskStore } from '../core/ports/risk-store.ts';
import type { ListKind } from '../risk/lists.ts';
import { DEFAULT_REVIEW_EXPIRY_HOURS, type RiskConfig, type RiskRule } from '../risk/types.ts';
import type { Db, Sql } from './db.ts';

interface RuleRow { id: string; name: string; condition: RiskRule['condition']; action: RiskRule['action']; score: number; enabled: boolean }
const ruleOf = (r: RuleRow): RiskRule => ({ id: r.id, name: r.name, condition: r.condition, action: r.action, score: Number(r.score), enabled: r.enabled });
const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

/** Every change audits itself and bumps the merchant's setup version, in its own transaction. */
async function audit(tx: Sql, merchantId: string, actor: RiskActor, action: string, entity: string, detail: Record<string, unknown>): Promise<void> {
  await tx.query(`INSERT INTO risk_setup_versions (merchant_id, version) VALUES ($1, 1)
    ON CONFLICT (merchant_id) DO UPDATE SET version = risk_setup_versions.version + 1`, [merchantId]);
  await tx.query('INSERT INTO risk_audit (id, merchant_id, actor, action, entity, detail) VALUES ($1, $2, $3, $4, $5, $6)', [`raud_${randomUUID()}`, merchantId, actor.id, action, entity, detail]);
}

const PAGE = 50_000;

export function createRiskRepository(db: Db): RiskStore {
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
        await tx.query(`INSERT INTO risk_configs (merchant_id, config) VALUES ($1, $2)
          ON CONFLICT (merchant_id) DO UPDATE SET config = EXCLUDED.config, updated_at = now()`, [merchantId, config as unknown as Record<string, unknown>]);
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
        const rows = await tx.query<RuleRow>(`INSERT INTO risk_rules (id, merchant_id, name, condition, action, score, enabled, position)
          VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT coalesce(max(position), 0) + 1 FROM risk_rules WHERE merchant_id = $2))
          ON CONFLICT (merchant_id, name) DO NOTHING RETURNING id, name, condition, action, score, enabled`,
          [rule.id, merchantId, rule.name, rule.condition as unknown as Record<string, unknown>, rule.action, rule.score, rule.enabled]);
        if (!rows[0]) return null;
        await audit(tx, merchantId, actor, 'rule.create', `rule:${rule.id}`, { rule });
        return ruleOf(rows[0]);
      });
    },
    async updateRule(merchantId, rule, actor) {
      return db.transaction(async (tx) => {
        const rows = await tx.query<RuleRow>(`UPDATE risk_rules SET name = $3, condition = $4, action = $5, score = $6, enabled = $7, updated_at = now()
          WHERE merchant_id = $1 AND id = $2 RETURNING id, name, condition, action, score, enabled`,
          [merchantId, rule.id, rule.name, rule.condition as unknown as Record<string, unknown>, rule.action, rule.score, rule.enabled]);
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
    async listEntries(merchantId) {
      const out: Array<{ list: 'block' | 'allow'; kind: ListKind; value: string }> = [];
      let after: [string, string, string] = ['', '', ''];
      for (;;) {
        const rows = await db.query<{ list: 'block' | 'allow'; kind: ListKind; value: string }>(
          'SELECT list, kind, value FROM risk_list_entries WHERE merchant_id = $1 AND (list, kind, value) > ($2, $3, $4) ORDER BY list, kind, value LIMIT $5',
          [merchantId, ...after, PAGE]);
        for (const r of rows) out.push(r);
        if (rows.length < PAGE) return out;
        const last = rows[rows.length - 1];
        after = [last.list, last.kind, last.value];
      }
    },
    async addEntries(merchantId, list, kind, values, note, actor) {
      return db.transaction(async (tx) => {
        let added = 0;
        for (let i = 0; i < values.length; i += 5_000) {
          const chunk = values.slice(i, i + 5_000);
          const rows = await tx.query(`INSERT INTO risk_list_entries (merchant_id, list, kind, value, note)
            SELECT $1, $2, $3, v, $5 FROM unnest($4::text[]) AS v ON CONFLICT DO NOTHING RETURNING value`, [merchantId, list, kind, chunk as string[], note]);
          added += rows.length;
        }
        await audit(tx, merchantId, actor, 'list.add', `${list}list:${kind}`, { count: values.length, added, ...(values.length <= 20 ? { values } : {}) });
        return added;
      });
    },
    async removeEntry(merchantId, list, kind, value, actor) {
      return db.transaction(async (tx) => {
        const rows = await tx.query('DELETE FROM risk_list_entries WHERE merchant_id = $1 AND list = $2 AND kind = $3 AND value = $4 RETURNING value', [merchantId, list, kind, value]);
        if (rows.length) await audit(tx, merchantId, actor, 'list.remove', `${list}list:${kind}`, { value });
        return rows.length > 0;
      });
    },
    async pageEntries(merchantId, list, { kind, after, limit }) {
      const rows = await db.query<{ list: 'block' | 'allow'; kind: ListKind; value: string; note: string | null; created_at: Date }>(
        `SELECT list, kind, value, note, created_at FROM risk_list_entries WHERE merchant_id = $1 AND list = $2
           AND ($3::text IS NULL OR kind = $3) AND ($4::text IS NULL OR kind || '|' || value > $4) ORDER BY kind, value LIMIT $5`,
        [merchantId, list, kind ?? null, after ?? null, limit]);
      return rows.map((r) => ({ list: r.list, kind: r.kind, value: r.value, note: r.note, createdAt: toDate(r.created_at) }));
    },
    async listAudit(merchantId, limit) {
      const rows = await db.query<{ id: string; actor: string; action: string; entity: string; detail: Record<string, unknown>; at: Date }>(
        'SELECT id, actor, action, entity, detail, at FROM risk_audit WHERE merchant_id = $1 ORDER BY at DESC, id DESC LIMIT $2', [merchantId, limit]);
      return rows.map((r) => ({ ...r, at: toDate(r.at) }));
    },
    async heldPayments(merchantId, limit) {
      const rows = await db.query<{ id: string; txn_id: string; order_id: string; status: string; amount: number; currency: string; gateway: string | null; risk: Record<string, unknown>; created_at: Date }>(
        `SELECT t.id, t.txn_id, o.order_id, t.status, t.amount, t.currency, t.gateway, t.risk, t.created_at FROM txns t JOIN orders o ON o.id = t.order_pk
          WHERE t.merchant_id = $1 AND o.merchant_id = $1 AND t.risk -> 'review' ->> 'state' = 'PENDING' ORDER BY t.created_at LIMIT $2`, [merchantId, limit]);
      return rows.map((r) => ({ txnUuid: r.id, txnId: r.txn_id, orderId: r.order_id, status: r.status, amount: Number(r.amount), currency: r.currency, gateway: r.gateway, risk: r.risk, createdAt: toDate(r.created_at) }));
    },
    async setReview(merchantId, txnUuid, review, actor) {
      return db.transaction(async (tx) => {
        const rows = await tx.query(`UPDATE txns SET risk = jsonb_set(risk, '{review}', $3::jsonb), updated_at = now()
          WHERE merchant_id = $1 AND id = $2 AND risk IS NOT NULL RETURNING id`, [merchantId, txnUuid, review]);
        if (rows.length) await audit(tx, merchantId, actor, 'review.decide', `txn:${txnUuid}`, review);
        return rows.length > 0;
      });
    },
    async claimExpiredReviews(now, limit, leaseMs) {
      return db.transaction(async (tx) => {
        const rows = await tx.query<{ id: string; merchant_id: string; held_at: string | null }>(`WITH due AS (
            SELECT t.id FROM txns t LEFT JOIN risk_configs c ON c.merchant_id = t.merchant_id
             WHERE t.risk IS NOT NULL AND t.status IN ('AUTHORIZED', 'VOID_FAILED')
               AND (t.risk -> 'review' ->> 'state' = 'PENDING'
                    OR (t.risk -> 'review' ->> 'state' = 'EXPIRING' AND (t.risk -> 'review' ->> 'leaseUntil')::timestamptz <= $1))
               AND coalesce((t.risk -> 'review' ->> 'heldAt')::timestamptz, t.created_at)
                   + make_interval(hours => coalesce((c.config ->> 'reviewExpiryHours')::int, ${DEFAULT_REVIEW_EXPIRY_HOURS})) <= $1
             ORDER BY t.created_at LIMIT $2 FOR UPDATE OF t SKIP LOCKED)
          UPDATE txns t SET risk = jsonb_set(t.risk, '{review}', (t.risk -> 'review') || jsonb_build_object('state', 'EXPIRING', 'leaseUntil', $3::text)), updated_at = now()
            FROM due WHERE t.id = due.id RETURNING t.id, t.merchant_id, t.risk -> 'review' ->> 'heldAt' AS held_at`,
          [now, limit, new Date(now.getTime() + leaseMs).toISOString()]);
        return rows.map((r) => ({ txnUuid: r.id, merchantId: r.merchant_id, heldAt: r.held_at }));
      });
    },
    async finishExpiredReview(merchantId, txnUuid, review) {
      return db.transaction(async (tx) => {
        const rows = await tx.query(`UPDATE txns SET risk = jsonb_set(risk, '{review}', $3::jsonb), updated_at = now()
          WHERE merchant_id = $1 AND id = $2 AND risk -> 'review' ->> 'state' = 'EXPIRING' RETURNING id`, [merchantId, txnUuid, review]);
        // Not a setup change: the audit row only (the compiled setup stays cached).
        if (rows.length) await tx.query('INSERT INTO risk_audit (id, merchant_id, actor, action, entity, detail) VALUES ($1, $2, $3, $4, $5, $6)', [`raud_${randomUUID()}`, merchantId, 'system:review-expiry', 'review.expire', `txn:${txnUuid}`, review]);
        return rows.length > 0;
      });
    },
  };
}
