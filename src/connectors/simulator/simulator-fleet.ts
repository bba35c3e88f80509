// The simulated gateways of every merchant: one GatewaySimulator per merchant, so a merchant's
// profiles, outages and ledger are its own (one merchant's outage, profile change or reset never
// touches another's payments). The simulators stay synchronous and in memory; when a ledger
// store is given, the fleet writes every payment an operation touched before answering (as a
// real gateway's ledger is durable before it answers) and imports, on a miss, what an earlier
// run of the app wrote, so a refund or a sync after a restart finds its payment.
import { randomBytes } from 'node:crypto';
import type { AuthorizeRequest } from '../../core/ports/connector.ts';
import type { SimulatorLedgerRecord, SimulatorLedgerStore } from '../../core/ports/simulator-ledger-store.ts';
import { GatewaySimulator, type BankPageView, type SimulatorLedgerEntry, type SimulatorNotify } from './simulator.ts';
import type { SimulatorProfile } from './simulator-profile.ts';
import type { SimulatorOperationResponse, SimulatorPaymentResponse, SimulatorRefundResponse, SimulatorReply, SimulatorWebhookPayload } from './transformers.ts';

export interface SimulatorFleetOptions {
  /** Clock (epoch ms); tests inject their own. */
  now?: () => number;
  /** Mixed into every gateway's seed. Every merchant's simulator gets the same seed, so a merchant's draws do not depend on who else exists. */
  seed?: number;
  /** Profiles replacing the defaults, for every merchant's simulator (and after a reset). */
  profiles?: Record<string, SimulatorProfile>;
  /** Called when a pending payment settles (after the ledger has it); the payload names the merchant. */
  notify?: SimulatorNotify;
  /** Called when `notify` (or the ledger write before it) throws or rejects. */
  onNotifyError?: (error: unknown, payload: SimulatorWebhookPayload) => void;
  /** Where the ledger lives between restarts; absent: in memory only (unit tests, benchmarks). */
  ledger?: SimulatorLedgerStore;
}

type WriteMode = 'insert' | 'save';

export class SimulatorFleet {
  private readonly simulators = new Map<string, GatewaySimulator>();
  /** gateway id -> merchant, for the ids this process holds (the bank page knows only the id). */
  private readonly owners = new Map<string, string>();
  /** The last pending ledger write per gateway id: writes of one entry land in order. */
  private readonly writes = new Map<string, Promise<unknown>>();
  private readonly tag = randomBytes(5).toString('hex');
  private readonly ledger: SimulatorLedgerStore | undefined;

  constructor(private readonly options: SimulatorFleetOptions = {}) {
    this.ledger = options.ledger;
    // Profiles are validated once, here, rather than at the first merchant's payment.
    new GatewaySimulator({ profiles: options.profiles }).close();
  }

  /** The merchant's own simulated gateways (created with the default profiles on first use). */
  forMerchant(merchantId: string): GatewaySimulator {
    let simulator = this.simulators.get(merchantId);
    if (!simulator) {
      simulator = new GatewaySimulator({
        now: this.options.now,
        seed: this.options.seed,
        profiles: this.options.profiles,
        instanceTag: `${this.tag}${this.simulators.size.toString(36)}`,
        notify: async (gateway, payload) => {
          // The settled state is durable before anyone is told about it.
          await this.write(payload.merchant_id, payload.data.gateway_txn_id, 'save');
          await this.options.notify?.(gateway, payload);
        },
        onNotifyError: this.options.onNotifyError,
      });
      this.simulators.set(merchantId, simulator);
    }
    return simulator;
  }

  /** Merchants whose simulator this process has created. */
  merchantIds(): string[] {
    return [...this.simulators.keys()];
  }

  // -------------------------------------------------------------------------------------------
  // The gateway's API, per merchant (what the connector calls)

