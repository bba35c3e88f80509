// The payment bench's second baseline: a bare Fastify server that makes, for each payment, the
// writes Junction makes, through Junction's own storage adapters, into the same tables (so the same
// indexes and row widths), with the values of a payment Junction made: the order's INSERT; the
// claim of the order and the attempt's INSERT (one statement); the simulator ledger's INSERT (which
// stands for the gateway call); and, in one transaction, the order's lock and the attempt's and
// order's outcome UPDATE (one statement). It skips everything else a payment does: API key auth,
// rate limits, reading and validating the request, the card's fingerprint, the order read before
// the attempt, Priority Logic and ranking, the connector and the simulator's logic, webhooks, and
// the answer's views (it answers a few fields).
//
// The first baseline (startBare in payment-bench.ts) writes as many rows as Junction does, each a
// small row into one table with one index: it does the same number of writes, not the same writes
// (about 6 index entries per payment against Junction's 23, docs/performance.md).
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import type { AttemptTxn, NewOrder, TxnPatch } from '../src/core/ports/payment-store.ts';
import type { SimulatorLedgerRecord } from '../src/core/ports/simulator-ledger-store.ts';
import type { Order, Txn } from '../src/core/payments/types.ts';
import { newId } from '../src/core/crypto.ts';
import type { Db } from '../src/storage/db.ts';
import { createPaymentStore } from '../src/storage/payment-repository.ts';
import { createSimulatorLedgerRepository } from '../src/storage/simulator-ledger-repository.ts';

/** A payment Junction made: the rows the baseline copies (with its own ids). */
export interface PaymentTemplate {
  order: Order;
  txn: Txn;
  ledger: SimulatorLedgerRecord;
}

/** Reads the rows of one CHARGED payment Junction made for `orderId`. */
export async function paymentTemplate(db: Db, merchantId: string, orderId: string): Promise<PaymentTemplate> {
  const store = createPaymentStore(db);
  const order = await store.getOrder(merchantId, orderId);
  if (order?.status !== 'CHARGED') throw new Error(`same-writes baseline: order ${orderId} is not a charged payment (${order?.status})`);
  const [txn] = await store.listTxns(order.id);
  if (!txn?.gatewayTxnId) throw new Error(`same-writes baseline: order ${orderId} has no charged attempt`);
  const ledger = await createSimulatorLedgerRepository(db).findById(merchantId, txn.gatewayTxnId);
  if (!ledger) throw new Error(`same-writes baseline: no simulator ledger entry ${txn.gatewayTxnId}`);
  return { order, txn, ledger };
}

/** The order as POST /orders inserts it (status NEW, no attempt yet). */
function newOrderOf(template: Order, orderId: string): NewOrder {
  const { amountRefunded: _r, amountCaptured: _c, txnCount: _n, lockTxnId: _l, chargedTxnId: _ch, lastTxnId: _la, fulfillment: _f, createdAt: _ca, updatedAt: _u, ...fields } = template;
  return { ...fields, id: newId('ordeh'), orderId, status: 'NEW', clientAuthTokenHash: null, clientAuthTokenExpiry: null };
}

/** The attempt as it is inserted (before the gateway answered), from the charged template. */
function attemptOf(template: Txn): AttemptTxn {
  const { id: _i, orderPk: _o, txnId: _t, attempt: _a, amount: _am, currency: _cu, txnType: _ty, createdAt: _ca, updatedAt: _u, ...fields } = template;
  return {
    ...fields,
    status: 'STARTED',
    preAuth: false,
    gatewayTxnId: null,
    gatewayCode: null,
    gatewayMessage: null,
    gatewayResponse: null,
    errorCode: null,
    errorMessage: null,
    errorCategory: null,
    authentication: null,
    latencyMs: null,
  };
}

/** The attempt's outcome patch, as apply-outcome writes it for a direct CHARGED answer. */
function outcomeOf(template: Txn, gatewayTxnId: string): TxnPatch {
  return {
    status: 'CHARGED',
    gatewayTxnId,
    gatewayCode: template.gatewayCode,
    gatewayMessage: template.gatewayMessage,
    gatewayResponse: template.gatewayResponse,
    errorCode: null,
    errorMessage: null,
    errorCategory: null,
    authentication: template.authentication,
    latencyMs: template.latencyMs,
  };
}

/** Starts the baseline on Junction's own database (the merchant and its tables exist there). */
export async function startSameWrites(db: Db, merchantId: string, template: PaymentTemplate): Promise<FastifyInstance> {
  const store = createPaymentStore(db);
  const ledger = createSimulatorLedgerRepository(db);
  const app = Fastify({ logger: false });
  await app.register(formbody);
  app.post('/orders', async (request) => {
    const body = request.body as Record<string, string>;
    const { order } = await store.insertOrderIfAbsent(newOrderOf(template.order, body.order_id));
    return { order_id: order.orderId, status: order.status, status_id: 10 };
  });
  app.post('/txns', async (request, reply) => {
    const body = request.body as Record<string, string>;
    const txnUuid = newId('txn');
    const claim = { txnUuid, status: 'STARTED', allowedFrom: ['NEW'], maxTxns: 25, lock: true, withoutOrderWebhook: true };
    const started = await store.claimOrderAndInsertTxn!(merchantId, body.order_id, claim, { ...attemptOf(template.txn), merchantId });
    if (!started) return reply.code(400).send({ status: 'ERROR', error_message: `order ${body.order_id} cannot start an attempt` });
    const gatewayTxnId = newId('sim');
    await ledger.insert({ ...template.ledger, gatewayTxnId, reference: started.txn.txnId, idempotencyKey: started.txn.id });
    const settled = await store.transaction(async (tx) => {
      const locked = await tx.lockOrderWithTxn(started.order.id, started.txn.id);
      if (!locked) throw new Error(`same-writes baseline: attempt ${started.txn.id} vanished`);
      return tx.updateTxnAndOrder(started.txn.id, outcomeOf(template.txn, gatewayTxnId), started.order.id, { status: 'CHARGED', chargedTxnId: started.txn.id, lockTxnId: null });
    });
    return { order_id: body.order_id, txn_id: settled.txn.txnId, status: settled.txn.status, status_id: 21 };
  });
  await app.ready();
  return app;
}

/**
 * The columns of `table` that one row has set and another has not: the baseline must write what
 * Junction writes. Compares the CHARGED rows of a Junction order and of a baseline order.
 */
export async function columnsThatDiffer(db: Db, merchantId: string, junctionOrderId: string, baselineOrderId: string): Promise<string[]> {
  const rows = await db.query<{ order_id: string; o: Record<string, unknown>; t: Record<string, unknown> }>(
    `SELECT o.order_id, to_jsonb(o.*) AS o, to_jsonb(t.*) AS t FROM orders o JOIN txns t ON t.order_pk = o.id WHERE o.merchant_id = $1 AND o.order_id = ANY($2::text[])`,
    [merchantId, [junctionOrderId, baselineOrderId]],
  );
  const a = rows.find((r) => r.order_id === junctionOrderId);
  const b = rows.find((r) => r.order_id === baselineOrderId);
  if (!a || !b) return ['(a payment is missing)'];
  const differ: string[] = [];
  for (const [name, left, right] of [
    ['orders', a.o, b.o],
    ['txns', a.t, b.t],
  ] as const) {
    for (const column of Object.keys(left)) {
      if ((left[column] === null) !== (right[column] === null)) differ.push(`${name}.${column}`);
    }
  }
  return differ;
}
