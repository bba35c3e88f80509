// The built-in checks. Each answers allow, review or block with a score and reasons. The
// synchronous ones read only the payment; velocity and the card-testing guard read counters
// through the VelocityStore port.
import { compileCondition, validateCondition, type RoutingPayment } from '../routing/index.ts';
import type { ListIndex } from './lists.ts';
import type { AmountLimit, CardTestingGuard, CardTestingSource, CheckResult, MismatchCheck, RiskAction, RiskContext, RiskRule, VelocityDimension, VelocityLimit } from './types.ts';
import type { BatchEntry, VelocityStore } from './velocity-store.ts';

const ALLOW = (check: string): CheckResult => ({ check, action: 'allow', score: 0, reasons: [] });
const SCORE: Record<RiskAction, number> = { allow: 0, challenge_3ds: 30, review: 50, block: 100 };
const RANK: Record<RiskAction, number> = { allow: 0, challenge_3ds: 1, review: 2, block: 3 };

export function allowlistCheck(ctx: RiskContext, list: ListIndex | null): CheckResult {
  const hit = list?.match(ctx) ?? null;
  if (!hit) return ALLOW('allowlist');
  return { check: 'allowlist', action: 'allow', score: 0, reasons: [`${hit.kind} ${hit.value} is on the allowlist`], allowlisted: true };
}

export function blocklistCheck(ctx: RiskContext, list: ListIndex | null): CheckResult {
  const hit = list?.match(ctx) ?? null;
  if (!hit) return ALLOW('blocklist');
  return { check: 'blocklist', action: 'block', score: 100, reasons: [`${hit.kind} ${hit.value} is on the blocklist`], code: 'RISK_BLOCKLISTED' };
}

export function amountLimitCheck(ctx: RiskContext, limits: readonly AmountLimit[]): CheckResult {
  const reasons: string[] = [];
  let action: RiskAction = 'allow';
  for (const l of limits) {
    if (l.currency.toUpperCase() !== ctx.currency.toUpperCase()) continue;
    if (l.paymentMethodType && l.paymentMethodType.toUpperCase() !== ctx.paymentMethodType.toUpperCase()) continue;
    const scope = `${l.paymentMethodType ?? 'any method'} in ${l.currency.toUpperCase()}`;
    if (l.min !== null && ctx.amount < l.min) reasons.push(`amount ${ctx.amount} is below the minimum ${l.min} for ${scope}`);
    else if (l.max !== null && ctx.amount > l.max) reasons.push(`amount ${ctx.amount} is above the maximum ${l.max} for ${scope}`);
    else continue;
    action = worse(action, l.action);
  }
  return action === 'allow' ? ALLOW('amount_limit') : { check: 'amount_limit', action, score: SCORE[action], reasons, code: 'RISK_AMOUNT_LIMIT' };
}

export function mismatchCheck(ctx: RiskContext, config: MismatchCheck | null): CheckResult {
  const issuer = ctx.card?.issuerCountry?.toUpperCase() ?? null;
  if (!config || !issuer) return ALLOW('country_mismatch');
  const reasons: string[] = [];
  let action: RiskAction = 'allow';
  const billing = ctx.billingCountry?.toUpperCase() ?? null;
  const ip = ctx.ipCountry?.toUpperCase() ?? null;
  if (config.issuerVsBilling !== 'allow' && billing && billing !== issuer) {
    reasons.push(`card issuer country ${issuer} differs from billing country ${billing}`);
    action = worse(action, config.issuerVsBilling);
  }
  if (config.issuerVsIp !== 'allow' && ip && ip !== issuer) {
    reasons.push(`card issuer country ${issuer} differs from IP country ${ip}`);
    action = worse(action, config.issuerVsIp);
  }
  return action === 'allow' ? ALLOW('country_mismatch') : { check: 'country_mismatch', action, score: SCORE[action], reasons, code: 'RISK_COUNTRY_MISMATCH' };
}

export function worse(a: RiskAction, b: RiskAction): RiskAction {
  return RANK[b] > RANK[a] ? b : a;
}

// ---------------------------------------------------------------- merchant rules

