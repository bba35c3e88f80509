// PaymentStore over plain SQL: rows (snake_case, ending in Row) <-> domain objects (payment-rows.ts).
import type { Order, Txn } from '../core/payments/types.ts';
import type { AttemptClaim, AttemptTxn, CustomerPatch, NewCustomer, NewOrder, PaymentStore, PaymentTx, TxnPatch } from '../core/ports/payment-store.ts';
import type { Db, Sql, SqlParam } from './db.ts';
// Decision records are stored in the shape they always had (rows old and new read alike).
import { decisionWire } from '../core/payments/decision-wire.ts';
import { refundAndCardStatements } from './refund-statements.ts';
import {
  buildSet,
  cardFromRow,
  customerFromRow,
  orderFromRow,
  refundFromRow,
  txnFromRow,
  ORDER_COLUMNS,
  TXN_COLUMNS,
  type CardVaultRow,
  type CustomerRow,
  type OrderRow,
  type RefundRow,
  type TxnRow,
} from './payment-rows.ts';

/** The statements on orders, and those that change an order with one of its attempts. */
function orderStatements(sql: Sql): Pick<PaymentTx, 'insertOrderIfAbsent' | 'lockOrder' | 'lockOrderByPk' | 'claimOrderForAttempt' | 'lockOrderWithTxn' | 'updateOrder' | 'updateTxnAndOrder'> {
  return {
    async insertOrderIfAbsent(o: NewOrder) {
      const inserted = await sql.query<OrderRow>(
        `INSERT INTO orders (id, merchant_id, order_id, amount, currency, status, customer_id, customer_email, customer_phone, description,
           product_id, return_url, gateway_id, billing_address, shipping_address, udf, metadata, client_auth_token_hash, client_auth_token_expiry)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19)
         ON CONFLICT (merchant_id, order_id) DO NOTHING RETURNING *`,
        [
          o.id,
          o.merchantId,
          o.orderId,
          o.amount,
          o.currency,
          o.status,
          o.customerId,
          o.customerEmail,
          o.customerPhone,
          o.description,
          o.productId,
          o.returnUrl,
          o.gatewayId,
          o.billingAddress as Record<string, unknown>,
          o.shippingAddress as Record<string, unknown>,
          o.udf,
          o.metadata,
          o.clientAuthTokenHash,
          o.clientAuthTokenExpiry,
        ],
      );
      if (inserted[0]) return { order: orderFromRow(inserted[0]), created: true };
      const existing = await sql.query<OrderRow>('SELECT * FROM orders WHERE merchant_id = $1 AND order_id = $2', [o.merchantId, o.orderId]);
      return { order: orderFromRow(existing[0]!), created: false };
    },
    async lockOrder(merchantId, orderId) {
      const rows = await sql.query<OrderRow>('SELECT * FROM orders WHERE merchant_id = $1 AND order_id = $2 FOR UPDATE', [merchantId, orderId]);
      return rows[0] ? orderFromRow(rows[0]) : null;
    },
    async lockOrderByPk(orderPk) {
      const rows = await sql.query<OrderRow>('SELECT * FROM orders WHERE id = $1 FOR UPDATE', [orderPk]);
      return rows[0] ? orderFromRow(rows[0]) : null;
    },
    async claimOrderForAttempt(merchantId, orderId, claim) {
      const rows = await sql.query<OrderRow>(`${claimOrderSql('')} RETURNING *`, claimParams(merchantId, orderId, claim));
      return rows[0] ? orderFromRow(rows[0]) : null;
    },
    async lockOrderWithTxn(orderPk, txnUuid) {
      const rows = await sql.query<{ o: OrderRow; t: TxnRow }>(
        `SELECT to_jsonb(o.*) AS o, to_jsonb(t.*) AS t FROM orders o JOIN txns t ON t.order_pk = o.id AND t.id = $2 WHERE o.id = $1 FOR UPDATE OF o`,
        [orderPk, txnUuid],
      );
      const row = rows[0];
      return row ? { order: orderFromRow(row.o), txn: txnFromRow(row.t) } : null;
    },
    async updateOrder(orderPk, patch) {
      const set = buildSet(patch, ORDER_COLUMNS, 2);
      const rows = await sql.query<OrderRow>(`UPDATE orders SET ${set.sql} WHERE id = $1 RETURNING *`, [orderPk, ...set.params]);
      return orderFromRow(rows[0]!);
    },
    async updateTxnAndOrder(txnUuid, txnPatch, orderPk, orderPatch) {
      const txnSet = buildSet(txnPatch, TXN_COLUMNS, 3);
      const orderSet = buildSet(orderPatch, ORDER_COLUMNS, 3 + txnSet.params.length);
      const rows = await sql.query<{ t: TxnRow; o: OrderRow }>(
        `WITH t AS (UPDATE txns SET ${txnSet.sql} WHERE id = $1 RETURNING *),
              o AS (UPDATE orders SET ${orderSet.sql} WHERE id = $2 RETURNING *)
         SELECT to_jsonb(t.*) AS t, to_jsonb(o.*) AS o FROM t, o`,
        [txnUuid, orderPk, ...txnSet.params, ...orderSet.params],
      );
      const row = rows[0];
      if (!row) throw new Error(`updateTxnAndOrder: transaction ${txnUuid} or order ${orderPk} not found`);
      return { txn: txnFromRow(row.t), order: orderFromRow(row.o) };
    },
  };
}

