// What the simulated gateways charged, kept in the database so a restart loses nothing: a
// refund after a restart finds its charge, a sync finds the payment. The entry itself is the
// simulator's business (opaque JSON here); the indexed columns are what lookups need. Every
// read and write is scoped to one merchant, except the bank page's lookup of the merchant that
// owns a gateway id (the shopper's browser knows only that id, as with a real bank page).

export interface SimulatorLedgerRecord {
  merchantId: string;
  gatewayTxnId: string;
  gateway: string;
  accountId: string;
  /** Our txn id, the merchant reference a sync by reference uses after a timeout. */
  reference: string;
  idempotencyKey: string;
  status: string;
  entry: Record<string, unknown>;
}

export interface SimulatorLedgerStore {
  /** Inserts a new payment; false when one with the same id or (merchant, gateway, account, idempotency key) exists. */
  insert(record: SimulatorLedgerRecord): Promise<boolean>;
  /** Writes the entry's current state, inserting it when missing (never over another merchant's row). */
  save(record: SimulatorLedgerRecord): Promise<void>;
  findById(merchantId: string, gatewayTxnId: string): Promise<SimulatorLedgerRecord | null>;
  findByReference(merchantId: string, gateway: string, reference: string): Promise<SimulatorLedgerRecord | null>;
  findByIdempotencyKey(merchantId: string, gateway: string, accountId: string, idempotencyKey: string): Promise<SimulatorLedgerRecord | null>;
  /** The merchant that owns a gateway id: for the public bank page only. */
  merchantOf(gatewayTxnId: string): Promise<string | null>;
  /** Forgets one merchant's simulated payments; returns how many. */
  deleteMerchant(merchantId: string): Promise<number>;
  /** Forgets every merchant's simulated payments (admin-wide reset); returns how many. */
  deleteAll(): Promise<number>;
}