/**
 * The payment as the Priority Logic dimensions read it, so risk rules use the routing rule
 * language unchanged. Risk facts that routing has no dimension for are metadata keys:
 * metadata.risk.email, risk.email_domain, risk.ip, risk.ip_country, risk.device_id,
 * risk.card_fingerprint (they override a merchant metadata key of the same name).
 */
export function toRoutingPayment(ctx: RiskContext): RoutingPayment {
  const email = ctx.email?.trim().toLowerCase() ?? null;
  const facts: Record<string, string> = {};
  if (email) {
    facts['risk.email'] = email;
    facts['risk.email_domain'] = email.slice(email.lastIndexOf('@') + 1);
  }
  if (ctx.clientIp) facts['risk.ip'] = ctx.clientIp;
  if (ctx.ipCountry) facts['risk.ip_country'] = ctx.ipCountry.toUpperCase();
  if (ctx.deviceId) facts['risk.device_id'] = ctx.deviceId;
  if (ctx.card?.fingerprint) facts['risk.card_fingerprint'] = ctx.card.fingerprint;
  const c = ctx.card;
  return {
    merchantId: ctx.merchantId,
    orderId: ctx.orderId,
    txnId: '',
    amount: ctx.amount,
    currency: ctx.currency,
    paymentMethodType: ctx.paymentMethodType,
    paymentMethod: ctx.paymentMethod,
    authType: null,
    card: c ? { bin: c.bin, extendedBin: c.extendedBin, brand: c.brand, type: c.type, subType: null, issuer: c.issuer, issuerCountry: c.issuerCountry } : null,
    upi: null,
    wallet: null,
    bank: null,
    emi: null,
    customerId: ctx.customerId,
    productId: null,
    description: null,
    udf: ctx.udf,
    metadata: { ...ctx.metadata, ...facts },
    billingCountry: ctx.billingCountry,
    shippingCountry: null,
    isDomestic: c?.issuerCountry && ctx.billingCountry ? c.issuerCountry === ctx.billingCountry : null,
    preferredGateway: null,
    platform: null,
    addToLocker: false,
    nowMillis: ctx.nowMillis,
    gateways: [],
  };
}

export interface CompiledRiskRule {
  rule: RiskRule;
  matches: (p: RoutingPayment) => boolean;
}

/** Problems in a rule's condition, as the routing validator reports them (empty when valid). */
export function riskRuleProblems(condition: unknown): string[] {
  return validateCondition(condition, 'condition').map((e) => e.message);
}

export function compileRiskRules(rules: readonly RiskRule[]): CompiledRiskRule[] {
  return rules.filter((r) => r.enabled).map((rule) => ({ rule, matches: compileCondition(rule.condition) }));
}

/** Every enabled rule that matches adds its action and score; block beats review beats allow. */
export function rulesCheck(payment: RoutingPayment, rules: readonly CompiledRiskRule[]): CheckResult {
  if (rules.length === 0) return ALLOW('rules');
  let action: RiskAction = 'allow';
  let score = 0;
  const reasons: string[] = [];
  for (const r of rules) {
    if (!r.matches(payment)) continue;
    action = worse(action, r.rule.action);
    score += r.rule.score;
    reasons.push(`rule "${r.rule.name}" matched (${r.rule.action})`);
  }
  if (reasons.length === 0) return ALLOW('rules');
  return { check: 'rules', action, score: Math.min(100, score), reasons, ...(action === 'allow' ? {} : { code: 'RISK_RULE' as const }) };
}

// ---------------------------------------------------------------- velocity and card testing

export function velocityValue(ctx: RiskContext, d: VelocityDimension | CardTestingSource): string | null {
  switch (d) {
    case 'card_fingerprint':
      return ctx.card?.fingerprint ?? null;
    case 'email':
      return ctx.email?.trim().toLowerCase() || null;
    case 'customer_id':
      return ctx.customerId;
    case 'client_ip':
      return ctx.clientIp;
    case 'device_id':
      return ctx.deviceId;
    case 'bin':
      return ctx.card?.bin ?? null;
  }
}