/** The parameters of a new txn row from its gateway on (gateway ... risk), in the column order both inserts share. */
function gatewayAndOutcomeParams(t: Omit<AttemptTxn, 'preAuth'>): SqlParam[] {
  return [
    t.gateway,
    t.gatewayId,
    t.gatewayAccountId,
    t.gatewayReferenceId,
    t.gatewayTxnId,
    t.card as unknown as Record<string, unknown> | null,
    t.upi,
    t.wallet,
    t.bank,
    t.errorCode,
    t.errorMessage,
    t.errorCategory,
    t.gatewayCode,
    t.gatewayMessage,
    t.gatewayResponse,
    t.authentication as Record<string, unknown> | null,
    t.routingDecision ? decisionWire(t.routingDecision) : null,
    t.redirect,
    t.latencyMs,
    t.risk as unknown as Record<string, unknown> | null,
  ];
}

/** The statements on attempts. */
function txnStatements(sql: Sql): Pick<PaymentTx, 'insertTxn' | 'getTxn' | 'updateTxn' | 'listTxns'> {
  return {
    async insertTxn(t) {
      const rows = await sql.query<TxnRow>(
        `INSERT INTO txns (id, merchant_id, order_pk, txn_id, attempt, status, amount, currency, payment_method_type, payment_method, auth_type,
           txn_type, gateway, gateway_id, gateway_account_id, gateway_reference_id, gateway_txn_id, card, upi, wallet, bank, error_code,
           error_message, error_category, gateway_code, gateway_message, gateway_response, authentication, routing_decision, redirect, latency_ms, risk)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28,$29,$30,$31,$32) RETURNING *`,
        [t.id, t.merchantId, t.orderPk, t.txnId, t.attempt, t.status, t.amount, t.currency, t.paymentMethodType, t.paymentMethod, t.authType, t.txnType, ...gatewayAndOutcomeParams(t)],
      );
      return txnFromRow(rows[0]!);
    },
    async getTxn(txnUuid) {
      const rows = await sql.query<TxnRow>('SELECT * FROM txns WHERE id = $1', [txnUuid]);
      return rows[0] ? txnFromRow(rows[0]) : null;
    },
    async updateTxn(txnUuid, patch) {
      const normalised = { ...patch } as Record<string, unknown>;
      const set = buildSet(normalised as TxnPatch, TXN_COLUMNS, 2);
      const rows = await sql.query<TxnRow>(`UPDATE txns SET ${set.sql} WHERE id = $1 RETURNING *`, [txnUuid, ...set.params]);
      return txnFromRow(rows[0]!);
    },
    async listTxns(orderPk) {
      return (await sql.query<TxnRow>('SELECT * FROM txns WHERE order_pk = $1 ORDER BY attempt', [orderPk])).map(txnFromRow);
    },
  };
}

function paymentTx(sql: Sql): PaymentTx {
  return { ...orderStatements(sql), ...txnStatements(sql), ...refundAndCardStatements(sql) };
}

/**
 * The claim of an order for a new attempt ($1-$7: merchant, order id, the attempt's uuid, the order's
 * new status, whether the attempt locks the order, the attempts limit, the statuses it may start
 * from), used alone (claimOrderForAttempt) and with the attempt's INSERT (claimOrderAndInsertTxn).
 */
function claimOrderSql(extraCondition: string): string {
  return `UPDATE orders SET txn_count = txn_count + 1, last_txn_id = $3, status = $4, lock_txn_id = CASE WHEN $5 THEN $3 ELSE lock_txn_id END, updated_at = now()
     WHERE merchant_id = $1 AND order_id = $2 AND lock_txn_id IS NULL AND txn_count < $6 AND status = ANY($7::text[])${extraCondition}`;
}

function claimParams(merchantId: string, orderId: string, claim: AttemptClaim): SqlParam[] {
  return [merchantId, orderId, claim.txnUuid, claim.status, claim.lock, claim.maxTxns, [...claim.allowedFrom]];
}

