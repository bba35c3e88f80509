// The configuration of one simulated gateway, its validation (the profile is set through an
// API), a small seedable PRNG, and the pure draw of an outcome from a profile. The routing
// benchmark can call `drawOutcome` directly with its own random stream.
import type { FieldError } from '../../core/errors.ts';
import { PAYMENT_METHOD_TYPES, type PaymentMethodType } from '../../core/payment-methods.ts';

export const SIMULATED_FAILURE_KINDS = ['HARD_DECLINE', 'SOFT_DECLINE', 'TECHNICAL_ERROR', 'TIMEOUT'] as const;
export type SimulatedFailureKind = (typeof SIMULATED_FAILURE_KINDS)[number];

/** Success probabilities that replace the base rate for a segment; the most specific match wins. */
export interface SuccessOverrides {
  paymentMethodType: Partial<Record<PaymentMethodType, number>>;
  /** Keyed by payment_method (VISA, NB_ICICI, PAYTM, UPI ...). */
  paymentMethod: Record<string, number>;
  /** Keyed by card brand (VISA, AMEX ...). */
  cardBrand: Record<string, number>;
  /** Keyed by issuer name, compared case-insensitively. */
  issuer: Record<string, number>;
}

export interface OutageWindow {
  id: string;
  startMs: number;
  endMs: number;
  /** Only payments of this type are affected (all when absent). */
  paymentMethodType?: PaymentMethodType;
  /** Only cards of this issuer are affected (all when absent). */
  issuer?: string;
  /** DOWN: an immediate GW_DOWN failure; TIMEOUT: no answer (nothing is charged). */
  mode: 'DOWN' | 'TIMEOUT';
}

export interface SimulatorProfile {
  baseSuccessRate: number;
  overrides: SuccessOverrides;
  latency: { fixedMs: number; jitterMs: number };
  /** Relative weights of the failure kinds when a payment fails. */
  failureMix: Record<SimulatedFailureKind, number>;
  /** When a call times out, the probability that the gateway really charged the card. */
  timeoutChargedProbability: number;
  outages: OutageWindow[];
  /** Probability that a direct (non-redirect) payment answers PENDING and settles later. */
  pendingProbability: number;
  /** Delay after which PENDING payments (UPI collect / intent, bank pending) settle. */
  settleAfterMs: number;
  /** Seed of this gateway's random stream (reset() restarts the stream). */
  seed: number;
}

// ---------------------------------------------------------------------------------------------
// PRNG

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
}

/** mulberry32: tiny, fast, good enough for simulation; deterministic for a seed. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** Picks a key by weight; weights need not sum to one. */
export function pickWeighted<K extends string>(weights: Record<K, number>, u: number): K {
  const keys = Object.keys(weights) as K[];
  const total = keys.reduce((sum, key) => sum + Math.max(0, weights[key]), 0);
  if (total <= 0) return keys[0];
  let threshold = u * total;
  for (const key of keys) {
    threshold -= Math.max(0, weights[key]);
    if (threshold < 0) return key;
  }
  return keys[keys.length - 1];
}

// ---------------------------------------------------------------------------------------------
// Defaults

function profile(partial: Partial<SimulatorProfile> & { seed: number }): SimulatorProfile {
  return {
    baseSuccessRate: 0.9,
    overrides: { paymentMethodType: {}, paymentMethod: {}, cardBrand: {}, issuer: {} },
    latency: { fixedMs: 0, jitterMs: 0 },
    failureMix: { HARD_DECLINE: 0.45, SOFT_DECLINE: 0.35, TECHNICAL_ERROR: 0.15, TIMEOUT: 0.05 },
    timeoutChargedProbability: 0.5,
    outages: [],
    pendingProbability: 0,
    settleAfterMs: 2000,
    ...partial,
  };
}

function emptyOverrides(): SuccessOverrides {
  return { paymentMethodType: {}, paymentMethod: {}, cardBrand: {}, issuer: {} };
}

