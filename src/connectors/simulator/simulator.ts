// The simulated gateways themselves: the "remote side" a connector talks to. It keeps a ledger
// of payments per gateway, draws outcomes from each gateway's profile with a seeded random
// stream, runs the 3-D Secure / bank redirect step, settles pending payments later and tells
// the app through `notify` (the app turns that into a signed webhook to our endpoint).
import { randomBytes } from 'node:crypto';
import type { AuthorizeRequest } from '../../core/ports/connector.ts';
import { drawLatency, drawOutcome, activeOutage, type DrawnOutcome, type OutageWindow, type ProfileValidation, type SimulatorProfile } from './simulator-profile.ts';
import type { SimulatorOperationResponse, SimulatorPaymentResponse, SimulatorPaymentStatus, SimulatorRefundResponse, SimulatorReply, SimulatorWebhookPayload } from './transformers.ts';
import { finalOf, upiIntentUri, validationCode, type GatewayState } from './simulator-decisions.ts';
import { SimulatedGateways, type StartOutageInput } from './simulator-gateways.ts';
import {
  applyStatus,
  bankPageView,
  fromLedgerEntry,
  openPayment,
  operationResponse,
  paymentView,
  toLedgerEntry,
  type BankPageView,
  type LedgerPayment,
  type SimulatorLedgerEntry,
} from './simulator-ledger.ts';
import { SimulatorPayments } from './simulator-payments.ts';
import { refundPayment, type RefundInput } from './simulator-refund.ts';

export type { BankPageView, SimulatorLedgerEntry } from './simulator-ledger.ts';
export type { StartOutageInput } from './simulator-gateways.ts';

export type SimulatorNotify = (gateway: string, payload: SimulatorWebhookPayload) => void | Promise<void>;

export interface GatewaySimulatorOptions {
  /** Clock (epoch ms); tests inject their own. */
  now?: () => number;
  /** Called when a pending payment settles; the app POSTs it, signed, to our webhook endpoint. */
  notify?: SimulatorNotify;
  /** Called when `notify` throws or rejects (the simulator never crashes on it). */
  onNotifyError?: (error: unknown, payload: SimulatorWebhookPayload) => void;
  /** Profiles replacing the defaults (gateway name -> profile). Validated. */
  profiles?: Record<string, SimulatorProfile>;
  /** Mixed into every gateway's seed: the benchmark runs many seeds over the same profiles. */
  seed?: number;
  /** Ends every gateway id this simulator hands out (random when absent): ids stay unique across simulators and restarts. */
  instanceTag?: string;
}

export class GatewaySimulator {
  private readonly now: () => number;
  private readonly notifyHook: SimulatorNotify | undefined;
  private readonly onNotifyError: ((error: unknown, payload: SimulatorWebhookPayload) => void) | undefined;
  private readonly gateways: SimulatedGateways;
  private readonly payments = new SimulatorPayments();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly instanceTag: string;
  private sequence = 0;
  private eventSequence = 0;

  constructor(options: GatewaySimulatorOptions = {}) {
    this.now = options.now ?? Date.now;
    this.notifyHook = options.notify;
    this.onNotifyError = options.onNotifyError;
    this.instanceTag = options.instanceTag ?? randomBytes(4).toString('hex');
    this.gateways = new SimulatedGateways(options.profiles, options.seed ?? 0);
  }

  // -------------------------------------------------------------------------------------------
  // Configuration

  gatewayNames(): string[] {
    return this.gateways.names();
  }

  hasGateway(gateway: string): boolean {
    return this.gateways.has(gateway);
  }

  getProfile(gateway: string): SimulatorProfile | undefined {
    return this.gateways.profile(gateway);
  }

  getProfiles(): Record<string, SimulatorProfile> {
    return this.gateways.profiles();
  }

  /** Replaces a gateway's profile (adding the gateway if new). The random streams restart when the seed changes. */
  setProfile(gateway: string, input: unknown): ProfileValidation {
    return this.gateways.set(gateway, input);
  }

  /** Merges a partial profile (objects merge key by key, arrays replace) and validates the result. */
  patchProfile(gateway: string, patch: Record<string, unknown>): ProfileValidation | undefined {
    return this.gateways.patch(gateway, patch);
  }

  /** Back to the initial profiles and seeds; forgets every payment and cancels pending settlements. */
  reset(): void {
    this.clearTimers();
    this.payments.clear();
    this.gateways.reset();
  }

  startOutage(gateway: string, input: StartOutageInput = {}): OutageWindow | undefined {
    return this.gateways.startOutage(gateway, input, this.now, () => ++this.eventSequence);
  }