/**
 * The claim of claimOrderForAttempt and the INSERT of insertTxn as one statement: the INSERT reads
 * the claimed row, so it inserts nothing when the claim matched nothing, and both land or neither.
 */
async function claimOrderAndInsertTxn(sql: Sql, merchantId: string, orderId: string, claim: AttemptClaim, t: AttemptTxn): Promise<{ order: Order; txn: Txn } | null> {
  const rows = await sql.query<{ o: OrderRow; t: TxnRow }>(
    `WITH o AS (${claimOrderSql(claim.withoutOrderWebhook ? ` AND NOT (metadata ? 'webhook_url')` : '')} RETURNING *),
     t AS (
       INSERT INTO txns (id, merchant_id, order_pk, txn_id, attempt, status, amount, currency, payment_method_type, payment_method, auth_type,
         txn_type, gateway, gateway_id, gateway_account_id, gateway_reference_id, gateway_txn_id, card, upi, wallet, bank, error_code,
         error_message, error_category, gateway_code, gateway_message, gateway_response, authentication, routing_decision, redirect, latency_ms, risk)
       SELECT $3, $1, o.id, $1 || '-' || $2 || '-' || o.txn_count, o.txn_count, $8::text, o.amount, o.currency, $9::text, $10::text, $11::text,
         CASE WHEN $12::boolean OR o.metadata->>'txns.auto_capture' = 'false' THEN 'PRE_AUTH' ELSE 'AUTH_AND_SETTLE' END,
         $13::text, $14::integer, $15::text, $16::text, $17::text, $18::jsonb, $19::jsonb, $20::text, $21::text, $22::text, $23::text, $24::text,
         $25::text, $26::text, $27::jsonb, $28::jsonb, $29::jsonb, $30::boolean, $31::integer, $32::jsonb
       FROM o
       RETURNING *)
     SELECT to_jsonb(o.*) AS o, to_jsonb(t.*) AS t FROM o, t`,
    [...claimParams(merchantId, orderId, claim), t.status, t.paymentMethodType, t.paymentMethod, t.authType, t.preAuth, ...gatewayAndOutcomeParams(t)],
  );
  const row = rows[0];
  return row ? { order: orderFromRow(row.o), txn: txnFromRow(row.t) } : null;
}