/** Distinct default personalities so routing has something to learn. */
export function defaultSimulatorProfiles(): Record<string, SimulatorProfile> {
  return {
    SIM_ALPHA: profile({ seed: 901, baseSuccessRate: 0.95, latency: { fixedMs: 80, jitterMs: 40 } }),
    SIM_BETA: profile({
      seed: 902,
      baseSuccessRate: 0.9,
      overrides: { ...emptyOverrides(), cardBrand: { AMEX: 0.55 } },
      latency: { fixedMs: 120, jitterMs: 60 },
    }),
    SIM_GAMMA: profile({
      seed: 903,
      baseSuccessRate: 0.85,
      overrides: { ...emptyOverrides(), paymentMethodType: { UPI: 0.97 } },
      latency: { fixedMs: 100, jitterMs: 50 },
    }),
    SIM_DELTA: profile({ seed: 904, baseSuccessRate: 0.8, latency: { fixedMs: 900, jitterMs: 600 } }),
    SIM_EPSILON: profile({
      seed: 905,
      baseSuccessRate: 0.88,
      overrides: { ...emptyOverrides(), paymentMethodType: { NB: 0.95 }, issuer: { HDFC: 0.7 } },
      latency: { fixedMs: 150, jitterMs: 80 },
      pendingProbability: 0.1,
    }),
    SIM_ZETA: profile({
      seed: 906,
      baseSuccessRate: 0.75,
      overrides: { ...emptyOverrides(), paymentMethodType: { WALLET: 0.96 } },
      failureMix: { HARD_DECLINE: 0.2, SOFT_DECLINE: 0.3, TECHNICAL_ERROR: 0.35, TIMEOUT: 0.15 },
      latency: { fixedMs: 200, jitterMs: 300 },
    }),
  };
}

/** A neutral profile for a gateway that has no default (always valid). */
export function baselineProfile(seed = 1): SimulatorProfile {
  return profile({ seed });
}

export function cloneProfile(source: SimulatorProfile): SimulatorProfile {
  return structuredClone(source);
}

// ---------------------------------------------------------------------------------------------
// Drawing outcomes

export interface DrawContext {
  paymentMethodType: PaymentMethodType;
  paymentMethod: string;
  cardBrand: string | null;
  issuer: string | null;
}

function lookupCaseInsensitive(table: Record<string, number>, key: string | null): number | undefined {
  if (key === null) return undefined;
  if (Object.hasOwn(table, key)) return table[key];
  const upper = key.toUpperCase();
  for (const [candidate, value] of Object.entries(table)) if (candidate.toUpperCase() === upper) return value;
  return undefined;
}

/**
 * The profile entry that sets a payment's success probability, and the probability: issuer >
 * card brand > payment method > payment method type > base. `source` names the entry
 * (`issuer:HDFC`, `cardBrand:AMEX`, `paymentMethod:UPI_PAY`, `paymentMethodType:UPI` or `base`):
 * payments with the same source share one true rate (the routing benchmark's informed reference
 * learns per source).
 */
export function resolveSuccess(p: SimulatorProfile, context: DrawContext): { rate: number; source: string } {
  const issuer = lookupCaseInsensitive(p.overrides.issuer, context.issuer);
  if (issuer !== undefined) return { rate: issuer, source: `issuer:${(context.issuer ?? '').toUpperCase()}` };
  const brand = lookupCaseInsensitive(p.overrides.cardBrand, context.cardBrand);
  if (brand !== undefined) return { rate: brand, source: `cardBrand:${(context.cardBrand ?? '').toUpperCase()}` };
  const method = lookupCaseInsensitive(p.overrides.paymentMethod, context.paymentMethod);
  if (method !== undefined) return { rate: method, source: `paymentMethod:${context.paymentMethod.toUpperCase()}` };
  const type = p.overrides.paymentMethodType[context.paymentMethodType];
  if (type !== undefined) return { rate: type, source: `paymentMethodType:${context.paymentMethodType}` };
  return { rate: p.baseSuccessRate, source: 'base' };
}

/** Success probability for a payment (see `resolveSuccess` for the order). */
export function successProbability(p: SimulatorProfile, context: DrawContext): number {
  return resolveSuccess(p, context).rate;
}

/** Which profile entry sets a payment's success probability (see `resolveSuccess`). */
export function successProbabilitySource(p: SimulatorProfile, context: DrawContext): string {
  return resolveSuccess(p, context).source;
}

/** The outage window covering this payment at `nowMs`, if any. */
export function activeOutage(p: SimulatorProfile, context: Pick<DrawContext, 'paymentMethodType' | 'issuer'>, nowMs: number): OutageWindow | undefined {
  return p.outages.find(
    (window) =>
      nowMs >= window.startMs &&
      nowMs < window.endMs &&
      (window.paymentMethodType === undefined || window.paymentMethodType === context.paymentMethodType) &&
      (window.issuer === undefined || (context.issuer !== null && window.issuer.toUpperCase() === context.issuer.toUpperCase())),
  );
}

