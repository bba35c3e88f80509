import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SimulatorLedgerRecord, SimulatorLedgerStore } from '../../core/ports/simulator-ledger-store.ts';
import { SimulatorFleet } from './simulator-fleet.ts';
import { createSimulatorConnector } from './simulator-connector.ts';
import { TEST_ACCOUNT, cardRequest, instantProfile } from './test-fixtures.ts';

/** The ledger store's contract in memory (the SQL one runs in test/api/simulator-isolation.test.ts). */
function memoryLedger(): SimulatorLedgerStore & { rows: Map<string, SimulatorLedgerRecord> } {
  const rows = new Map<string, SimulatorLedgerRecord>();
  const copy = (r: SimulatorLedgerRecord): SimulatorLedgerRecord => ({ ...r, entry: JSON.parse(JSON.stringify(r.entry)) as Record<string, unknown> });
  const find = (test: (r: SimulatorLedgerRecord) => boolean) => {
    for (const r of rows.values()) if (test(r)) return copy(r);
    return null;
  };
  return {
    rows,
    async insert(r) {
      if (rows.has(r.gatewayTxnId) || find((x) => x.merchantId === r.merchantId && x.gateway === r.gateway && x.accountId === r.accountId && x.idempotencyKey === r.idempotencyKey)) return false;
      rows.set(r.gatewayTxnId, copy(r));
      return true;
    },
    async save(r) {
      const existing = rows.get(r.gatewayTxnId);
      if (existing && existing.merchantId !== r.merchantId) return;
      rows.set(r.gatewayTxnId, copy(r));
    },
    findById: async (m, id) => find((r) => r.merchantId === m && r.gatewayTxnId === id),
    findByReference: async (m, g, ref) => find((r) => r.merchantId === m && r.gateway === g && r.reference === ref),
    findByIdempotencyKey: async (m, g, a, k) => find((r) => r.merchantId === m && r.gateway === g && r.accountId === a && r.idempotencyKey === k),
    merchantOf: async (id) => rows.get(id)?.merchantId ?? null,
    async deleteMerchant(m) {
      let n = 0;
      for (const [id, r] of rows)
        if (r.merchantId === m) {
          rows.delete(id);
          n++;
        }
      return n;
    },
    async deleteAll() {
      const n = rows.size;
      rows.clear();
      return n;
    },
  };
}

const PROFILES = { SIM_ALPHA: instantProfile(1) };
const A = TEST_ACCOUNT;
const B = { ...TEST_ACCOUNT, accountId: 'gwa_b', merchantId: 'm_b' };