  async authorize(merchantId: string, gateway: string, accountId: string, request: AuthorizeRequest): Promise<SimulatorReply<SimulatorPaymentResponse>> {
    const simulator = this.forMerchant(merchantId);
    const known = simulator.paymentIdByIdempotencyKey(gateway, accountId, request.idempotencyKey);
    const reply = simulator.authorize(gateway, accountId, request);
    const id = simulator.paymentIdByIdempotencyKey(gateway, accountId, request.idempotencyKey);
    if (id === undefined) return reply;
    this.owners.set(id, merchantId);
    if (known !== undefined || !this.ledger) {
      await this.write(merchantId, id, 'save');
      return reply;
    }
    // A new payment, unless an earlier run already took this idempotency key: then that payment
    // is the answer (replayed as it is now), never a second charge.
    if (await this.write(merchantId, id, 'insert')) return reply;
    const stored = await this.ledger.findByIdempotencyKey(merchantId, gateway, accountId, request.idempotencyKey);
    if (!stored || stored.gatewayTxnId === id) return reply;
    simulator.forgetPayment(id);
    this.owners.delete(id);
    this.adopt(merchantId, simulator, stored);
    const replay = simulator.authorize(gateway, accountId, request);
    await this.write(merchantId, stored.gatewayTxnId, 'save');
    return replay;
  }

  async completeAuthentication(merchantId: string, gatewayTxnId: string): Promise<SimulatorReply<SimulatorPaymentResponse> | undefined> {
    const simulator = await this.holding(merchantId, gatewayTxnId);
    const reply = simulator.completeAuthentication(gatewayTxnId);
    if (reply) await this.write(merchantId, gatewayTxnId, 'save');
    return reply;
  }

  /** By the gateway's id or, with `gateway`, by our txn id (all the caller has after a timeout). */
  async sync(merchantId: string, idOrReference: string, gateway: string): Promise<SimulatorReply<SimulatorPaymentResponse> | undefined> {
    const simulator = this.forMerchant(merchantId);
    let id = simulator.hasPayment(idOrReference) ? idOrReference : simulator.paymentIdByReference(gateway, idOrReference);
    if (id === undefined && this.ledger) {
      const stored = (await this.ledger.findById(merchantId, idOrReference)) ?? (await this.ledger.findByReference(merchantId, gateway, idOrReference));
      if (stored) {
        this.adopt(merchantId, simulator, stored);
        id = stored.gatewayTxnId;
      }
    }
    if (id === undefined) return undefined;
    // The status sync asks often and usually nothing changes: write only when the sync settled it.
    const before = JSON.stringify(simulator.exportPayment(id));
    const reply = simulator.sync(id, gateway);
    if (reply && JSON.stringify(simulator.exportPayment(id)) !== before) await this.write(merchantId, id, 'save');
    return reply;
  }

  async capture(merchantId: string, gatewayTxnId: string, amount: number): Promise<SimulatorOperationResponse> {
    const result = (await this.holding(merchantId, gatewayTxnId)).capture(gatewayTxnId, amount);
    await this.write(merchantId, gatewayTxnId, 'save');
    return result;
  }

  async void(merchantId: string, gatewayTxnId: string): Promise<SimulatorOperationResponse> {
    const result = (await this.holding(merchantId, gatewayTxnId)).void(gatewayTxnId);
    await this.write(merchantId, gatewayTxnId, 'save');
    return result;
  }

  async refund(merchantId: string, gatewayTxnId: string, input: { amount: number; refundReference: string; idempotencyKey: string }): Promise<SimulatorRefundResponse> {
    const result = (await this.holding(merchantId, gatewayTxnId)).refund(gatewayTxnId, input);
    await this.write(merchantId, gatewayTxnId, 'save');
    return result;
  }

  // -------------------------------------------------------------------------------------------
  // The bank page (public: the shopper's browser knows only the gateway id)

  async bankPage(gatewayTxnId: string): Promise<BankPageView | undefined> {
    const merchantId = await this.ownerOf(gatewayTxnId);
    if (merchantId === undefined) return undefined;
    return (await this.holding(merchantId, gatewayTxnId)).bankPage(gatewayTxnId);
  }

  async recordAuthentication(gatewayTxnId: string, result: 'success' | 'failure'): Promise<{ returnUrl: string } | undefined> {
    const merchantId = await this.ownerOf(gatewayTxnId);
    if (merchantId === undefined) return undefined;
    const recorded = (await this.holding(merchantId, gatewayTxnId)).recordAuthentication(gatewayTxnId, result);
    if (recorded) await this.write(merchantId, gatewayTxnId, 'save');
    return recorded;
  }

  // -------------------------------------------------------------------------------------------
  // Operator actions