export type DrawnOutcome =
  | { result: 'SUCCESS' }
  /** `u` is a uniform draw the caller uses to pick the raw decline code. */
  | { result: 'FAILURE'; kind: Exclude<SimulatedFailureKind, 'TIMEOUT'>; u: number }
  /** No answer; `charged` says what really happened at the gateway. */
  | { result: 'TIMEOUT'; charged: boolean }
  | { result: 'OUTAGE'; mode: 'DOWN' | 'TIMEOUT' };

/**
 * One authorisation draw. Always consumes exactly three numbers from `rng` (unless in an
 * outage, which consumes none), so streams stay aligned across replays whatever the outcomes.
 */
export function drawOutcome(p: SimulatorProfile, context: DrawContext, rng: Rng, nowMs: number): DrawnOutcome {
  const outage = activeOutage(p, context, nowMs);
  if (outage) return { result: 'OUTAGE', mode: outage.mode };
  const u1 = rng.next();
  const u2 = rng.next();
  const u3 = rng.next();
  if (u1 < successProbability(p, context)) return { result: 'SUCCESS' };
  const kind = pickWeighted(p.failureMix, u2);
  if (kind === 'TIMEOUT') return { result: 'TIMEOUT', charged: u3 < p.timeoutChargedProbability };
  return { result: 'FAILURE', kind, u: u3 };
}

export function drawLatency(p: SimulatorProfile, rng: Rng): number {
  if (p.latency.jitterMs <= 0) return Math.max(0, p.latency.fixedMs);
  return Math.max(0, Math.round(p.latency.fixedMs + rng.next() * p.latency.jitterMs));
}

// ---------------------------------------------------------------------------------------------
// Validation