  /** Removes the given outage, or all of them; returns how many were removed. */
  endOutage(gateway: string, outageId?: string): number {
    return this.gateways.endOutage(gateway, outageId);
  }

  /** Cancels settlement timers (pending payments stay pending; syncing still settles them when due). */
  close(): void {
    this.clearTimers();
  }

  // -------------------------------------------------------------------------------------------
  // Payments

  authorize(gateway: string, accountId: string, request: AuthorizeRequest): SimulatorReply<SimulatorPaymentResponse> {
    const state = this.stateOf(gateway);
    const latencyMs = drawLatency(state.profile, state.auxRng);
    const existingId = this.payments.idByIdempotencyKey(gateway, accountId, request.idempotencyKey);
    if (existingId) {
      // A retried request with the same key replays the payment as it is now: never a second charge.
      const existing = this.payments.get(existingId)!;
      this.settleIfDue(existing);
      return { timedOut: false, latencyMs, body: paymentView(existing) };
    }

    const now = this.now();
    const gatewayTxnId = `sim_${(++this.sequence).toString(36).padStart(6, '0')}${this.instanceTag}`;
    const payment = openPayment(gatewayTxnId, gateway, accountId, request, now);
    this.payments.add(payment);

    // The gateway's own validation comes first.
    const invalid = validationCode(request, now);
    if (invalid) return this.answer(payment, latencyMs, 'FAILED', invalid);

    const down = this.outageAnswer(payment, state.profile, latencyMs, now);
    if (down) return down;

    const redirect = (request.card !== null && (request.authType === 'THREE_DS' || request.authType === 'THREE_DS_2')) || request.paymentMethodType === 'NB';
    if (redirect) {
      payment.nextAction = { type: 'REDIRECT', method: 'GET', path: `/simulator/bank/${encodeURIComponent(payment.gatewayTxnId)}` };
      return this.answer(payment, latencyMs, 'REQUIRES_AUTHENTICATION', 'AUTH_REQUIRED');
    }

    const drawn = drawOutcome(state.profile, payment.context, state.outcomeRng, now);
    if (request.paymentMethodType === 'UPI' && request.upi) {
      if (request.upi.txnType === 'UPI_PAY' || request.upi.txnType === 'UPI_QR') {
        payment.nextAction = { type: 'UPI_INTENT', intent_uri: upiIntentUri(payment) };
      }
      return this.pend(payment, drawn, latencyMs, state.profile.settleAfterMs);
    }
    if (state.auxRng.next() < state.profile.pendingProbability) return this.pend(payment, drawn, latencyMs, state.profile.settleAfterMs);
    return this.conclude(payment, drawn, latencyMs);
  }

  /** The bank page's answer: recorded once; returns the browser's return URL. */
  recordAuthentication(gatewayTxnId: string, result: 'success' | 'failure'): { returnUrl: string } | undefined {
    const payment = this.payments.get(gatewayTxnId);
    if (!payment) return undefined;
    if (payment.status === 'REQUIRES_AUTHENTICATION' && payment.authentication === null) {
      payment.authentication = result;
      payment.updatedAt = this.now();
    }
    return { returnUrl: payment.returnUrl };
  }

  /** Finishes the redirect step: failed authentication fails the payment, success draws the authorisation. */
  completeAuthentication(gatewayTxnId: string): SimulatorReply<SimulatorPaymentResponse> | undefined {
    const payment = this.payments.get(gatewayTxnId);
    if (!payment) return undefined;
    const state = this.stateOf(payment.gateway);
    const latencyMs = drawLatency(state.profile, state.auxRng);
    if (payment.status !== 'REQUIRES_AUTHENTICATION' || payment.authentication === null) {
      this.settleIfDue(payment);
      return { timedOut: false, latencyMs, body: paymentView(payment) };
    }
    if (payment.authentication === 'failure') return this.answer(payment, latencyMs, 'FAILED', 'AUTH_FAILED');
    payment.nextAction = null;
    const now = this.now();
    const down = this.outageAnswer(payment, state.profile, latencyMs, now);
    if (down) return down;
    return this.conclude(payment, drawOutcome(state.profile, payment.context, state.outcomeRng, now), latencyMs);
  }

  /**
   * The payment as the gateway knows it now (settling it first if its time has come). Accepts
   * the gateway's id or, with `gateway`, our txn id (the merchant reference): after a timeout
   * the caller never learnt the gateway's id.
   */
  sync(idOrReference: string, gateway?: string): SimulatorReply<SimulatorPaymentResponse> | undefined {
    const byReference = gateway === undefined ? undefined : this.payments.idByReference(gateway, idOrReference);
    const payment = this.payments.get(idOrReference) ?? (byReference === undefined ? undefined : this.payments.get(byReference));
    if (!payment) return undefined;
    this.settleIfDue(payment);
    const state = this.stateOf(payment.gateway);
    return { timedOut: false, latencyMs: drawLatency(state.profile, state.auxRng), body: paymentView(payment) };
  }

