import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessRisk, buildRiskProfile, riskBlock, type RiskProfile } from './engine.ts';
import { ListIndex } from './lists.ts';
import { recordDeclineForCardTesting, riskRuleProblems } from './checks.ts';
import { riskConfig, riskContext } from './testing.ts';
import type { RiskConfig, RiskContext, RiskRule } from './types.ts';
import { MemoryVelocityStore } from './velocity-store.ts';

function profile(
  checks: Partial<RiskConfig['checks']> = {},
  opts: { rules?: RiskRule[]; block?: Array<[Parameters<ListIndex['addRaw']>[0], string]>; allow?: Array<[Parameters<ListIndex['addRaw']>[0], string]> } = {},
): RiskProfile {
  const list = (entries?: Array<[Parameters<ListIndex['addRaw']>[0], string]>) => {
    if (!entries) return null;
    const l = new ListIndex();
    for (const [k, v] of entries) assert.equal(l.addRaw(k, v), null);
    return l;
  };
  return buildRiskProfile(riskConfig(checks), opts.rules ?? [], { blocklist: list(opts.block), allowlist: list(opts.allow) });
}
let n = 0;
const assess = (ctx: RiskContext, p: RiskProfile, store = new MemoryVelocityStore(), dryRun = false) => assessRisk(ctx, p, store, { eventId: `e${n++}`, dryRun });
const rule = (name: string, action: RiskRule['action'], condition: RiskRule['condition'], score = 40): RiskRule => ({ id: name, name, condition, action, score, enabled: true });

