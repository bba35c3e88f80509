// The dashboard's order search: by status, time range and a prefix of the order id, customer id or
// email, a page at a time (keyset cursor).
import type { OrderSearch, OrderSummary } from '../core/analytics/types.ts';
import type { Db, SqlParam } from './db.ts';
import { toDate } from './sql-values.ts';

interface OrderSummaryRow {
  id: string;
  order_id: string;
  status: string;
  amount: number;
  currency: string;
  customer_id: string | null;
  customer_email: string | null;
  txn_count: number;
  gateway: string | null;
  created_at: Date | string;
  created_us: number | string;
}

/** In-flight transaction statuses: the partial index txns_unsettled (migration 001) lists them. */
const UNSETTLED_STATUSES = ['STARTED', 'PENDING_VBV', 'VBV_SUCCESSFUL', 'AUTHORIZING'] as const;

/** Above this many matches an order search walks the orders newest first instead of collecting them. */
export const SEARCH_CANDIDATES = 2000;

/** A LIKE pattern matching what starts with `text` (its own % and _ taken literally). */
function prefixPattern(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A page of the merchant's orders, newest first, by status, time range and id/customer prefix. */
export async function searchOrders(db: Db, searchCandidates: number, merchantId: string, search: OrderSearch): Promise<OrderSummary[]> {
  const params: SqlParam[] = [merchantId];
  const where = ['o.merchant_id = $1'];
  if (search.status) {
    params.push(search.status);
    where.push(`o.status = $${params.length}`);
    // Orders carry no index on status: one would stop every order update from being a HOT
    // update (about 8% of a payment's time on PGlite). Common statuses are dense, so walking
    // newest first finds a page quickly; the rare in-flight ones are found through their
    // transactions' index of unsettled attempts (txns_unsettled).
    if (!search.search && (UNSETTLED_STATUSES as readonly string[]).includes(search.status)) {
      const candidates = await db.query<{ order_pk: string }>(
        `SELECT DISTINCT order_pk FROM txns
              WHERE status = $2 AND status IN (${UNSETTLED_STATUSES.map((x) => `'${x}'`).join(', ')}) AND merchant_id = $1
              LIMIT ${searchCandidates + 1}`,
        [merchantId, search.status],
      );
      if (candidates.length <= searchCandidates) {
        params.push(candidates.map((c) => c.order_pk));
        where.push(`o.id = ANY($${params.length}::text[])`);
      }
    }
  }
  if (search.from) {
    params.push(search.from);
    where.push(`o.created_at >= $${params.length}`);
  }
  if (search.to) {
    params.push(search.to);
    where.push(`o.created_at < $${params.length}`);
  }
  if (search.search) {
    // A narrow prefix: collect its matches through the three prefix indexes, then sort those. A
    // broad one (more than `searchCandidates` matches): walk the orders newest first and filter,
    // which finds a page quickly because matches are dense. Left to itself the planner sometimes
    // walks newest first for a narrow prefix of old orders too, reading most of the table.
    const pattern = prefixPattern(search.search);
    const candidates = await db.query<{ id: string }>(
      `SELECT id FROM (
             (SELECT id FROM orders WHERE merchant_id = $1 AND order_id LIKE $2 LIMIT ${searchCandidates + 1})
             UNION (SELECT id FROM orders WHERE merchant_id = $1 AND customer_id LIKE $2 LIMIT ${searchCandidates + 1})
             UNION (SELECT id FROM orders WHERE merchant_id = $1 AND lower(customer_email) LIKE lower($2) LIMIT ${searchCandidates + 1})
           ) m LIMIT ${searchCandidates + 1}`,
      [merchantId, pattern],
    );
    if (candidates.length === 0) return [];
    if (candidates.length <= searchCandidates) {
      params.push(candidates.map((c) => c.id));
      where.push(`o.id = ANY($${params.length}::text[])`);
    } else {
      params.push(pattern);
      const p = `$${params.length}`;
      where.push(`(o.order_id LIKE ${p} OR o.customer_id LIKE ${p} OR lower(o.customer_email) LIKE lower(${p}))`);
    }
  }
  if (search.cursor) {
    params.push(String(search.cursor.createdUs), search.cursor.id);
    where.push(`(o.created_at, o.id) < (timestamptz 'epoch' + ($${params.length - 1} || ' microseconds')::interval, $${params.length})`);
  }
  params.push(search.limit);
  const rows = await db.query<OrderSummaryRow>(
    `SELECT o.id, o.order_id, o.status, o.amount, o.currency, o.customer_id, o.customer_email, o.txn_count, o.created_at,
                (extract(epoch FROM o.created_at) * 1000000)::bigint AS created_us,
                (SELECT t.gateway FROM txns t WHERE t.id = coalesce(o.charged_txn_id, o.last_txn_id)) AS gateway
           FROM orders o
          WHERE ${where.join(' AND ')}
          ORDER BY o.created_at DESC, o.id DESC
          LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    orderId: r.order_id,
    status: r.status,
    amount: Number(r.amount),
    currency: r.currency,
    customerId: r.customer_id,
    customerEmail: r.customer_email,
    txnCount: r.txn_count,
    gateway: r.gateway,
    createdAt: toDate(r.created_at),
    cursor: { createdUs: Number(r.created_us), id: r.id },
  }));
}