/** The counter key: merchant first, so one merchant's counters never meet another's. */
export function velocityKey(ctx: RiskContext, l: VelocityLimit, value: string): string {
  return `v|${ctx.merchantId}|${l.id}|${l.dimension}|${value}${l.metric === 'amount' ? `|${ctx.currency.toUpperCase()}` : ''}`;
}

export function cardTestingKey(merchantId: string, source: CardTestingSource, value: string): string {
  return `ct|${merchantId}|${source}|${value}`;
}

/**
 * Checks every limit and counts the attempt in one atomic step for all of them: an attempt over a
 * blocking limit is counted nowhere; one over a review limit is counted in every limit it is
 * within. A dry run reads the counters and adds nothing.
 */
export async function velocityCheck(ctx: RiskContext, limits: readonly VelocityLimit[], store: VelocityStore, eventId: string, dryRun = false): Promise<CheckResult> {
  const applicable: Array<{ l: VelocityLimit; entry: BatchEntry }> = [];
  for (const l of limits) {
    const value = velocityValue(ctx, l.dimension);
    if (value === null) continue;
    applicable.push({ l, entry: { key: velocityKey(ctx, l, value), windowMs: l.windowSeconds * 1000, limit: l.limit, weight: l.metric === 'count' ? 1 : ctx.amount, blocking: l.action === 'block' } });
  }
  if (applicable.length === 0) return ALLOW('velocity');
  const answers = dryRun
    ? await Promise.all(
        applicable.map(async ({ entry }) => {
          const total = await store.total(entry.key, entry.windowMs, ctx.nowMillis);
          return { allowed: total + entry.weight <= entry.limit, total };
        }),
      )
    : await store.checkAndAddAll(
        applicable.map((a) => a.entry),
        ctx.nowMillis,
        eventId,
      );
  let action: RiskAction = 'allow';
  const reasons: string[] = [];
  applicable.forEach(({ l }, i) => {
    if (answers[i].allowed) return;
    action = worse(action, l.action);
    reasons.push(`${l.metric === 'count' ? 'attempts' : `amount (${ctx.currency})`} per ${l.dimension} over ${l.windowSeconds}s would exceed ${l.limit} (at ${answers[i].total})`);
  });
  return action === 'allow' ? ALLOW('velocity') : { check: 'velocity', action, score: SCORE[action], reasons, code: 'RISK_VELOCITY_EXCEEDED' };
}

export async function cardTestingCheck(ctx: RiskContext, guard: CardTestingGuard | null, store: VelocityStore): Promise<CheckResult> {
  if (!guard) return ALLOW('card_testing');
  const reasons: string[] = [];
  for (const source of guard.sources) {
    const value = velocityValue(ctx, source);
    if (value === null) continue;
    const until = await store.blockedUntil(cardTestingKey(ctx.merchantId, source, value), ctx.nowMillis);
    if (until !== null) reasons.push(`${source} ${value} is blocked for card testing until ${new Date(until).toISOString()}`);
  }
  return reasons.length === 0 ? ALLOW('card_testing') : { check: 'card_testing', action: 'block', score: 100, reasons, code: 'RISK_CARD_TESTING' };
}

/**
 * After a gateway declined an attempt: a small declined attempt counts as a probe against each
 * source; a source reaching the threshold within the window is blocked for the block duration.
 * Returns the sources blocked now.
 */
export async function recordDeclineForCardTesting(ctx: RiskContext, guard: CardTestingGuard | null, store: VelocityStore, eventId: string): Promise<CardTestingSource[]> {
  if (!guard || ctx.amount > guard.smallAmountMax) return [];
  const blocked: CardTestingSource[] = [];
  for (const source of guard.sources) {
    const value = velocityValue(ctx, source);
    if (value === null) continue;
    const key = cardTestingKey(ctx.merchantId, source, value);
    const total = await store.add({ key: `${key}|declines`, windowMs: guard.windowSeconds * 1000, weight: 1, nowMs: ctx.nowMillis, eventId });
    if (total >= guard.threshold) {
      await store.setBlock(key, ctx.nowMillis + guard.blockSeconds * 1000);
      blocked.push(source);
    }
  }
  return blocked;
}
