// BacktestStore over plain SQL (PGlite and PostgreSQL): the job rows, and the merchant's past
// payments of a window read in keyset pages on (created_at, id). The cursor keeps created_at as the
// database wrote it (microseconds), so no payment is read twice or skipped at a page boundary.
import { SETTLED_TXN_STATUSES } from '../core/status.ts';
import { sqlStatusList } from './sql-patch.ts';
import type { Backtest, BacktestReport, BacktestStatus } from '../core/backtest/types.ts';
import type { BacktestStore, StoredPayment } from '../core/ports/backtest-store.ts';
import type { Db, SqlParam } from './db.ts';
import { toDate } from './sql-values.ts';

interface BacktestRow {
  id: string;
  merchant_id: string;
  logic_id: string;
  logic_version: number;
  window_from: Date | string;
  window_to: Date | string;
  status: string;
  processed: number;
  total: number;
  report?: BacktestReport | null;
  error: string | null;
  created_by: string;
  created_at: Date | string;
  finished_at: Date | string | null;
}

interface PaymentRow {
  id: string;
  created_ms: number | string;
  cursor_at: string;
  status: string;
  amount: number | string;
  currency: string;
  payment_method_type: string;
  payment_method: string;
  auth_type: string | null;
  gateway: string | null;
  gateway_account_id: string | null;
  card_bin: string | null;
  card_ext_bin: string | null;
  card_brand: string | null;
  card_type: string | null;
  card_sub_type: string | null;
  card_issuer: string | null;
  card_issuer_country: string | null;
  card_saved: boolean | null;
  has_upi: boolean;
  upi_txn_type: string | null;
  upi_app: string | null;
  wallet: string | null;
  bank: string | null;
  rd_logic_id: string | null;
  rd_role: string | null;
  rd_status: string | null;
  rd_rule: number | null;
  rd_first: string | null;
  rd_decided: string | null;
  order_id: string;
  customer_id: string | null;
  product_id: string | null;
  description: string | null;
  udf: Record<string, string> | null;
  metadata: Record<string, string> | null;
  billing_country: string | null;
  shipping_country: string | null;
  order_gateway_id: number | null;
}

function backtestFromRow(r: BacktestRow): Backtest {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    logicId: r.logic_id,
    logicVersion: r.logic_version,
    from: toDate(r.window_from),
    to: toDate(r.window_to),
    status: r.status as BacktestStatus,
    processed: Number(r.processed),
    total: Number(r.total),
    report: r.report ?? null,
    error: r.error,
    createdBy: r.created_by,
    createdAt: toDate(r.created_at),
    finishedAt: r.finished_at === null ? null : toDate(r.finished_at),
  };
}

function paymentFromRow(r: PaymentRow): StoredPayment {
  return {
    id: r.id,
    createdAtMs: Number(r.created_ms),
    cursorAt: r.cursor_at,
    status: r.status,
    amount: Number(r.amount),
    currency: r.currency,
    paymentMethodType: r.payment_method_type,
    paymentMethod: r.payment_method,
    authType: r.auth_type,
    gateway: r.gateway,
    gatewayAccountId: r.gateway_account_id,
    card: r.card_bin
      ? {
          bin: r.card_bin,
          extendedBin: r.card_ext_bin,
          brand: r.card_brand,
          type: r.card_type,
          subType: r.card_sub_type,
          issuer: r.card_issuer,
          issuerCountry: r.card_issuer_country,
          savedToLocker: r.card_saved === true,
        }
      : null,
    upi: r.has_upi ? { txnType: r.upi_txn_type, app: r.upi_app } : null,
    wallet: r.wallet,
    bank: r.bank,
    decision: {
      logicId: r.rd_logic_id,
      role: r.rd_role,
      evaluationStatus: r.rd_status,
      matchedRuleIndex: r.rd_rule === null ? null : Number(r.rd_rule),
      firstProduced: r.rd_first,
      decidedGateway: r.rd_decided,
    },
    orderId: r.order_id,
    customerId: r.customer_id,
    productId: r.product_id,
    description: r.description,
    udf: r.udf ?? {},
    metadata: r.metadata ?? {},
    billingCountry: r.billing_country,
    shippingCountry: r.shipping_country,
    orderGatewayId: r.order_gateway_id,
  };
}

/** Settled outcomes (the metrics' SETTLED set): a payment still in flight has nothing to compare. */
const SETTLED = sqlStatusList(SETTLED_TXN_STATUSES);

/** The payments a backtest replays: first attempts with a decision and a settled outcome ($1 merchant, $2 from, $3 to). */
const REPLAYED = `t.merchant_id = $1 AND t.routing_decision IS NOT NULL AND t.created_at >= $2 AND t.created_at < $3
  AND t.status IN ${SETTLED}
  AND NOT (t.routing_decision ? 'fallbackAttempt') AND NOT (t.routing_decision ? 'fallback_attempt')`;

const COLUMNS = 'id, merchant_id, logic_id, logic_version, window_from, window_to, status, processed, total, error, created_by, created_at, finished_at';

