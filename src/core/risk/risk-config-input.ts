// Reading a merchant's risk configuration and rules from API input: every problem is a 400 naming
// the field and why, before anything is written.
import { AppError, invalidField, type FieldError } from '../errors.ts';
import { riskRuleProblems } from '../../risk/checks.ts';
import {
  CARD_TESTING_SOURCES,
  DEFAULT_POST_AUTH_TIMEOUT_MS,
  DEFAULT_REVIEW_EXPIRY_HOURS,
  DEFAULT_RISK_CONFIG,
  postAuthSettings,
  VELOCITY_DIMENSIONS,
  type AmountLimit,
  type CardTestingGuard,
  type MismatchCheck,
  type RiskConfig,
  type RiskRule,
  type VelocityLimit,
} from '../../risk/types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Reader {
  readonly problems: FieldError[] = [];
  fail(field: string, reason: string): void {
    this.problems.push({ field_name: field, reason });
  }
  int(o: Obj, key: string, path: string, opts: { min: number; max: number; required?: boolean; fallback?: number | null }): number | null {
    const v = o[key];
    if (v === undefined || v === null) {
      if (opts.required) this.fail(`${path}${key}`, 'is required');
      return opts.fallback ?? null;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < opts.min || v > opts.max) {
      this.fail(`${path}${key}`, `must be an integer from ${opts.min} to ${opts.max}`);
      return opts.fallback ?? null;
    }
    return v;
  }
  oneOf<T extends string>(o: Obj, key: string, path: string, values: readonly T[], fallback?: T): T {
    const v = o[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string' || !values.includes(v as T)) {
      this.fail(`${path}${key}`, `must be one of ${values.join(', ')}`);
      return fallback ?? values[0];
    }
    return v as T;
  }
  bool(o: Obj, key: string, path: string, fallback: boolean): boolean {
    const v = o[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(`${path}${key}`, 'must be true or false');
    return v === true;
  }
  done(): void {
    if (this.problems.length) throw new AppError('INVALID_INPUT', `Invalid risk input: ${this.problems.map((p) => `${p.field_name} ${p.reason}`).join('; ')}`, { fields: this.problems });
  }
}

const MAX_MINOR = 1e15;
const ACTIONS = ['review', 'block'] as const;
const ALL_ACTIONS = ['allow', 'review', 'block'] as const;
const RULE_ACTIONS = ['allow', 'challenge_3ds', 'review', 'block'] as const;

