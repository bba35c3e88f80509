// ScheduledOutageStore over SQL.
import type { ScheduledOutageRecord, ScheduledOutageStore } from '../core/routing-intelligence/ports.ts';
import type { Db } from './db.ts';

interface Row {
  id: string;
  merchant_id: string;
  gateway: string;
  start_at: Date | string;
  end_at: Date | string;
  payment_method_type: string | null;
  created_at: Date | string;
}

const date = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

function fromRow(r: Row): ScheduledOutageRecord {
  return { id: r.id, merchantId: r.merchant_id, gateway: r.gateway, startAt: date(r.start_at), endAt: date(r.end_at), paymentMethodType: r.payment_method_type, createdAt: date(r.created_at) };
}

export function createScheduledOutageRepository(db: Db): ScheduledOutageStore {
  return {
    async list(merchantId, endsAfter) {
      const rows = await db.query<Row>('SELECT * FROM scheduled_outages WHERE merchant_id = $1 AND ($2::timestamptz IS NULL OR end_at > $2) ORDER BY start_at, id', [merchantId, endsAfter ?? null]);
      return rows.map(fromRow);
    },
    async insert(o) {
      const rows = await db.query<Row>('INSERT INTO scheduled_outages (id, merchant_id, gateway, start_at, end_at, payment_method_type) VALUES ($1,$2,$3,$4,$5,$6) RETURNING *', [
        o.id,
        o.merchantId,
        o.gateway,
        o.startAt,
        o.endAt,
        o.paymentMethodType,
      ]);
      return fromRow(rows[0]!);
    },
    async delete(merchantId, id) {
      const rows = await db.query('DELETE FROM scheduled_outages WHERE merchant_id = $1 AND id = $2 RETURNING id', [merchantId, id]);
      return rows.length > 0;
    },
  };
}
