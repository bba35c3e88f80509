// The payment transaction's statements on refunds, the card vault (ciphertext only: the card number
// never reaches this table in clear) and the webhook outbox (payment-repository.ts has the orders and txns).
import type { OutgoingEvent, PaymentTx } from '../core/ports/payment-store.ts';
import type { Sql } from './db.ts';
import { enqueueWebhookEvent } from './outbox-repository.ts';
import { buildSet, cardFromRow, refundFromRow, REFUND_COLUMNS, type CardVaultRow, type RefundRow } from './payment-rows.ts';

/** The statements on refunds, the card vault and the webhook outbox. */
export function refundAndCardStatements(sql: Sql): Pick<PaymentTx, 'getRefundByRequestId' | 'getRefund' | 'insertRefund' | 'updateRefund' | 'listRefunds' | 'saveCard' | 'enqueueEvent'> {
  return {
    async getRefundByRequestId(merchantId, uniqueRequestId) {
      const rows = await sql.query<RefundRow>('SELECT * FROM refunds WHERE merchant_id = $1 AND unique_request_id = $2', [merchantId, uniqueRequestId]);
      return rows[0] ? refundFromRow(rows[0]) : null;
    },
    async getRefund(refundId) {
      const rows = await sql.query<RefundRow>('SELECT * FROM refunds WHERE id = $1', [refundId]);
      return rows[0] ? refundFromRow(rows[0]) : null;
    },
    async insertRefund(r) {
      const rows = await sql.query<RefundRow>(
        `INSERT INTO refunds (id, merchant_id, order_pk, txn_pk, unique_request_id, amount, status, ref, arn, error_code, error_message,
           sent_to_gateway, initiated_by, refund_type, refund_source)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) RETURNING *`,
        [r.id, r.merchantId, r.orderPk, r.txnPk, r.uniqueRequestId, r.amount, r.status, r.ref, r.arn, r.errorCode, r.errorMessage, r.sentToGateway, r.initiatedBy, r.refundType, r.refundSource],
      );
      return refundFromRow(rows[0]!);
    },
    async updateRefund(refundId, patch) {
      const set = buildSet(patch, REFUND_COLUMNS, 2);
      const rows = await sql.query<RefundRow>(`UPDATE refunds SET ${set.sql} WHERE id = $1 RETURNING *`, [refundId, ...set.params]);
      return refundFromRow(rows[0]!);
    },
    async listRefunds(orderPk) {
      return (await sql.query<RefundRow>('SELECT * FROM refunds WHERE order_pk = $1 ORDER BY created_at, id', [orderPk])).map(refundFromRow);
    },
    async saveCard(c) {
      const rows = await sql.query<CardVaultRow>(
        `INSERT INTO card_vault (token, merchant_id, customer_id, fingerprint, ciphertext, key_id, card_isin, last_four_digits, card_brand,
           card_type, card_issuer, expiry_month, expiry_year, name_on_card)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)
         ON CONFLICT (merchant_id, (coalesce(customer_id, '')), fingerprint) WHERE deleted_at IS NULL
         DO UPDATE SET ciphertext = EXCLUDED.ciphertext, key_id = EXCLUDED.key_id, expiry_month = EXCLUDED.expiry_month, expiry_year = EXCLUDED.expiry_year
         RETURNING *`,
        [
          c.token,
          c.merchantId,
          c.customerId,
          c.fingerprint,
          c.ciphertext,
          c.keyId,
          c.card.card_isin,
          c.card.last_four_digits,
          c.card.card_brand,
          c.card.card_type,
          c.card.card_issuer,
          c.card.expiry_month,
          c.card.expiry_year,
          c.card.name_on_card,
        ],
      );
      return cardFromRow(rows[0]!);
    },
    async enqueueEvent(event: OutgoingEvent) {
      await enqueueWebhookEvent(sql, event);
    },
  };
}