export function createPaymentStore(db: Db): PaymentStore {
  const reads = paymentTx(db);
  return {
    transaction: (fn) => db.transaction((sql) => fn(paymentTx(sql))),
    insertOrderIfAbsent: reads.insertOrderIfAbsent,
    claimOrderAndInsertTxn: (merchantId, orderId, claim, txn) => claimOrderAndInsertTxn(db, merchantId, orderId, claim, txn),
    async getOrder(merchantId, orderId) {
      const rows = await db.query<OrderRow>('SELECT * FROM orders WHERE merchant_id = $1 AND order_id = $2', [merchantId, orderId]);
      return rows[0] ? orderFromRow(rows[0]) : null;
    },
    async getOrderByPk(orderPk) {
      const rows = await db.query<OrderRow>('SELECT * FROM orders WHERE id = $1', [orderPk]);
      return rows[0] ? orderFromRow(rows[0]) : null;
    },
    listTxns: reads.listTxns,
    getTxn: reads.getTxn,
    async getRefundByRef(merchantId, ref) {
      const rows = await db.query<RefundRow>('SELECT * FROM refunds WHERE merchant_id = $1 AND ref = $2 LIMIT 1', [merchantId, ref]);
      return rows[0] ? refundFromRow(rows[0]) : null;
    },
    async getTxnByTxnId(merchantId, txnId) {
      const rows = await db.query<TxnRow>('SELECT * FROM txns WHERE merchant_id = $1 AND txn_id = $2', [merchantId, txnId]);
      return rows[0] ? txnFromRow(rows[0]) : null;
    },
    async recordGatewayEvent(merchantId, accountId, eventId) {
      const rows = await db.query<{ event_id: string }>('INSERT INTO gateway_webhook_events (account_id, event_id, merchant_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id', [
        accountId,
        eventId,
        merchantId,
      ]);
      return rows.length === 1;
    },
    async forgetGatewayEvent(accountId, eventId) {
      await db.query('DELETE FROM gateway_webhook_events WHERE account_id = $1 AND event_id = $2', [accountId, eventId]);
    },
    async findTxnByGatewayTxnId(gateway, gatewayTxnId) {
      const rows = await db.query<TxnRow>('SELECT * FROM txns WHERE gateway = $1 AND gateway_txn_id = $2', [gateway, gatewayTxnId]);
      return rows[0] ? txnFromRow(rows[0]) : null;
    },
    async listUnsettledTxns(olderThan, limit) {
      const rows = await db.query<TxnRow>(
        `SELECT * FROM txns WHERE status IN ('STARTED', 'PENDING_VBV', 'VBV_SUCCESSFUL', 'AUTHORIZING', 'CAPTURE_INITIATED', 'VOID_INITIATED') AND updated_at < $1 ORDER BY updated_at LIMIT $2`,
        [olderThan, limit],
      );
      return rows.map(txnFromRow);
    },
    async claimPendingRefunds(olderThan, limit, filter) {
      if (filter.gateways.length === 0) return [];
      const rows = await db.query<RefundRow>(
        `WITH due AS (
           SELECT r.id FROM refunds r JOIN txns t ON t.id = r.txn_pk
            WHERE r.status = 'PENDING' AND r.updated_at < $1 AND r.created_at > $3 AND t.gateway = ANY($4::text[])
            ORDER BY r.updated_at LIMIT $2 FOR UPDATE OF r SKIP LOCKED)
         UPDATE refunds r SET updated_at = now() FROM due WHERE r.id = due.id RETURNING r.*`,
        [olderThan, limit, filter.createdAfter, filter.gateways as string[]],
      );
      return rows.map(refundFromRow);
    },
    listRefunds: reads.listRefunds,
    async getCard(merchantId, token) {
      const rows = await db.query<CardVaultRow>('SELECT * FROM card_vault WHERE merchant_id = $1 AND token = $2 AND deleted_at IS NULL', [merchantId, token]);
      return rows[0] ? cardFromRow(rows[0]) : null;
    },
    async insertCustomer(c: NewCustomer) {
      const inserted = await db.query<CustomerRow>(
        `INSERT INTO customers (id, merchant_id, object_reference_id, mobile_number, mobile_country_code, email_address, first_name, last_name)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (merchant_id, object_reference_id) DO NOTHING RETURNING *`,
        [c.id, c.merchantId, c.objectReferenceId, c.mobileNumber, c.mobileCountryCode, c.emailAddress, c.firstName, c.lastName],
      );
      if (inserted[0]) return { customer: customerFromRow(inserted[0]), created: true };
      const existing = await db.query<CustomerRow>('SELECT * FROM customers WHERE merchant_id = $1 AND object_reference_id = $2', [c.merchantId, c.objectReferenceId]);
      return { customer: customerFromRow(existing[0]!), created: false };
    },
    async getCustomer(merchantId, idOrReference) {
      const rows = await db.query<CustomerRow>('SELECT * FROM customers WHERE merchant_id = $1 AND (id = $2 OR object_reference_id = $2) ORDER BY (id = $2) DESC LIMIT 1', [merchantId, idOrReference]);
      return rows[0] ? customerFromRow(rows[0]) : null;
    },
    async updateCustomer(merchantId, customerId, patch: CustomerPatch) {
      const columns: Record<keyof CustomerPatch, string> = {
        mobileNumber: 'mobile_number',
        mobileCountryCode: 'mobile_country_code',
        emailAddress: 'email_address',
        firstName: 'first_name',
        lastName: 'last_name',
      };
      const set = buildSet(patch, columns, 3);
      const rows = await db.query<CustomerRow>(`UPDATE customers SET ${set.sql} WHERE merchant_id = $1 AND id = $2 RETURNING *`, [merchantId, customerId, ...set.params]);
      return customerFromRow(rows[0]!);
    },
    async listOrders(merchantId, query) {
      const params: SqlParam[] = [merchantId];
      const where = ['merchant_id = $1'];
      const add = (clause: string, value: SqlParam): void => {
        params.push(value);
        where.push(clause.replaceAll('?', `$${params.length}`));
      };
      if (query.statuses) add('status = ANY(?::text[])', query.statuses);
      if (query.from) add('created_at >= ?', query.from);
      if (query.to) add('created_at < ?', query.to);
      if (query.after) {
        params.push(String(query.after.createdUs), query.after.id);
        where.push(`(created_at, id) < (timestamptz 'epoch' + ($${params.length - 1} || ' microseconds')::interval, $${params.length})`);
      }
      params.push(query.limit);
      // orders_merchant_created serves the order; the id breaks ties between orders of the same microsecond.
      const rows = await db.query<OrderRow & { created_us: number | string }>(
        `SELECT *, (extract(epoch FROM created_at) * 1000000)::bigint AS created_us FROM orders
          WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
        params,
      );
      return rows.map((r) => ({ order: orderFromRow(r), cursor: { createdUs: Number(r.created_us), id: r.id } }));
    },
  };
}