export function createBacktestStore(db: Db): BacktestStore {
  return {
    async pagePayments(merchantId, window, after, limit) {
      const params: SqlParam[] = [merchantId, window.from, window.to, limit];
      let keyset = '';
      if (after) {
        params.push(after.at, after.id);
        keyset = 'AND (t.created_at, t.id) > ($5::timestamptz, $6)';
      }
      const rows = await db.query<PaymentRow>(
        // The decision's facts and the card's fields are picked out here: parsing each whole JSON
        // record in Node cost more than the query itself (a third of a 1,000,000-payment run).
        `SELECT t.id, (extract(epoch FROM t.created_at) * 1000)::float8 AS created_ms, t.created_at::text AS cursor_at, t.status, t.amount, t.currency,
                t.payment_method_type, t.payment_method, t.auth_type, t.gateway, t.gateway_account_id,
                t.card ->> 'card_isin' AS card_bin, t.card ->> 'extended_card_isin' AS card_ext_bin, t.card ->> 'card_brand' AS card_brand,
                t.card ->> 'card_type' AS card_type, t.card ->> 'card_sub_type' AS card_sub_type, t.card ->> 'card_issuer' AS card_issuer,
                t.card ->> 'card_issuer_country' AS card_issuer_country, (t.card -> 'saved_to_locker') = 'true'::jsonb AS card_saved,
                t.upi IS NOT NULL AS has_upi, t.upi ->> 'txn_type' AS upi_txn_type, t.upi ->> 'app' AS upi_app, t.wallet, t.bank,
                t.routing_decision -> 'logic' ->> 'id' AS rd_logic_id, t.routing_decision -> 'logic' ->> 'role' AS rd_role,
                t.routing_decision ->> 'evaluationStatus' AS rd_status,
                CASE WHEN jsonb_typeof(t.routing_decision -> 'matchedRule' -> 'index') = 'number' THEN (t.routing_decision -> 'matchedRule' ->> 'index')::int END AS rd_rule,
                t.routing_decision -> 'producedList' -> 0 ->> 'gateway' AS rd_first,
                coalesce(t.routing_decision ->> 'decidedGateway', t.routing_decision ->> 'decided_gateway', t.routing_decision -> 'finalGateways' -> 0 ->> 'gateway') AS rd_decided,
                o.order_id, o.customer_id, o.product_id, o.description, o.udf, o.metadata,
                o.billing_address ->> 'country' AS billing_country, o.shipping_address ->> 'country' AS shipping_country, o.gateway_id AS order_gateway_id
           FROM txns t JOIN orders o ON o.id = t.order_pk AND o.merchant_id = $1
          WHERE ${REPLAYED} ${keyset}
          ORDER BY t.created_at, t.id
          LIMIT $4`,
        params,
      );
      return rows.map(paymentFromRow);
    },

    async getDecisions(merchantId, ids) {
      if (ids.length === 0) return new Map();
      const rows = await db.query<{ id: string; routing_decision: unknown }>('SELECT id, routing_decision FROM txns WHERE merchant_id = $1 AND id = ANY($2::text[])', [merchantId, [...ids]]);
      return new Map(rows.map((r) => [r.id, r.routing_decision]));
    },

    async countPayments(merchantId, window) {
      const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM txns t WHERE ${REPLAYED}`, [merchantId, window.from, window.to]);
      return Number(rows[0]?.n ?? 0);
    },

    async countActive(merchantId, since) {
      const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM priority_logic_backtests WHERE merchant_id = $1 AND status IN ('QUEUED', 'RUNNING') AND created_at > $2`, [
        merchantId,
        since,
      ]);
      return Number(rows[0]?.n ?? 0);
    },

    async insert(b) {
      const rows = await db.query<BacktestRow>(
        `INSERT INTO priority_logic_backtests (id, merchant_id, logic_id, logic_version, window_from, window_to, status, total, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'QUEUED', 0, $7) RETURNING ${COLUMNS}`,
        [b.id, b.merchantId, b.logicId, b.logicVersion, b.from, b.to, b.createdBy],
      );
      return backtestFromRow(rows[0]!);
    },

    async get(merchantId, id) {
      const rows = await db.query<BacktestRow>(`SELECT ${COLUMNS}, report FROM priority_logic_backtests WHERE merchant_id = $1 AND id = $2`, [merchantId, id]);
      return rows[0] ? backtestFromRow(rows[0]) : null;
    },

    async list(merchantId, logicId, limit) {
      const rows = await db.query<BacktestRow>(`SELECT ${COLUMNS} FROM priority_logic_backtests WHERE merchant_id = $1 AND logic_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3`, [
        merchantId,
        logicId,
        limit,
      ]);
      return rows.map(backtestFromRow);
    },

    async progress(merchantId, id, status, processed, total) {
      await db.query(`UPDATE priority_logic_backtests SET status = $3, processed = $4, total = coalesce($5, total) WHERE merchant_id = $1 AND id = $2 AND status IN ('QUEUED', 'RUNNING')`, [
        merchantId,
        id,
        status,
        processed,
        total ?? null,
      ]);
    },

    async finish(merchantId, id, result) {
      await db.query(
        `UPDATE priority_logic_backtests SET status = $3, processed = $4, report = $5, error = $6, total = GREATEST(total, $4), finished_at = now()
          WHERE merchant_id = $1 AND id = $2 AND status IN ('QUEUED', 'RUNNING')`,
        [merchantId, id, result.status, result.processed, result.status === 'DONE' ? (result.report as unknown as Record<string, unknown>) : null, result.status === 'FAILED' ? result.error : null],
      );
    },
  };
}