export function parseRiskConfig(body: unknown): RiskConfig {
  if (!isObj(body)) throw invalidField('body', 'must be a JSON object');
  const r = new Reader();
  const known = new Set(['enabled', 'mode', 'provider', 'fail_open', 'provider_timeout_ms', 'post_auth', 'review_expiry_hours', 'velocity', 'card_testing', 'amount_limits', 'mismatch']);
  for (const k of Object.keys(body)) if (!known.has(k)) r.fail(k, 'is not a risk configuration field');
  const provider = body.provider === undefined ? 'builtin' : body.provider;
  if (typeof provider !== 'string' || !/^[a-z0-9_-]{1,40}$/.test(provider)) r.fail('provider', "must be 'builtin' or a provider id (lowercase letters, digits, - and _)");
  const velocity: VelocityLimit[] = [];
  if (body.velocity !== undefined) {
    if (!Array.isArray(body.velocity) || body.velocity.length > 50) r.fail('velocity', 'must be a list of at most 50 limits');
    else
      body.velocity.forEach((v: unknown, i) => {
        const p = `velocity[${i}].`;
        if (!isObj(v)) return r.fail(`velocity[${i}]`, 'must be an object');
        const id = typeof v.id === 'string' && /^[A-Za-z0-9_-]{1,40}$/.test(v.id) ? v.id : `v${i + 1}`;
        if (v.id !== undefined && id !== v.id) r.fail(`${p}id`, 'must be 1 to 40 letters, digits, - or _');
        if (velocity.some((x) => x.id === id)) r.fail(`${p}id`, 'is used by another limit');
        velocity.push({
          id,
          dimension: r.oneOf(v, 'dimension', p, VELOCITY_DIMENSIONS),
          metric: r.oneOf(v, 'metric', p, ['count', 'amount'] as const, 'count'),
          windowSeconds: r.int(v, 'window_seconds', p, { min: 1, max: 31 * 86_400, required: true }) ?? 1,
          limit: r.int(v, 'limit', p, { min: 0, max: MAX_MINOR, required: true }) ?? 0,
          action: r.oneOf(v, 'action', p, ACTIONS, 'block'),
        });
      });
  }
  let cardTesting: CardTestingGuard | null = null;
  if (body.card_testing !== undefined && body.card_testing !== null) {
    const c = body.card_testing;
    const p = 'card_testing.';
    if (!isObj(c)) r.fail('card_testing', 'must be an object or null');
    else {
      const sources = c.sources === undefined ? [...CARD_TESTING_SOURCES] : c.sources;
      if (!Array.isArray(sources) || sources.length === 0 || sources.some((s) => !(CARD_TESTING_SOURCES as readonly unknown[]).includes(s)))
        r.fail(`${p}sources`, `must be a non-empty list of ${CARD_TESTING_SOURCES.join(', ')}`);
      cardTesting = {
        smallAmountMax: r.int(c, 'small_amount_max', p, { min: 0, max: MAX_MINOR, required: true }) ?? 0,
        threshold: r.int(c, 'threshold', p, { min: 1, max: 10_000, required: true }) ?? 1,
        windowSeconds: r.int(c, 'window_seconds', p, { min: 1, max: 86_400, required: true }) ?? 1,
        blockSeconds: r.int(c, 'block_seconds', p, { min: 1, max: 30 * 86_400, required: true }) ?? 1,
        sources: Array.isArray(sources) ? (sources as CardTestingGuard['sources']) : [],
      };
    }
  }
  const amountLimits: AmountLimit[] = [];
  if (body.amount_limits !== undefined) {
    if (!Array.isArray(body.amount_limits) || body.amount_limits.length > 100) r.fail('amount_limits', 'must be a list of at most 100 limits');
    else
      body.amount_limits.forEach((a: unknown, i) => {
        const p = `amount_limits[${i}].`;
        if (!isObj(a)) return r.fail(`amount_limits[${i}]`, 'must be an object');
        if (typeof a.currency !== 'string' || !/^[A-Za-z]{3}$/.test(a.currency)) r.fail(`${p}currency`, 'must be an ISO 4217 code');
        const method = a.payment_method_type ?? null;
        if (method !== null && (typeof method !== 'string' || !/^[A-Za-z_]{2,30}$/.test(method))) r.fail(`${p}payment_method_type`, 'must be a payment method type such as CARD or UPI, or null');
        const min = r.int(a, 'min', p, { min: 0, max: MAX_MINOR });
        const max = r.int(a, 'max', p, { min: 0, max: MAX_MINOR });
        if (min === null && max === null) r.fail(`${p}max`, 'min or max (minor units) is required');
        if (min !== null && max !== null && min > max) r.fail(`${p}min`, 'is greater than max');
        amountLimits.push({
          currency: String(a.currency).toUpperCase(),
          paymentMethodType: typeof method === 'string' ? method.toUpperCase() : null,
          min,
          max,
          action: r.oneOf(a, 'action', p, ACTIONS, 'block'),
        });
      });
  }
  let mismatch: MismatchCheck | null = null;
  if (body.mismatch !== undefined && body.mismatch !== null) {
    if (!isObj(body.mismatch)) r.fail('mismatch', 'must be an object or null');
    else
      mismatch = {
        issuerVsBilling: r.oneOf(body.mismatch, 'issuer_vs_billing', 'mismatch.', ALL_ACTIONS, 'allow'),
        issuerVsIp: r.oneOf(body.mismatch, 'issuer_vs_ip', 'mismatch.', ALL_ACTIONS, 'allow'),
      };
  }
  const failOpen = r.bool(body, 'fail_open', '', DEFAULT_RISK_CONFIG.failOpen);
  let postAuth: NonNullable<RiskConfig['postAuth']> = { enabled: true, timeoutMs: DEFAULT_POST_AUTH_TIMEOUT_MS, failOpen };
  if (body.post_auth !== undefined && body.post_auth !== null) {
    if (!isObj(body.post_auth)) r.fail('post_auth', 'must be an object or null');
    else {
      const pa = body.post_auth;
      for (const key of Object.keys(pa)) if (!['enabled', 'timeout_ms', 'fail_open'].includes(key)) r.fail(`post_auth.${key}`, 'is not a known field');
      postAuth = {
        enabled: r.bool(pa, 'enabled', 'post_auth.', true),
        timeoutMs: r.int(pa, 'timeout_ms', 'post_auth.', { min: 10, max: 10_000, fallback: DEFAULT_POST_AUTH_TIMEOUT_MS }) ?? DEFAULT_POST_AUTH_TIMEOUT_MS,
        failOpen: r.bool(pa, 'fail_open', 'post_auth.', failOpen),
      };
    }
  }
  const config: RiskConfig = {
    enabled: r.bool(body, 'enabled', '', true),
    mode: r.oneOf(body, 'mode', '', ['sequential', 'parallel'] as const, 'sequential'),
    provider: typeof provider === 'string' ? provider : 'builtin',
    failOpen,
    providerTimeoutMs: r.int(body, 'provider_timeout_ms', '', { min: 10, max: 10_000, fallback: DEFAULT_RISK_CONFIG.providerTimeoutMs }) ?? DEFAULT_RISK_CONFIG.providerTimeoutMs,
    postAuth,
    reviewExpiryHours: r.int(body, 'review_expiry_hours', '', { min: 1, max: 720, fallback: DEFAULT_REVIEW_EXPIRY_HOURS }) ?? DEFAULT_REVIEW_EXPIRY_HOURS,
    checks: { velocity, cardTesting, amountLimits, mismatch },
  };
  r.done();
  return config;
}