describe('risk engine', () => {
  it('allows a payment no check objects to, with every check in the trace', async () => {
    const a = await assess(riskContext(), profile());
    assert.equal(a.action, 'allow');
    assert.equal(a.code, null);
    assert.deepEqual(
      a.checks.map((c) => c.check),
      ['allowlist', 'blocklist', 'card_testing', 'amount_limit', 'country_mismatch', 'rules'],
    );
    assert.deepEqual(riskBlock(a), { provider: 'builtin', status: 'PASSED', flagged: false, recommended_action: 'PROCEED', score: 0, message: 'Passed the risk checks', reasons: [] });
  });

  it('blocks a blocklisted card with RISK_BLOCKLISTED and stops there', async () => {
    const a = await assess(riskContext(), profile({}, { block: [['bin', '411111']] }));
    assert.equal(a.action, 'block');
    assert.equal(a.code, 'RISK_BLOCKLISTED');
    assert.equal(a.checks.at(-1)!.check, 'blocklist');
    assert.equal(riskBlock(a).recommended_action, 'DECLINE');
    assert.equal(riskBlock(a).status, 'REJECTED');
  });

  it('an allowlist hit short-circuits blocklists, rules and velocity', async () => {
    const store = new MemoryVelocityStore();
    const p = profile(
      { velocity: [{ id: 'v', dimension: 'email', metric: 'count', windowSeconds: 60, limit: 1, action: 'block' }] },
      { block: [['bin', '411111']], allow: [['email', 'shopper@example.com']], rules: [rule('all', 'block', { dimension: 'amount', operator: 'greater_than', value: 0 })] },
    );
    for (let i = 0; i < 3; i++) {
      const a = await assess(riskContext(), p, store);
      assert.equal(a.action, 'allow');
      assert.equal(a.allowlisted, true);
    }
    assert.equal(await store.total('v|m_risk|v|email|shopper@example.com', 60_000, riskContext().nowMillis), 0);
  });

  it('block wins over review over allow, and the code is the deciding check', async () => {
    const review = rule('big', 'review', { dimension: 'amount', operator: 'greater_than', value: 5_000 });
    const a = await assess(riskContext(), profile({}, { rules: [review] }));
    assert.equal(a.action, 'review');
    assert.equal(a.code, 'RISK_RULE');
    assert.equal(riskBlock(a).recommended_action, 'REVIEW');
    const b = await assess(riskContext(), profile({ amountLimits: [{ paymentMethodType: 'CARD', currency: 'INR', min: null, max: 5_000, action: 'block' }] }, { rules: [review] }));
    assert.equal(b.action, 'block');
    assert.equal(b.code, 'RISK_AMOUNT_LIMIT');
    assert.equal(b.reasons.length, 2);
  });

  it('merchant rules use the Priority Logic language (dimensions, operators, groups and risk facts as metadata)', async () => {
    const r = rule('foreign card, disposable mail', 'block', {
      all: [
        { dimension: 'card_issuer_country', operator: 'not_in', value: ['IN'] },
        { dimension: 'metadata.risk.email_domain', operator: 'equal', value: 'temp.io' },
      ],
    });
    assert.equal((await assess(riskContext({ email: 'a@temp.io' }), profile({}, { rules: [r] }))).action, 'allow');
    const foreign = riskContext({ email: 'a@temp.io', card: { ...riskContext().card!, issuerCountry: 'US' } });
    const a = await assess(foreign, profile({}, { rules: [r] }));
    assert.equal(a.action, 'block');
    assert.match(a.reasons[0], /foreign card/);
    assert.equal((await assess(foreign, profile({}, { rules: [{ ...r, enabled: false }] }))).action, 'allow');
    assert.deepEqual(riskRuleProblems({ dimension: 'card_bin', operator: 'equal', value: '41' }).length > 0, true);
    assert.deepEqual(riskRuleProblems({ dimension: 'no_such_dimension', operator: 'equal', value: 'x' }).length > 0, true);
    assert.deepEqual(riskRuleProblems(r.condition), []);
  });

  it('flags issuer country against billing and IP country only when they are sent', async () => {
    const p = profile({ mismatch: { issuerVsBilling: 'review', issuerVsIp: 'block' } });
    assert.equal((await assess(riskContext({ billingCountry: null, ipCountry: null }), p)).action, 'allow');
    assert.equal((await assess(riskContext({ billingCountry: 'IN', ipCountry: 'IN' }), p)).action, 'allow');
    const billing = await assess(riskContext({ billingCountry: 'GB' }), p);
    assert.equal(billing.action, 'review');
    assert.equal(billing.code, 'RISK_COUNTRY_MISMATCH');
    assert.equal((await assess(riskContext({ ipCountry: 'RU' }), p)).action, 'block');
  });

  it('applies amount limits per method and currency only', async () => {
    const p = profile({ amountLimits: [{ paymentMethodType: 'UPI', currency: 'INR', min: 100, max: 5_000, action: 'block' }] });
    assert.equal((await assess(riskContext({ amount: 9_000 }), p)).action, 'allow', 'a card is not limited by the UPI limit');
    assert.equal((await assess(riskContext({ amount: 9_000, paymentMethodType: 'UPI', card: null }), p)).action, 'block');
    assert.equal((await assess(riskContext({ amount: 50, paymentMethodType: 'UPI', card: null }), p)).action, 'block');
    assert.equal((await assess(riskContext({ amount: 9_000, currency: 'USD', paymentMethodType: 'UPI', card: null }), p)).action, 'allow');
  });

  it('counts attempts and amounts per dimension over a sliding window; a blocked attempt is not counted; dry runs count nothing', async () => {
    const store = new MemoryVelocityStore();
    const p = profile({
      velocity: [
        { id: 'cnt', dimension: 'card_fingerprint', metric: 'count', windowSeconds: 60, limit: 2, action: 'block' },
        { id: 'amt', dimension: 'customer_id', metric: 'amount', windowSeconds: 3600, limit: 35_000, action: 'review' },
      ],
    });
    const t0 = riskContext().nowMillis;
    const at = (s: number, over: Partial<RiskContext> = {}) => riskContext({ nowMillis: t0 + s * 1000, ...over });
    assert.equal((await assess(at(0), p, store, true)).action, 'allow');
    assert.equal((await assess(at(0), p, store)).action, 'allow');
    assert.equal((await assess(at(10), p, store)).action, 'allow');
    const third = await assess(at(20), p, store);
    assert.equal(third.action, 'block');
    assert.equal(third.code, 'RISK_VELOCITY_EXCEEDED');
    assert.equal((await assess(at(60), p, store)).action, 'allow', 'the first attempt left the window at exactly 60 s');
    // customer amount: 10k + 10k + (blocked by the card limit, not counted) + 10k = 30k; one more 10k > 35k is reviewed
    const other = { card: { ...riskContext().card!, fingerprint: 'fp_bbbbbbbbbbbbbbbbbbbb' } };
    const r = await assess(at(70, other), p, store);
    assert.equal(r.action, 'review');
  });

  it('card-testing guard: small declines from one IP block that IP for the block duration, not other IPs', async () => {
    const store = new MemoryVelocityStore();
    const guard = { smallAmountMax: 500, threshold: 3, windowSeconds: 300, blockSeconds: 3600, sources: ['client_ip' as const] };
    const p = profile({ cardTesting: guard });
    const t0 = riskContext().nowMillis;
    const probe = (s: number, over: Partial<RiskContext> = {}) => riskContext({ amount: 100, nowMillis: t0 + s * 1000, ...over });
    assert.deepEqual(await recordDeclineForCardTesting(probe(0, { amount: 10_000 }), guard, store, 'big'), [], 'a large decline is not a probe');
    for (let i = 0; i < 2; i++) assert.deepEqual(await recordDeclineForCardTesting(probe(i), guard, store, `d${i}`), []);
    assert.equal((await assess(probe(5), p, store)).action, 'allow');
    assert.deepEqual(await recordDeclineForCardTesting(probe(6), guard, store, 'd2'), ['client_ip']);
    const blocked = await assess(probe(7, { amount: 90_000 }), p, store);
    assert.equal(blocked.action, 'block');
    assert.equal(blocked.code, 'RISK_CARD_TESTING');
    assert.equal((await assess(probe(8, { clientIp: '198.51.100.1' }), p, store)).action, 'allow');
    assert.equal((await assess(probe(6 + 3600), p, store)).action, 'allow', 'the block ends');
  });

  it("keeps merchants apart: one merchant's counters and blocks never affect another", async () => {
    const store = new MemoryVelocityStore();
    const p = profile({ velocity: [{ id: 'cnt', dimension: 'client_ip', metric: 'count', windowSeconds: 60, limit: 1, action: 'block' }] });
    assert.equal((await assess(riskContext({ merchantId: 'm_a' }), p, store)).action, 'allow');
    assert.equal((await assess(riskContext({ merchantId: 'm_a' }), p, store)).action, 'block');
    assert.equal((await assess(riskContext({ merchantId: 'm_b' }), p, store)).action, 'allow');
  });
});
