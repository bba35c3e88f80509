// A merchant's block and allow list entries.
import type { RiskStore } from '../core/ports/risk-store.ts';
import type { ListKind } from '../risk/lists.ts';
import type { Db } from './db.ts';
import { audit } from './risk-setup-audit.ts';
import { toDate } from './sql-values.ts';

const PAGE = 50_000;

export function createRiskListRepository(db: Db): Pick<RiskStore, 'listEntries' | 'addEntries' | 'removeEntry' | 'pageEntries'> {
  return {
    async listEntries(merchantId) {
      const out: Array<{ list: 'block' | 'allow'; kind: ListKind; value: string }> = [];
      let after: [string, string, string] = ['', '', ''];
      for (;;) {
        const rows = await db.query<{ list: 'block' | 'allow'; kind: ListKind; value: string }>(
          'SELECT list, kind, value FROM risk_list_entries WHERE merchant_id = $1 AND (list, kind, value) > ($2, $3, $4) ORDER BY list, kind, value LIMIT $5',
          [merchantId, ...after, PAGE],
        );
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
          const rows = await tx.query(
            `INSERT INTO risk_list_entries (merchant_id, list, kind, value, note)
            SELECT $1, $2, $3, v, $5 FROM unnest($4::text[]) AS v ON CONFLICT DO NOTHING RETURNING value`,
            [merchantId, list, kind, chunk as string[], note],
          );
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
        [merchantId, list, kind ?? null, after ?? null, limit],
      );
      return rows.map((r) => ({ list: r.list, kind: r.kind, value: r.value, note: r.note, createdAt: toDate(r.created_at) }));
    },
  };
}
