// The simulated gateways themselves: the "remote side" a connector talks to. It keeps a ledger
// of payments per gateway, draws outcomes from each gateway's profile with a seeded random
// stream, runs the 3-D Secure / bank redirect step, settles pending payments later and tells
// the app through `notify` (the app turns that into a signed webhook to our endpoint).
import { randomBytes } from 'node:crypto';
import type { AuthorizeRequest } from '../../core/ports/connector.ts';
import { SIMULATED_GATEWAYS } from '../../core/gateways.ts';
import type { PaymentMethodType } from '../../core/payment-methods.ts';
import {
  baselineProfile,
  cloneProfile,
  createRng,
  defaultSimulatorProfiles,
  drawLatency,
  drawOutcome,
  activeOutage,
  mergeProfilePatch,
  validateProfile,
  type DrawContext,
  type DrawnOutcome,
  type OutageWindow,
  type ProfileValidation,
  type Rng,
  type SimulatorProfile,
} from './simulator-profile.ts';
import {
  SIMULATOR_DRAWN_FAILURE_CODES,
  cardExpired,
  formatMinorUnits,
  luhnValid,
  simulatorMessage,
  type SimulatorNextAction,
  type SimulatorOperationResponse,
  type SimulatorPaymentResponse,
  type SimulatorPaymentStatus,
  type SimulatorRefundResponse,
  type SimulatorReply,
  type SimulatorWebhookPayload,
} from './transformers.ts';

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

/** The three-number card test conventions, documented in docs/connectors/simulator.md. */
const CVV_MISMATCH_TRIGGER = '000';

/**
 * One payment as the simulated gateway keeps it, in a JSON-safe shape: what the ledger store
 * persists, and what a rebuilt simulator imports (so a refund after a restart finds its charge).
 */
export interface SimulatorLedgerEntry extends Omit<LedgerPayment, 'refunds'> {
  refunds: Record<string, SimulatorRefundResponse>;
}

interface LedgerPayment {
  gatewayTxnId: string;
  gateway: string;
  accountId: string;
  merchantId: string;
  txnId: string;
  idempotencyKey: string;
  amount: number;
  currency: string;
  paymentMethodType: PaymentMethodType;
  paymentMethod: string;
  captureMode: 'AUTO' | 'MANUAL';
  context: DrawContext;
  maskedCard: string | null;
  returnUrl: string;
  status: SimulatorPaymentStatus;
  code: string;
  capturedAmount: number;
  refundedAmount: number;
  rrn: string | null;
  authIdCode: string | null;
  nextAction: SimulatorNextAction | null;
  createdAt: number;
  updatedAt: number;
  authentication: 'success' | 'failure' | null;
  /** What a PENDING payment becomes when it settles (drawn up front, so replays stay deterministic). */
  resolution: { status: SimulatorPaymentStatus; code: string } | null;
  settleAt: number | null;
  refunds: Map<string, SimulatorRefundResponse>;
}

interface GatewayState {
  profile: SimulatorProfile;
  /** Outcome draws: exactly three numbers per draw (see drawOutcome). */
  outcomeRng: Rng;
  /** Latency, pending coin flips and the like, apart so they never shift outcome draws. */
  auxRng: Rng;
}

/** What the bank page shows and needs. */
export interface BankPageView {
  gatewayTxnId: string;
  gateway: string;
  merchantId: string;
  amount: number;
  currency: string;
  formattedAmount: string;
  paymentMethod: string;
  maskedCard: string | null;
  status: SimulatorPaymentStatus;
  authentication: 'success' | 'failure' | null;
  returnUrl: string;
}

export interface StartOutageInput {
  startMs?: number;
  durationMs?: number;
  untilMs?: number;
  paymentMethodType?: PaymentMethodType;
  issuer?: string;
  mode?: 'DOWN' | 'TIMEOUT';
}

