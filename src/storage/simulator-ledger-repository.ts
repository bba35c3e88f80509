// SimulatorLedgerStore over SQL (PGlite and PostgreSQL alike).
import type { SimulatorLedgerRecord, SimulatorLedgerStore } from '../core/ports/simulator-ledger-store.ts';
import type { Db } from './db.ts';

interface SimulatorLedgerRow {
  gateway_txn_id: string;
  merchant_id: string;
  gateway: string;
  account_id: string;
  reference: string;
  idempotency_key: string;
  status: string;
  entry: Record<string, unknown> | string;
}

function fromRow(row: SimulatorLedgerRow): SimulatorLedgerRecord {
  return {
    merchantId: row.merchant_id,
    gatewayTxnId: row.gateway_txn_id,
    gateway: row.gateway,
    accountId: row.account_id,
    reference: row.reference,
    idempotencyKey: row.idempotency_key,
    status: row.status,
    entry: typeof row.entry === 'string' ? (JSON.parse(row.entry) as Record<string, unknown>) : row.entry,
  };
}

const COLUMNS = 'gateway_txn_id, merchant_id, gateway, account_id, reference, idempotency_key, status, entry';

export function createSimulatorLedgerRepository(db: Db): SimulatorLedgerStore {
  async function one(sql: string, params: Array<string>): Promise<SimulatorLedgerRecord | null> {
    const rows = await db.query<SimulatorLedgerRow>(sql, params);
    return rows[0] ? fromRow(rows[0]) : null;
  }
  return {
    async insert(r) {
      // No conflict target: a clash on the id or on the idempotency key both mean "already there".
      const rows = await db.query(`INSERT INTO simulator_ledger (${COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING RETURNING gateway_txn_id`, [
        r.gatewayTxnId,
        r.merchantId,
        r.gateway,
        r.accountId,
        r.reference,
        r.idempotencyKey,
        r.status,
        r.entry,
      ]);
      return rows.length > 0;
    },
    async save(r) {
      await db.query(
        `INSERT INTO simulator_ledger (${COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
         ON CONFLICT (gateway_txn_id) DO UPDATE SET status = EXCLUDED.status, entry = EXCLUDED.entry, updated_at = now()
         WHERE simulator_ledger.merchant_id = EXCLUDED.merchant_id`,
        [r.gatewayTxnId, r.merchantId, r.gateway, r.accountId, r.reference, r.idempotencyKey, r.status, r.entry],
      );
    },
    findById: (merchantId, gatewayTxnId) => one(`SELECT ${COLUMNS} FROM simulator_ledger WHERE merchant_id = $1 AND gateway_txn_id = $2`, [merchantId, gatewayTxnId]),
    findByReference: (merchantId, gateway, reference) =>
      one(`SELECT ${COLUMNS} FROM simulator_ledger WHERE merchant_id = $1 AND gateway = $2 AND reference = $3 ORDER BY created_at DESC LIMIT 1`, [merchantId, gateway, reference]),
    findByIdempotencyKey: (merchantId, gateway, accountId, idempotencyKey) =>
      one(`SELECT ${COLUMNS} FROM simulator_ledger WHERE merchant_id = $1 AND gateway = $2 AND account_id = $3 AND idempotency_key = $4`, [merchantId, gateway, accountId, idempotencyKey]),
    async merchantOf(gatewayTxnId) {
      const rows = await db.query<{ merchant_id: string }>('SELECT merchant_id FROM simulator_ledger WHERE gateway_txn_id = $1', [gatewayTxnId]);
      return rows[0]?.merchant_id ?? null;
    },
    async deleteMerchant(merchantId) {
      return (await db.query('DELETE FROM simulator_ledger WHERE merchant_id = $1 RETURNING gateway_txn_id', [merchantId])).length;
    },
    async deleteAll() {
      return (await db.query('DELETE FROM simulator_ledger RETURNING gateway_txn_id')).length;
    },
  };
}