  capture(gatewayTxnId: string, amount: number): SimulatorOperationResponse {
    const payment = this.payments.get(gatewayTxnId);
    if (!payment) return operationResponse('capture', gatewayTxnId, 'FAILED', '25', amount);
    this.settleIfDue(payment);
    if (payment.status === 'CHARGED' && payment.capturedAmount === amount) return operationResponse('capture', gatewayTxnId, 'SUCCESS', '00', amount);
    if (payment.status !== 'AUTHORIZED') return operationResponse('capture', gatewayTxnId, 'FAILED', '12', amount);
    if (!Number.isInteger(amount) || amount <= 0 || amount > payment.amount) return operationResponse('capture', gatewayTxnId, 'FAILED', '13', amount);
    payment.capturedAmount = amount;
    this.apply(payment, 'CHARGED', '00');
    return operationResponse('capture', gatewayTxnId, 'SUCCESS', '00', amount);
  }

  void(gatewayTxnId: string): SimulatorOperationResponse {
    const payment = this.payments.get(gatewayTxnId);
    if (!payment) return operationResponse('void', gatewayTxnId, 'FAILED', '25', 0);
    this.settleIfDue(payment);
    if (payment.status === 'VOIDED') return operationResponse('void', gatewayTxnId, 'SUCCESS', '00', payment.amount);
    if (payment.status !== 'AUTHORIZED') return operationResponse('void', gatewayTxnId, 'FAILED', '12', payment.amount);
    this.apply(payment, 'VOIDED', '00');
    return operationResponse('void', gatewayTxnId, 'SUCCESS', '00', payment.amount);
  }

  /** Refunds never exceed what was captured; the same idempotency key never refunds twice. */
  refund(gatewayTxnId: string, input: RefundInput): SimulatorRefundResponse {
    return refundPayment(this.payments.get(gatewayTxnId), gatewayTxnId, input, {
      now: this.now,
      refundNumber: ++this.sequence,
      sequence: () => this.sequence,
      instanceTag: this.instanceTag,
      profileOf: (gateway) => this.stateOf(gateway).profile,
      settleIfDue: (payment) => this.settleIfDue(payment),
    });
  }

  /** What the bank page shows. */
  bankPage(gatewayTxnId: string): BankPageView | undefined {
    const payment = this.payments.get(gatewayTxnId);
    return payment ? bankPageView(payment) : undefined;
  }

  /** Settles every pending payment now (whatever its delay): for benchmarks and tests. */
  async settleAllPending(): Promise<number> {
    let settled = 0;
    for (const payment of this.payments.values()) {
      if (payment.status === 'PENDING' && payment.resolution) {
        await this.settle(payment);
        settled++;
      }
    }
    return settled;
  }

  /** How many payments this gateway authorised or charged (a double charge would show here; for tests). */
  authorisedCount(): number {
    let count = 0;
    for (const payment of this.payments.values()) if (payment.status === 'CHARGED' || payment.status === 'AUTHORIZED' || payment.capturedAmount > 0) count++;
    return count;
  }