  /** The merchant's simulator back to the initial profiles, its payments forgotten (memory and ledger). Nobody else's. */
  async resetMerchant(merchantId: string): Promise<void> {
    this.simulators.get(merchantId)?.reset();
    for (const [id, owner] of this.owners) if (owner === merchantId) this.owners.delete(id);
    await this.ledger?.deleteMerchant(merchantId);
  }

  /** Every merchant's simulator reset (admin-wide); returns how many merchants' simulators this process held. */
  async resetAll(): Promise<number> {
    for (const simulator of this.simulators.values()) simulator.reset();
    this.owners.clear();
    await this.ledger?.deleteAll();
    return this.simulators.size;
  }

  /** A payment as its gateway knows it, whoever's it is, from memory (tests and the operator). */
  lookup(gatewayTxnId: string): SimulatorPaymentResponse | undefined {
    const owner = this.owners.get(gatewayTxnId);
    if (owner !== undefined) return this.simulators.get(owner)?.lookup(gatewayTxnId);
    for (const simulator of this.simulators.values()) {
      const found = simulator.lookup(gatewayTxnId);
      if (found) return found;
    }
    return undefined;
  }

  /** Settles every pending payment of every merchant now: for tests and benchmarks. */
  async settleAllPending(): Promise<number> {
    let settled = 0;
    for (const simulator of this.simulators.values()) settled += await simulator.settleAllPending();
    return settled;
  }

  /** Cancels settlement timers and waits for ledger writes in flight. */
  async close(): Promise<void> {
    for (const simulator of this.simulators.values()) simulator.close();
    await Promise.allSettled([...this.writes.values()]);
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  /** The merchant's simulator, holding the payment if this merchant's ledger has it. */
  private async holding(merchantId: string, gatewayTxnId: string): Promise<GatewaySimulator> {
    const simulator = this.forMerchant(merchantId);
    if (!simulator.hasPayment(gatewayTxnId) && this.ledger) {
      const stored = await this.ledger.findById(merchantId, gatewayTxnId);
      if (stored) this.adopt(merchantId, simulator, stored);
    }
    return simulator;
  }

  private adopt(merchantId: string, simulator: GatewaySimulator, record: SimulatorLedgerRecord): void {
    // Checked again after the await that found it: a concurrent operation may have adopted it already.
    if (!simulator.hasPayment(record.gatewayTxnId)) simulator.importPayment(record.entry as unknown as SimulatorLedgerEntry);
    this.owners.set(record.gatewayTxnId, merchantId);
  }

  private async ownerOf(gatewayTxnId: string): Promise<string | undefined> {
    const known = this.owners.get(gatewayTxnId);
    if (known !== undefined) return known;
    if (this.ledger) return (await this.ledger.merchantOf(gatewayTxnId)) ?? undefined;
    for (const [merchantId, simulator] of this.simulators) if (simulator.hasPayment(gatewayTxnId)) return merchantId;
    return undefined;
  }

  /**
   * Writes the entry as it is when the write runs (after the previous write of the same entry),
   * so the last write always carries the latest state. 'insert' answers false when the id or the
   * idempotency key is already in the ledger.
   */
  private write(merchantId: string, gatewayTxnId: string, mode: WriteMode): Promise<boolean> {
    const ledger = this.ledger;
    if (!ledger) return Promise.resolve(true);
    const previous = this.writes.get(gatewayTxnId) ?? Promise.resolve();
    const next = previous
      .then(undefined, () => undefined)
      .then(async () => {
        const entry = this.simulators.get(merchantId)?.exportPayment(gatewayTxnId);
        if (!entry) return true;
        const record: SimulatorLedgerRecord = {
          merchantId,
          gatewayTxnId,
          gateway: entry.gateway,
          accountId: entry.accountId,
          reference: entry.txnId,
          idempotencyKey: entry.idempotencyKey,
          status: entry.status,
          entry: entry as unknown as Record<string, unknown>,
        };
        if (mode === 'insert') return ledger.insert(record);
        await ledger.save(record);
        return true;
      });
    this.writes.set(gatewayTxnId, next);
    const forget = (): void => {
      if (this.writes.get(gatewayTxnId) === next) this.writes.delete(gatewayTxnId);
    };
    next.then(forget, forget);
    return next;
  }
}