export function riskConfigWire(c: RiskConfig): Record<string, unknown> {
  return {
    enabled: c.enabled,
    mode: c.mode,
    provider: c.provider,
    fail_open: c.failOpen,
    provider_timeout_ms: c.providerTimeoutMs,
    post_auth: (({ enabled, timeoutMs, failOpen }) => ({ enabled, timeout_ms: timeoutMs, fail_open: failOpen }))(postAuthSettings(c)),
    review_expiry_hours: c.reviewExpiryHours ?? DEFAULT_REVIEW_EXPIRY_HOURS,
    velocity: c.checks.velocity.map((v) => ({ id: v.id, dimension: v.dimension, metric: v.metric, window_seconds: v.windowSeconds, limit: v.limit, action: v.action })),
    card_testing: c.checks.cardTesting
      ? {
          small_amount_max: c.checks.cardTesting.smallAmountMax,
          threshold: c.checks.cardTesting.threshold,
          window_seconds: c.checks.cardTesting.windowSeconds,
          block_seconds: c.checks.cardTesting.blockSeconds,
          sources: c.checks.cardTesting.sources,
        }
      : null,
    amount_limits: c.checks.amountLimits.map((a) => ({ payment_method_type: a.paymentMethodType, currency: a.currency, min: a.min, max: a.max, action: a.action })),
    mismatch: c.checks.mismatch ? { issuer_vs_billing: c.checks.mismatch.issuerVsBilling, issuer_vs_ip: c.checks.mismatch.issuerVsIp } : null,
  };
}

/** A rule from input: name, condition (Priority Logic condition), action, score, enabled. */
export function parseRiskRule(body: unknown, id: string, previous?: RiskRule): RiskRule {
  if (!isObj(body)) throw invalidField('body', 'must be a JSON object');
  const r = new Reader();
  const name = body.name ?? previous?.name;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) r.fail('name', 'is required, 1 to 100 characters');
  const condition = body.condition ?? previous?.condition;
  if (condition === undefined) r.fail('condition', 'is required (a Priority Logic condition)');
  else for (const problem of riskRuleProblems(condition)) r.fail('condition', problem);
  const rule: RiskRule = {
    id,
    name: typeof name === 'string' ? name.trim() : '',
    condition: condition as RiskRule['condition'],
    action: r.oneOf(body, 'action', '', RULE_ACTIONS, previous?.action),
    score: r.int(body, 'score', '', { min: 0, max: 100, fallback: previous?.score ?? 50 }) ?? 50,
    enabled: r.bool(body, 'enabled', '', previous?.enabled ?? true),
  };
  r.done();
  return rule;
}

export function riskRuleWire(rule: RiskRule): Record<string, unknown> {
  return { id: rule.id, name: rule.name, condition: rule.condition, action: rule.action, score: rule.score, enabled: rule.enabled };
}