  /** The ledger entry as the gateway's wire object (for tests and the operator). */
  lookup(gatewayTxnId: string): SimulatorPaymentResponse | undefined {
    const payment = this.payments.get(gatewayTxnId);
    return payment ? paymentView(payment) : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Ledger persistence (the simulator stays synchronous and in memory; SimulatorFleet writes the
  // entry an operation touched to the ledger store, and imports the entries it is missing)

  hasPayment(gatewayTxnId: string): boolean {
    return this.payments.has(gatewayTxnId);
  }

  /** The gateway id of the payment created with this idempotency key, if this simulator holds it. */
  paymentIdByIdempotencyKey(gateway: string, accountId: string, idempotencyKey: string): string | undefined {
    return this.payments.idByIdempotencyKey(gateway, accountId, idempotencyKey);
  }

  /** The gateway id of the payment for our txn id (the merchant reference), if this simulator holds it. */
  paymentIdByReference(gateway: string, reference: string): string | undefined {
    return this.payments.idByReference(gateway, reference);
  }

  /** The ledger entry, JSON-safe, as the store persists it. */
  exportPayment(gatewayTxnId: string): SimulatorLedgerEntry | undefined {
    const payment = this.payments.get(gatewayTxnId);
    return payment ? toLedgerEntry(payment) : undefined;
  }

  /**
   * Adopts a persisted entry (after a restart, or one another instance wrote). An entry already
   * held is kept as it is: memory is the newer copy within this process.
   */
  importPayment(entry: SimulatorLedgerEntry): void {
    if (this.payments.has(entry.gatewayTxnId)) return;
    this.payments.add(fromLedgerEntry(entry));
  }

  /** Drops a payment from memory (it lost an idempotency race against a persisted one). */
  forgetPayment(gatewayTxnId: string): void {
    const payment = this.payments.get(gatewayTxnId);
    if (!payment) return;
    const timer = this.timers.get(gatewayTxnId);
    if (timer) clearTimeout(timer);
    this.timers.delete(gatewayTxnId);
    this.payments.remove(payment);
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  private stateOf(gateway: string): GatewayState {
    return this.gateways.stateOf(gateway);
  }

  /** A direct answer: the outcome applies now; a timeout hides it from the caller but not from the ledger. */
  private conclude(payment: LedgerPayment, drawn: DrawnOutcome, latencyMs: number): SimulatorReply<SimulatorPaymentResponse> {
    const final = finalOf(payment, drawn);
    this.apply(payment, final.status, final.code);
    if (drawn.result === 'TIMEOUT' || (drawn.result === 'OUTAGE' && drawn.mode === 'TIMEOUT')) return { timedOut: true, latencyMs, body: null };
    return { timedOut: false, latencyMs, body: paymentView(payment) };
  }

  /** Accepted now, settled after `settleAfterMs` with the outcome drawn now. */
  private pend(payment: LedgerPayment, drawn: DrawnOutcome, latencyMs: number, settleAfterMs: number): SimulatorReply<SimulatorPaymentResponse> {
    payment.resolution = finalOf(payment, drawn);
    payment.settleAt = this.now() + settleAfterMs;
    this.apply(payment, 'PENDING', '09');
    const timer = setTimeout(() => {
      this.timers.delete(payment.gatewayTxnId);
      void this.settle(payment);
    }, settleAfterMs);
    this.timers.set(payment.gatewayTxnId, timer);
    if (drawn.result === 'TIMEOUT') return { timedOut: true, latencyMs, body: null };
    return { timedOut: false, latencyMs, body: paymentView(payment) };
  }

  private settleIfDue(payment: LedgerPayment): void {
    if (payment.status === 'PENDING' && payment.settleAt !== null && this.now() >= payment.settleAt) void this.settle(payment);
  }

  private async settle(payment: LedgerPayment): Promise<void> {
    if (payment.status !== 'PENDING' || !payment.resolution) return;
    const timer = this.timers.get(payment.gatewayTxnId);
    if (timer) {
      clearTimeout(timer);
      this.timers.delete(payment.gatewayTxnId);
    }
    const resolution = payment.resolution;
    payment.resolution = null;
    payment.settleAt = null;
    payment.nextAction = null;
    this.apply(payment, resolution.status, resolution.code);
    if (!this.notifyHook) return;
    const payload: SimulatorWebhookPayload = {
      event_id: `simevt_${(++this.eventSequence).toString(36).padStart(6, '0')}${this.instanceTag}`,
      event_type: 'payment.updated',
      created_at: new Date(this.now()).toISOString(),
      account_id: payment.accountId,
      merchant_id: payment.merchantId,
      data: paymentView(payment),
    };
    try {
      await this.notifyHook(payment.gateway, payload);
    } catch (error) {
      this.onNotifyError?.(error, payload);
    }
  }

  /** During a scheduled outage the payment fails GW_DOWN, answered or not (a timeout) as the outage says; outside one, undefined. */
  private outageAnswer(payment: LedgerPayment, profile: SimulatorProfile, latencyMs: number, now: number): SimulatorReply<SimulatorPaymentResponse> | undefined {
    const outage = activeOutage(profile, payment.context, now);
    if (!outage) return undefined;
    this.apply(payment, 'FAILED', 'GW_DOWN');
    return outage.mode === 'TIMEOUT' ? { timedOut: true, latencyMs, body: null } : { timedOut: false, latencyMs, body: paymentView(payment) };
  }

  private answer(payment: LedgerPayment, latencyMs: number, status: SimulatorPaymentStatus, code: string): SimulatorReply<SimulatorPaymentResponse> {
    this.apply(payment, status, code);
    return { timedOut: false, latencyMs, body: paymentView(payment) };
  }

  private apply(payment: LedgerPayment, status: SimulatorPaymentStatus, code: string): void {
    applyStatus(payment, status, code, this.now(), this.sequence);
  }

  private clearTimers(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