function mixSeed(profileSeed: number, globalSeed: number, stream: number): number {
  let h = (profileSeed ^ Math.imul(globalSeed, 0x9e3779b1) ^ Math.imul(stream, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export class GatewaySimulator {
  private readonly now: () => number;
  private readonly notifyHook: SimulatorNotify | undefined;
  private readonly onNotifyError: ((error: unknown, payload: SimulatorWebhookPayload) => void) | undefined;
  private readonly initialProfiles: Record<string, SimulatorProfile>;
  private readonly globalSeed: number;
  private readonly gateways = new Map<string, GatewayState>();
  private readonly payments = new Map<string, LedgerPayment>();
  private readonly idempotency = new Map<string, string>();
  /** gateway + our txn id -> gateway txn id: lookup by reference after a timeout. */
  private readonly references = new Map<string, string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly instanceTag: string;
  private sequence = 0;
  private eventSequence = 0;

  constructor(options: GatewaySimulatorOptions = {}) {
    this.now = options.now ?? Date.now;
    this.notifyHook = options.notify;
    this.onNotifyError = options.onNotifyError;
    this.globalSeed = options.seed ?? 0;
    this.instanceTag = options.instanceTag ?? randomBytes(4).toString('hex');
    const profiles = { ...defaultSimulatorProfiles(), ...(options.profiles ?? {}) };
    for (const [name, candidate] of Object.entries(profiles)) {
      const checked = validateProfile(candidate);
      if (!checked.ok) throw new Error(`Invalid simulator profile for ${name}: ${checked.errors.map((e) => `${e.field_name} ${e.reason}`).join('; ')}`);
      profiles[name] = checked.profile;
    }
    this.initialProfiles = profiles;
    this.loadProfiles();
  }

  // -------------------------------------------------------------------------------------------
  // Configuration

  gatewayNames(): string[] {
    return [...this.gateways.keys()];
  }

  hasGateway(gateway: string): boolean {
    return this.gateways.has(gateway);
  }

  getProfile(gateway: string): SimulatorProfile | undefined {
    const state = this.gateways.get(gateway);
    return state ? cloneProfile(state.profile) : undefined;
  }

  getProfiles(): Record<string, SimulatorProfile> {
    const out: Record<string, SimulatorProfile> = {};
    for (const [name, state] of this.gateways) out[name] = cloneProfile(state.profile);
    return out;
  }

  /** Replaces a gateway's profile (adding the gateway if new). The random streams restart when the seed changes. */
  setProfile(gateway: string, input: unknown): ProfileValidation {
    const checked = validateProfile(input);
    if (!checked.ok) return checked;
    const existing = this.gateways.get(gateway);
    if (existing && existing.profile.seed === checked.profile.seed) existing.profile = checked.profile;
    else this.gateways.set(gateway, this.freshState(checked.profile));
    return { ok: true, profile: cloneProfile(checked.profile) };
  }

  /** Merges a partial profile (objects merge key by key, arrays replace) and validates the result. */
  patchProfile(gateway: string, patch: Record<string, unknown>): ProfileValidation | undefined {
    const state = this.gateways.get(gateway);
    if (!state) return undefined;
    return this.setProfile(gateway, mergeProfilePatch(state.profile, patch));
  }

  /** Back to the initial profiles and seeds; forgets every payment and cancels pending settlements. */
  reset(): void {
    this.clearTimers();
    this.payments.clear();
    this.idempotency.clear();
    this.references.clear();
    this.gateways.clear();
    this.loadProfiles();
  }

  startOutage(gateway: string, input: StartOutageInput = {}): OutageWindow | undefined {
    const state = this.gateways.get(gateway);
    if (!state) return undefined;
    const startMs = input.startMs ?? this.now();
    const endMs = input.untilMs ?? (input.durationMs !== undefined ? startMs + input.durationMs : Number.MAX_SAFE_INTEGER);
    const window: OutageWindow = { id: `outage_${++this.eventSequence}`, startMs, endMs, mode: input.mode ?? 'DOWN' };
    if (input.paymentMethodType) window.paymentMethodType = input.paymentMethodType;
    if (input.issuer) window.issuer = input.issuer;
    state.profile.outages.push(window);
    return { ...window };
  }

  /** Removes the given outage, or all of them; returns how many were removed. */
  endOutage(gateway: string, outageId?: string): number {
    const state = this.gateways.get(gateway);
    if (!state) return 0;
    const before = state.profile.outages.length;
    state.profile.outages = outageId === undefined ? [] : state.profile.outages.filter((window) => window.id !== outageId);
    return before - state.profile.outages.length;
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
    const idempotencyKey = `${gateway}\u0000${accountId}\u0000${request.idempotencyKey}`;
    const existingId = this.idempotency.get(idempotencyKey);
    if (existingId) {
      // A retried request with the same key replays the payment as it is now: never a second charge.
      const existing = this.payments.get(existingId)!;
      this.settleIfDue(existing);
      return { timedOut: false, latencyMs, body: this.view(existing) };
    }

    const now = this.now();
    const payment: LedgerPayment = {
      gatewayTxnId: `sim_${(++this.sequence).toString(36).padStart(6, '0')}${this.instanceTag}`,
      gateway,
      accountId,
      merchantId: request.merchantId,
      txnId: request.txnId,
      idempotencyKey: request.idempotencyKey,
      amount: request.amount,
      currency: request.currency,
      paymentMethodType: request.paymentMethodType,
      paymentMethod: request.paymentMethod,
      captureMode: request.captureMode,
      context: {
        paymentMethodType: request.paymentMethodType,
        paymentMethod: request.paymentMethod,
        cardBrand: request.card?.brand ?? null,
        issuer: request.card?.issuer ?? request.bank ?? null,
      },
      maskedCard: request.card ? `${request.card.bin.slice(0, 6)}${'X'.repeat(Math.max(0, request.card.number.length - 10))}${request.card.last4}` : null,
      returnUrl: request.returnUrl,
      status: 'FAILED',
      code: '96',
      capturedAmount: 0,
      refundedAmount: 0,
      rrn: null,
      authIdCode: null,
      nextAction: null,
      createdAt: now,
      updatedAt: now,
      authentication: null,
      resolution: null,
      settleAt: null,
      refunds: new Map(),
    };
    this.payments.set(payment.gatewayTxnId, payment);
    this.idempotency.set(idempotencyKey, payment.gatewayTxnId);
    this.references.set(`${gateway}\u0000${request.txnId}`, payment.gatewayTxnId);

    // The gateway's own validation comes first.
    const invalid = this.validationCode(request, now);
    if (invalid) return this.answer(payment, latencyMs, 'FAILED', invalid);

    const outage = activeOutage(state.profile, payment.context, now);
    if (outage) {
      this.apply(payment, 'FAILED', 'GW_DOWN');
      return outage.mode === 'TIMEOUT' ? { timedOut: true, latencyMs, body: null } : { timedOut: false, latencyMs, body: this.view(payment) };
    }

    const redirect = (request.card !== null && (request.authType === 'THREE_DS' || request.authType === 'THREE_DS_2')) || request.paymentMethodType === 'NB';
    if (redirect) {
      payment.nextAction = { type: 'REDIRECT', method: 'GET', path: `/simulator/bank/${encodeURIComponent(payment.gatewayTxnId)}` };
      return this.answer(payment, latencyMs, 'REQUIRES_AUTHENTICATION', 'AUTH_REQUIRED');
    }

    const drawn = drawOutcome(state.profile, payment.context, state.outcomeRng, now);
    if (request.paymentMethodType === 'UPI' && request.upi) {
      if (request.upi.txnType === 'UPI_PAY' || request.upi.txnType === 'UPI_QR') {
        payment.nextAction = { type: 'UPI_INTENT', intent_uri: this.intentUri(payment) };
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
      return { timedOut: false, latencyMs, body: this.view(payment) };
    }
    if (payment.authentication === 'failure') return this.answer(payment, latencyMs, 'FAILED', 'AUTH_FAILED');
    payment.nextAction = null;
    const now = this.now();
    const outage = activeOutage(state.profile, payment.context, now);
    if (outage) {
      this.apply(payment, 'FAILED', 'GW_DOWN');
      return outage.mode === 'TIMEOUT' ? { timedOut: true, latencyMs, body: null } : { timedOut: false, latencyMs, body: this.view(payment) };
    }
    return this.conclude(payment, drawOutcome(state.profile, payment.context, state.outcomeRng, now), latencyMs);
  }

  /**
   * The payment as the gateway knows it now (settling it first if its time has come). Accepts
   * the gateway's id or, with `gateway`, our txn id (the merchant reference): after a timeout
   * the caller never learnt the gateway's id.
   */
  sync(idOrReference: string, gateway?: string): SimulatorReply<SimulatorPaymentResponse> | undefined {
    const byReference = gateway === undefined ? undefined : this.references.get(`${gateway}\u0000${idOrReference}`);
    const payment = this.payments.get(idOrReference) ?? (byReference === undefined ? undefined : this.payments.get(byReference));
    if (!payment) return undefined;
    this.settleIfDue(payment);
    const state = this.stateOf(payment.gateway);
    return { timedOut: false, latencyMs: drawLatency(state.profile, state.auxRng), body: this.view(payment) };
  }

  capture(gatewayTxnId: string, amount: number): SimulatorOperationResponse {
    const payment = this.payments.get(gatewayTxnId);
    if (!payment) return this.operation('capture', gatewayTxnId, 'FAILED', '25', amount);
    this.settleIfDue(payment);
    if (payment.status === 'CHARGED' && payment.capturedAmount === amount) return this.operation('capture', gatewayTxnId, 'SUCCESS', '00', amount);
    if (payment.status !== 'AUTHORIZED') return this.operation('capture', gatewayTxnId, 'FAILED', '12', amount);
    if (!Number.isInteger(amount) || amount <= 0 || amount > payment.amount) return this.operation('capture', gatewayTxnId, 'FAILED', '13', amount);
    payment.capturedAmount = amount;
    this.apply(payment, 'CHARGED', '00');
    return this.operation('capture', gatewayTxnId, 'SUCCESS', '00', amount);
  }

  void(gatewayTxnId: string): SimulatorOperationResponse {
    const payment = this.payments.get(gatewayTxnId);
    if (!payment) return this.operation('void', gatewayTxnId, 'FAILED', '25', 0);
    this.settleIfDue(payment);
    if (payment.status === 'VOIDED') return this.operation('void', gatewayTxnId, 'SUCCESS', '00', payment.amount);
    if (payment.status !== 'AUTHORIZED') return this.operation('void', gatewayTxnId, 'FAILED', '12', payment.amount);
    this.apply(payment, 'VOIDED', '00');
    return this.operation('void', gatewayTxnId, 'SUCCESS', '00', payment.amount);
  }

  /** Refunds never exceed what was captured; the same idempotency key never refunds twice. */
  refund(gatewayTxnId: string, input: { amount: number; refundReference: string; idempotencyKey: string }): SimulatorRefundResponse {
    const payment = this.payments.get(gatewayTxnId);
    const created = new Date(this.now()).toISOString();
    const base = {
      object: 'refund' as const,
      gateway_refund_id: `simrf_${(++this.sequence).toString(36).padStart(6, '0')}${this.instanceTag}`,
      gateway_txn_id: gatewayTxnId,
      refund_reference: input.refundReference,
      amount: input.amount,
      currency: payment?.currency ?? '',
      arn: null,
      created_at: created,
    };
    const failed = (code: string): SimulatorRefundResponse => ({ ...base, status: 'FAILED', code, message: simulatorMessage(code) });
    if (!payment) return failed('25');
    const previous = payment.refunds.get(input.idempotencyKey);
    if (previous) return { ...previous };
    this.settleIfDue(payment);
    let result: SimulatorRefundResponse;
    if (activeOutage(this.stateOf(payment.gateway).profile, payment.context, this.now())?.mode === 'DOWN') result = failed('GW_DOWN');
    else if (payment.status !== 'CHARGED') result = failed('12');
    else if (!Number.isInteger(input.amount) || input.amount <= 0 || input.amount > payment.capturedAmount - payment.refundedAmount) result = failed('13');
    else {
      payment.refundedAmount += input.amount;
      payment.updatedAt = this.now();
      result = { ...base, status: 'SUCCESS', code: '00', message: simulatorMessage('00'), arn: `ARN${String(this.sequence).padStart(12, '0')}` };
    }
    // Failures caused by a transient condition are not remembered, so a retry may succeed later.
    if (result.status === 'SUCCESS' || result.code !== 'GW_DOWN') payment.refunds.set(input.idempotencyKey, result);
    return { ...result };
  }

  /** What the bank page shows. */
  bankPage(gatewayTxnId: string): BankPageView | undefined {
    const payment = this.payments.get(gatewayTxnId);
    if (!payment) return undefined;
    return {
      gatewayTxnId,
      gateway: payment.gateway,
      merchantId: payment.merchantId,
      amount: payment.amount,
      currency: payment.currency,
      formattedAmount: formatMinorUnits(payment.amount, payment.currency),
      paymentMethod: payment.paymentMethod,
      maskedCard: payment.maskedCard,
      status: payment.status,
      authentication: payment.authentication,
      returnUrl: payment.returnUrl,
    };
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
    return payment ? this.view(payment) : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Ledger persistence (the simulator stays synchronous and in memory; SimulatorFleet writes the
  // entry an operation touched to the ledger store, and imports the entries it is missing)

  hasPayment(gatewayTxnId: string): boolean {
    return this.payments.has(gatewayTxnId);
  }

  /** The gateway id of the payment created with this idempotency key, if this simulator holds it. */
  paymentIdByIdempotencyKey(gateway: string, accountId: string, idempotencyKey: string): string | undefined {
    return this.idempotency.get(`${gateway}\u0000${accountId}\u0000${idempotencyKey}`);
  }

  /** The gateway id of the payment for our txn id (the merchant reference), if this simulator holds it. */
  paymentIdByReference(gateway: string, reference: string): string | undefined {
    return this.references.get(`${gateway}\u0000${reference}`);
  }

  /** The ledger entry, JSON-safe, as the store persists it. */
  exportPayment(gatewayTxnId: string): SimulatorLedgerEntry | undefined {
    const payment = this.payments.get(gatewayTxnId);
    if (!payment) return undefined;
    const { refunds, context, nextAction, resolution, ...rest } = payment;
    return {
      ...rest,
      context: { ...context },
      nextAction: nextAction ? { ...nextAction } : null,
      resolution: resolution ? { ...resolution } : null,
      refunds: Object.fromEntries([...refunds].map(([key, refund]) => [key, { ...refund }])),
    };
  }

  /**
   * Adopts a persisted entry (after a restart, or one another instance wrote). An entry already
   * held is kept as it is: memory is the newer copy within this process.
   */
  importPayment(entry: SimulatorLedgerEntry): void {
    if (this.payments.has(entry.gatewayTxnId)) return;
    const payment: LedgerPayment = {
      ...entry,
      context: { ...entry.context },
      nextAction: entry.nextAction ? { ...entry.nextAction } : null,
      resolution: entry.resolution ? { ...entry.resolution } : null,
      refunds: new Map(Object.entries(entry.refunds ?? {})),
    };
    this.payments.set(payment.gatewayTxnId, payment);
    this.idempotency.set(`${payment.gateway}\u0000${payment.accountId}\u0000${payment.idempotencyKey}`, payment.gatewayTxnId);
    this.references.set(`${payment.gateway}\u0000${payment.txnId}`, payment.gatewayTxnId);
  }

  /** Drops a payment from memory (it lost an idempotency race against a persisted one). */
  forgetPayment(gatewayTxnId: string): void {
    const payment = this.payments.get(gatewayTxnId);
    if (!payment) return;
    const timer = this.timers.get(gatewayTxnId);
    if (timer) clearTimeout(timer);
    this.timers.delete(gatewayTxnId);
    this.payments.delete(gatewayTxnId);
    const idempotencyKey = `${payment.gateway}\u0000${payment.accountId}\u0000${payment.idempotencyKey}`;
    if (this.idempotency.get(idempotencyKey) === gatewayTxnId) this.idempotency.delete(idempotencyKey);
    const reference = `${payment.gateway}\u0000${payment.txnId}`;
    if (this.references.get(reference) === gatewayTxnId) this.references.delete(reference);
  }

  // -------------------------------------------------------------------------------------------
  // Internals


  private loadProfiles(): void {
    for (const gateway of SIMULATED_GATEWAYS) {
      if (!this.initialProfiles[gateway]) this.initialProfiles[gateway] = baselineProfile(900 + SIMULATED_GATEWAYS.indexOf(gateway));
    }
    for (const [name, p] of Object.entries(this.initialProfiles)) this.gateways.set(name, this.freshState(cloneProfile(p)));
  }

  private freshState(profile: SimulatorProfile): GatewayState {
    return {
      profile,
      outcomeRng: createRng(mixSeed(profile.seed, this.globalSeed, 1)),
      auxRng: createRng(mixSeed(profile.seed, this.globalSeed, 2)),
    };
  }

  private stateOf(gateway: string): GatewayState {
    let state = this.gateways.get(gateway);
    if (!state) {
      state = this.freshState(baselineProfile(this.gateways.size + 1));
      this.gateways.set(gateway, state);
    }
    return state;
  }

  private validationCode(request: AuthorizeRequest, nowMs: number): string | null {
    if (!Number.isInteger(request.amount) || request.amount <= 0) return '13';
    if (request.card) {
      if (!luhnValid(request.card.number)) return '14';
      if (cardExpired(request.card.expMonth, request.card.expYear, nowMs)) return '54';
      if (request.card.cvv === CVV_MISMATCH_TRIGGER) return 'N7';
    }
    if (request.paymentMethodType === 'UPI' && request.upi?.txnType === 'UPI_COLLECT' && !request.upi.vpa) return '30';
    return null;
  }

  private intentUri(payment: LedgerPayment): string {
    const params = new URLSearchParams({
      pa: `${payment.gateway.toLowerCase()}@simbank`,
      pn: payment.merchantId,
      tr: payment.gatewayTxnId,
      // A simulated merchant category code (5399: miscellaneous general merchandise).
      mc: '5399',
      am: formatMinorUnits(payment.amount, payment.currency),
      cu: payment.currency,
      tn: `Payment ${payment.txnId}`,
    });
    return `upi://pay?${params.toString()}`;
  }

  private finalOf(payment: LedgerPayment, drawn: DrawnOutcome): { status: SimulatorPaymentStatus; code: string } {
    const success = (): { status: SimulatorPaymentStatus; code: string } => ({ status: payment.captureMode === 'AUTO' ? 'CHARGED' : 'AUTHORIZED', code: '00' });
    switch (drawn.result) {
      case 'SUCCESS':
        return success();
      case 'FAILURE': {
        const codes = SIMULATOR_DRAWN_FAILURE_CODES[drawn.kind];
        return { status: 'FAILED', code: codes[Math.min(codes.length - 1, Math.floor(drawn.u * codes.length))] };
      }
      case 'TIMEOUT':
        return drawn.charged ? success() : { status: 'FAILED', code: '96' };
      case 'OUTAGE':
        return { status: 'FAILED', code: 'GW_DOWN' };
    }
  }

  /** A direct answer: the outcome applies now; a timeout hides it from the caller but not from the ledger. */
  private conclude(payment: LedgerPayment, drawn: DrawnOutcome, latencyMs: number): SimulatorReply<SimulatorPaymentResponse> {
    const final = this.finalOf(payment, drawn);
    this.apply(payment, final.status, final.code);
    if (drawn.result === 'TIMEOUT' || (drawn.result === 'OUTAGE' && drawn.mode === 'TIMEOUT')) return { timedOut: true, latencyMs, body: null };
    return { timedOut: false, latencyMs, body: this.view(payment) };
  }

  /** Accepted now, settled after `settleAfterMs` with the outcome drawn now. */
  private pend(payment: LedgerPayment, drawn: DrawnOutcome, latencyMs: number, settleAfterMs: number): SimulatorReply<SimulatorPaymentResponse> {
    payment.resolution = this.finalOf(payment, drawn);
    payment.settleAt = this.now() + settleAfterMs;
    this.apply(payment, 'PENDING', '09');
    const timer = setTimeout(() => {
      this.timers.delete(payment.gatewayTxnId);
      void this.settle(payment);
    }, settleAfterMs);
    this.timers.set(payment.gatewayTxnId, timer);
    if (drawn.result === 'TIMEOUT') return { timedOut: true, latencyMs, body: null };
    return { timedOut: false, latencyMs, body: this.view(payment) };
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
      data: this.view(payment),
    };
    try {
      await this.notifyHook(payment.gateway, payload);
    } catch (error) {
      this.onNotifyError?.(error, payload);
    }
  }

  private answer(payment: LedgerPayment, latencyMs: number, status: SimulatorPaymentStatus, code: string): SimulatorReply<SimulatorPaymentResponse> {
    this.apply(payment, status, code);
    return { timedOut: false, latencyMs, body: this.view(payment) };
  }

  private apply(payment: LedgerPayment, status: SimulatorPaymentStatus, code: string): void {
    payment.status = status;
    payment.code = code;
    payment.updatedAt = this.now();
    if (status === 'CHARGED' && payment.capturedAmount === 0) payment.capturedAmount = payment.amount;
    if ((status === 'CHARGED' || status === 'AUTHORIZED') && payment.rrn === null) {
      payment.rrn = String(100000000000 + this.sequence * 7919).slice(-12);
      payment.authIdCode = payment.gatewayTxnId.slice(-6).toUpperCase();
    }
  }

  private view(payment: LedgerPayment): SimulatorPaymentResponse {
    return {
      object: 'payment',
      gateway_txn_id: payment.gatewayTxnId,
      merchant_reference: payment.txnId,
      status: payment.status,
      code: payment.code,
      message: simulatorMessage(payment.code),
      amount: payment.amount,
      currency: payment.currency,
      captured_amount: payment.capturedAmount,
      refunded_amount: payment.refundedAmount,
      payment_method_type: payment.paymentMethodType,
      payment_method: payment.paymentMethod,
      rrn: payment.rrn,
      auth_id_code: payment.authIdCode,
      next_action: payment.nextAction ? { ...payment.nextAction } : null,
      created_at: new Date(payment.createdAt).toISOString(),
      updated_at: new Date(payment.updatedAt).toISOString(),
    };
  }

  private operation(operation: 'capture' | 'void', gatewayTxnId: string, status: 'SUCCESS' | 'FAILED', code: string, amount: number): SimulatorOperationResponse {
    return { object: 'operation', operation, gateway_txn_id: gatewayTxnId, status, code, message: simulatorMessage(code), amount };
  }

  private clearTimers(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