export type ProfileValidation = { ok: true; profile: SimulatorProfile } | { ok: false; errors: FieldError[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a complete profile as received through the API; errors name the offending field. */
export function validateProfile(input: unknown): ProfileValidation {
  const errors: FieldError[] = [];
  const err = (field_name: string, reason: string): void => {
    errors.push({ field_name, reason });
  };
  const probability = (field: string, value: unknown): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
      err(field, 'must be a number between 0 and 1');
      return 0;
    }
    return value;
  };
  const nonNegative = (field: string, value: unknown, integer = false): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
      err(field, integer ? 'must be a non-negative integer' : 'must be a non-negative number');
      return 0;
    }
    return value;
  };
  const probabilityTable = (field: string, value: unknown, allowedKeys?: readonly string[]): Record<string, number> => {
    const out: Record<string, number> = {};
    if (value === undefined) return out;
    if (!isRecord(value)) {
      err(field, 'must be an object of probabilities');
      return out;
    }
    for (const [key, entry] of Object.entries(value)) {
      if (allowedKeys && !allowedKeys.includes(key)) err(`${field}.${key}`, 'is not a known key');
      else out[key] = probability(`${field}.${key}`, entry);
    }
    return out;
  };

  if (!isRecord(input)) return { ok: false, errors: [{ field_name: 'profile', reason: 'must be an object' }] };

  const baseSuccessRate = probability('baseSuccessRate', input.baseSuccessRate);

  const overridesInput = input.overrides === undefined ? {} : input.overrides;
  const overrides: SuccessOverrides = emptyOverrides();
  if (!isRecord(overridesInput)) err('overrides', 'must be an object');
  else {
    for (const key of Object.keys(overridesInput)) {
      if (!['paymentMethodType', 'paymentMethod', 'cardBrand', 'issuer'].includes(key)) err(`overrides.${key}`, 'is not a known key');
    }
    overrides.paymentMethodType = probabilityTable('overrides.paymentMethodType', overridesInput.paymentMethodType, PAYMENT_METHOD_TYPES);
    overrides.paymentMethod = probabilityTable('overrides.paymentMethod', overridesInput.paymentMethod);
    overrides.cardBrand = probabilityTable('overrides.cardBrand', overridesInput.cardBrand);
    overrides.issuer = probabilityTable('overrides.issuer', overridesInput.issuer);
  }

  const latency = { fixedMs: 0, jitterMs: 0 };
  if (!isRecord(input.latency)) err('latency', 'must be an object {fixedMs, jitterMs}');
  else {
    latency.fixedMs = nonNegative('latency.fixedMs', input.latency.fixedMs);
    latency.jitterMs = nonNegative('latency.jitterMs', input.latency.jitterMs);
  }

  const failureMix: Record<SimulatedFailureKind, number> = { HARD_DECLINE: 0, SOFT_DECLINE: 0, TECHNICAL_ERROR: 0, TIMEOUT: 0 };
  if (!isRecord(input.failureMix)) err('failureMix', 'must be an object of weights');
  else {
    for (const key of Object.keys(input.failureMix)) {
      if (!(SIMULATED_FAILURE_KINDS as readonly string[]).includes(key)) err(`failureMix.${key}`, 'is not a known failure kind');
    }
    for (const kind of SIMULATED_FAILURE_KINDS) failureMix[kind] = input.failureMix[kind] === undefined ? 0 : nonNegative(`failureMix.${kind}`, input.failureMix[kind]);
    if (SIMULATED_FAILURE_KINDS.every((kind) => failureMix[kind] === 0)) err('failureMix', 'at least one weight must be positive');
  }

  const timeoutChargedProbability = input.timeoutChargedProbability === undefined ? 0.5 : probability('timeoutChargedProbability', input.timeoutChargedProbability);
  const pendingProbability = input.pendingProbability === undefined ? 0 : probability('pendingProbability', input.pendingProbability);
  const settleAfterMs = input.settleAfterMs === undefined ? 2000 : nonNegative('settleAfterMs', input.settleAfterMs);
  const seed = input.seed === undefined ? 1 : nonNegative('seed', input.seed, true);
  if (seed > 0xffffffff) err('seed', 'must fit in 32 bits');

  const outages: OutageWindow[] = [];
  if (input.outages !== undefined && !Array.isArray(input.outages)) err('outages', 'must be an array');
  else if (Array.isArray(input.outages)) {
    input.outages.forEach((window: unknown, index: number) => {
      const field = `outages[${index}]`;
      if (!isRecord(window)) return err(field, 'must be an object');
      const startMs = nonNegative(`${field}.startMs`, window.startMs);
      const endMs = nonNegative(`${field}.endMs`, window.endMs);
      if (endMs <= startMs) err(`${field}.endMs`, 'must be after startMs');
      const outage: OutageWindow = {
        id: typeof window.id === 'string' && window.id ? window.id : `outage_${index + 1}`,
        startMs,
        endMs,
        mode: 'DOWN',
      };
      if (window.mode !== undefined) {
        if (window.mode !== 'DOWN' && window.mode !== 'TIMEOUT') err(`${field}.mode`, 'must be DOWN or TIMEOUT');
        else outage.mode = window.mode;
      }
      if (window.paymentMethodType !== undefined) {
        if (typeof window.paymentMethodType !== 'string' || !(PAYMENT_METHOD_TYPES as readonly string[]).includes(window.paymentMethodType)) {
          err(`${field}.paymentMethodType`, 'is not a known payment method type');
        } else outage.paymentMethodType = window.paymentMethodType as PaymentMethodType;
      }
      if (window.issuer !== undefined) {
        if (typeof window.issuer !== 'string' || !window.issuer) err(`${field}.issuer`, 'must be a non-empty string');
        else outage.issuer = window.issuer;
      }
      outages.push(outage);
    });
  }

  const known = new Set(['baseSuccessRate', 'overrides', 'latency', 'failureMix', 'timeoutChargedProbability', 'outages', 'pendingProbability', 'settleAfterMs', 'seed']);
  for (const key of Object.keys(input)) if (!known.has(key)) err(key, 'is not a known profile field');

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    profile: { baseSuccessRate, overrides, latency, failureMix, timeoutChargedProbability, outages, pendingProbability, settleAfterMs, seed },
  };
}

/** Merges a partial profile into a profile: plain objects merge key by key, arrays and scalars replace. */
export function mergeProfilePatch(base: SimulatorProfile, patch: Record<string, unknown>): Record<string, unknown> {
  const merge = (left: unknown, right: unknown): unknown => {
    if (isRecord(left) && isRecord(right)) {
      const out: Record<string, unknown> = { ...left };
      for (const [key, value] of Object.entries(right)) out[key] = merge(left[key], value);
      return out;
    }
    return right === undefined ? left : right;
  };
  return merge(structuredClone(base), patch) as Record<string, unknown>;
}
