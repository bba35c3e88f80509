import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createRoutingEngine } from './decide.ts';
import { accountIneligibility, checkEligibility } from './eligibility.ts';
import { decideDefaultOrder } from './kinds/default-routing.ts';
import { routedPaymentArb } from './testing/account-arbitraries.ts';
import { account, payment } from './testing/fixtures.ts';

describe('eligibility: one function for logics and the default ordering', () => {
  it('a logic listing every gateway routes to exactly the gateways the default ordering routes to', () => {
    const engine = createRoutingEngine();
    fc.assert(
      fc.property(routedPaymentArb, (p0) => {
        const p = { ...p0, preferredReferenceId: null, preferredGateway: null };
        const names = [...new Set(p.gateways.map((a) => a.gateway))];
        if (names.length === 0) return;
        const compiled = engine.compile({ kind: 'DEFAULT', name: 'all', enforce: false, defaultGateways: names.map((gateway) => ({ gateway })) });
        const logic = engine.decide({ payment: p, active: { id: 'pl_all', name: 'all', version: 1, compiled } });
        const byDefault = decideDefaultOrder(p);
        assert.deepEqual(new Set(logic.finalGateways.map((g) => g.gateway)), new Set(byDefault.finalGateways.map((g) => g.gateway)));
        // The engine's account for a gateway is one the default ordering would also try, and eligible.
        for (const id of logic.accountIds) {
          assert.ok(byDefault.accountIds.includes(id), `${id} is not routable by the default ordering`);
          assert.equal(accountIneligibility(p.gateways.find((a) => a.accountId === id)!, p), null);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('checkEligibility answers eligible exactly when some account of the gateway passes accountIneligibility', () => {
    fc.assert(
      fc.property(routedPaymentArb, fc.constantFrom('SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA', 'PAYU'), (p, gateway) => {
        const e = checkEligibility({ gateway }, p);
        const any = p.gateways.some((a) => a.gateway === gateway && accountIneligibility(a, p) === null);
        assert.equal(e.eligible, any);
        if (e.eligible) assert.equal(accountIneligibility(e.account, p), null);
      }),
    );
  });
});

describe('eligibility: the case rule', () => {
  const visaCards = account('PAYU', { paymentMethodTypes: ['CARD'], paymentMethods: ['VISA'], cardBrands: ['VISA'], currencies: ['INR'] });

  it('compares ASCII-case-insensitively (stored lists are upper-case, raw callers may not be)', () => {
    assert.equal(accountIneligibility(visaCards, payment({ paymentMethodType: 'card', paymentMethod: 'visa', currency: 'inr' })), null);
    assert.equal(accountIneligibility({ ...visaCards, cardBrands: ['Visa'] }, payment()), null);
    assert.equal(accountIneligibility(visaCards, payment({ paymentMethod: 'mastercard' })), 'PAYMENT_METHOD_NOT_SUPPORTED');
  });

  it('an absent payment value (null or empty) has nothing to check and never drops', () => {
    assert.equal(accountIneligibility(visaCards, payment({ paymentMethod: null })), null);
    assert.equal(accountIneligibility(visaCards, payment({ paymentMethod: '' })), null);
    const base = payment();
    assert.equal(accountIneligibility(visaCards, payment({ card: base.card ? { ...base.card, brand: null } : null })), null);
  });

  it('checks in a fixed order: disabled, type, method, brand, currency', () => {
    const p = payment({ paymentMethodType: 'UPI', paymentMethod: 'UPI_COLLECT', currency: 'USD' });
    assert.equal(accountIneligibility({ ...visaCards, enabled: false }, p), 'DISABLED');
    assert.equal(accountIneligibility(visaCards, p), 'PAYMENT_METHOD_TYPE_NOT_SUPPORTED');
    assert.equal(accountIneligibility(visaCards, payment({ currency: 'USD' })), 'CURRENCY_NOT_SUPPORTED');
  });
});
