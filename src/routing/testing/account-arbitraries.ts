// fast-check generators of a merchant's accounts and a payment against them, in the values the
// payment path routes on (upper-case codes, as stored and as parsed). Not a test file itself.
import fc from 'fast-check';
import type { GatewayAccount, RoutingPayment } from '../types.ts';
import { payment } from './fixtures.ts';

const GATEWAY_NAMES = ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA', 'PAYU'];
const REFS = ['r1', 'r2', 'r3'];
const capability = <T extends string>(values: readonly T[]) => fc.uniqueArray(fc.constantFrom(...values), { maxLength: 2 });

export const accountArb = fc.record({
  gateway: fc.constantFrom(...GATEWAY_NAMES),
  gatewayReferenceId: fc.option(fc.constantFrom(...REFS), { nil: null }),
  enabled: fc.boolean(),
  paymentMethodTypes: capability(['CARD', 'UPI', 'NB']),
  paymentMethods: capability(['VISA', 'MASTERCARD', 'UPI_COLLECT']),
  cardBrands: capability(['VISA', 'MASTERCARD', 'AMEX']),
  currencies: capability(['INR', 'USD']),
  priority: fc.integer({ min: 0, max: 4 }),
});

/** Accounts with unique ids and, per gateway, unique reference ids (as the merchant store keeps them). */
export const accountsArb = fc.array(accountArb, { maxLength: 8 }).map((list): GatewayAccount[] => {
  const seen = new Set<string>();
  return list
    .filter((a) => {
      const key = `${a.gateway}\u0000${a.gatewayReferenceId ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((a, i) => ({ ...a, accountId: `acc_${i}` }));
});

export const routedPaymentArb = fc
  .record({
    gateways: accountsArb,
    paymentMethodType: fc.constantFrom('CARD', 'UPI', 'NB'),
    paymentMethod: fc.constantFrom('VISA', 'MASTERCARD', 'UPI_COLLECT', 'AMEX'),
    brand: fc.option(fc.constantFrom('VISA', 'MASTERCARD', 'AMEX'), { nil: null }),
    currency: fc.constantFrom('INR', 'USD'),
    preferredGateway: fc.option(fc.constantFrom(...GATEWAY_NAMES), { nil: null }),
    preferredReferenceId: fc.option(fc.constantFrom(...REFS), { nil: null }),
  })
  .map(({ brand, ...r }): RoutingPayment => {
    const base = payment();
    return payment({ ...r, card: r.paymentMethodType === 'CARD' && base.card ? { ...base.card, brand } : null });
  });