describe('SimulatorFleet', () => {
  it("one merchant's connector never reaches another's payments, outages or profiles", async () => {
    const fleet = new SimulatorFleet({ profiles: PROFILES });
    const connector = createSimulatorConnector(fleet, 'SIM_ALPHA', { publicBaseUrl: 'https://x' });
    const paid = await connector.authorize(A, cardRequest());
    assert.equal(paid.kind, 'CHARGED');
    const id = paid.raw.gatewayTxnId!;
    // B presenting A's gateway id: the gateway has no such payment for B.
    const refund = await connector.refund(B, { gatewayTxnId: id, txnId: 'm_b-t1', amount: 100, refundId: 'rf_1', idempotencyKey: 'rk_1', currency: 'INR' });
    assert.equal(refund.raw.code, '25');
    assert.equal((await connector.syncStatus(B, id)).raw.code, '25');
    assert.equal(fleet.lookup(id)?.refunded_amount, 0);

    fleet.forMerchant(A.merchantId).startOutage('SIM_ALPHA');
    fleet.forMerchant(A.merchantId).patchProfile('SIM_ALPHA', { baseSuccessRate: 0 });
    const bPaid = await connector.authorize(B, cardRequest({ merchantId: B.merchantId }));
    assert.equal(bPaid.kind, 'CHARGED', "B does not see A's outage");
    const aDown = await connector.authorize(A, cardRequest());
    assert.equal(aDown.raw.code, 'GW_DOWN');
    await fleet.resetMerchant(B.merchantId);
    assert.equal(fleet.forMerchant(A.merchantId).getProfile('SIM_ALPHA')?.outages.length, 1, "B's reset leaves A's outage");
    assert.ok(fleet.lookup(id), "B's reset leaves A's ledger");
    await fleet.close();
  });

  it('every merchant draws from the same seeded streams, whoever else exists', async () => {
    const codes = async (fleet: SimulatorFleet, merchantId: string) => {
      const simulator = fleet.forMerchant(merchantId);
      simulator.setProfile('SIM_ALPHA', { ...instantProfile(0.5), seed: 77 });
      const out: string[] = [];
      for (let i = 0; i < 20; i++) {
        const reply = simulator.authorize('SIM_ALPHA', 'gwa', cardRequest({ merchantId }));
        out.push(reply.timedOut ? 'TIMEOUT' : reply.body.code);
      }
      return out;
    };
    const alone = new SimulatorFleet({ seed: 7 });
    const crowded = new SimulatorFleet({ seed: 7 });
    await codes(crowded, 'm_first');
    assert.deepEqual(await codes(crowded, 'm_second'), await codes(alone, 'm_second'));
    await Promise.all([alone.close(), crowded.close()]);
  });

  it('after a restart (a new fleet on the same ledger): refund, sync by reference, bank page, and no second charge', async () => {
    const ledger = memoryLedger();
    const before = new SimulatorFleet({ profiles: PROFILES, ledger });
    const request = cardRequest();
    const first = await before.authorize(A.merchantId, 'SIM_ALPHA', A.accountId, request);
    assert.ok(!first.timedOut);
    const id = first.body.gateway_txn_id;
    const threeDs = await before.authorize(A.merchantId, 'SIM_ALPHA', A.accountId, cardRequest({ authType: 'THREE_DS' }));
    assert.ok(!threeDs.timedOut);
    await before.close();
    assert.equal(ledger.rows.get(id)?.status, 'CHARGED');

    const after = new SimulatorFleet({ profiles: PROFILES, ledger });
    // The same idempotency key replays the charge: the same id, still one row.
    const replay = await after.authorize(A.merchantId, 'SIM_ALPHA', A.accountId, request);
    assert.ok(!replay.timedOut);
    assert.equal(replay.body.gateway_txn_id, id);
    assert.equal([...ledger.rows.values()].filter((r) => r.idempotencyKey === request.idempotencyKey).length, 1);

    const refund = await after.refund(A.merchantId, id, { amount: 4000, refundReference: 'rf_1', idempotencyKey: 'rk_1' });
    assert.equal(refund.status, 'SUCCESS');
    assert.equal((ledger.rows.get(id)?.entry as { refundedAmount: number }).refundedAmount, 4000);

    const third = new SimulatorFleet({ profiles: PROFILES, ledger });
    const again = await third.refund(A.merchantId, id, { amount: 4000, refundReference: 'rf_1', idempotencyKey: 'rk_1' });
    assert.equal(again.gateway_refund_id, refund.gateway_refund_id, 'the refund idempotency key survives too');
    const synced = await third.sync(A.merchantId, request.txnId, 'SIM_ALPHA');
    assert.equal(synced && !synced.timedOut && synced.body.refunded_amount, 4000);
    assert.equal(await third.sync(B.merchantId, request.txnId, 'SIM_ALPHA'), undefined, "another merchant's sync finds nothing");
    const page = await third.bankPage(threeDs.body.gateway_txn_id);
    assert.equal(page?.status, 'REQUIRES_AUTHENTICATION');
    assert.ok(await third.recordAuthentication(threeDs.body.gateway_txn_id, 'success'));
    const done = await third.completeAuthentication(A.merchantId, threeDs.body.gateway_txn_id);
    assert.equal(done && !done.timedOut && done.body.status, 'CHARGED');

    await third.resetMerchant(B.merchantId);
    assert.equal(ledger.rows.size, 2, "B's reset deletes none of A's rows");
    await third.resetAll();
    assert.equal(ledger.rows.size, 0);
    await Promise.all([after.close(), third.close()]);
  });

  it('concurrent refunds of one payment after a restart never refund more than was charged', async () => {
    const ledger = memoryLedger();
    const before = new SimulatorFleet({ profiles: PROFILES, ledger });
    const paid = await before.authorize(A.merchantId, 'SIM_ALPHA', A.accountId, cardRequest());
    assert.ok(!paid.timedOut);
    await before.close();
    const after = new SimulatorFleet({ profiles: PROFILES, ledger });
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => after.refund(A.merchantId, paid.body.gateway_txn_id, { amount: 3000, refundReference: `rf_${i}`, idempotencyKey: `rk_${i}` })),
    );
    assert.equal(results.filter((r) => r.status === 'SUCCESS').length, 3);
    assert.equal((ledger.rows.get(paid.body.gateway_txn_id)?.entry as { refundedAmount: number }).refundedAmount, 9000);
    await after.close();
  });
});
