import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { debitRoutingOutput, NON_EXEMPT_WITH_FRAUD, readDebitRoutingInput, type DebitRoutingInput } from './debit-routing.ts';

const card = (networks: string[], regulated = false, regulatedName: string | null = null) => ({
  co_badged_card_networks: networks,
  issuer_country: 'US',
  is_regulated: regulated,
  regulated_name: regulatedName,
  card_type: 'debit',
});
const input = (networks: string[], regulated = false, regulatedName: string | null = null): DebitRoutingInput =>
  readDebitRoutingInput({ merchant_category_code: 'merchant_category_code_0001', acquirer_country: 'US', co_badged_card_data: card(networks, regulated, regulatedName) }, null)!;

describe('network (debit) routing: the engine fee table, exact', () => {
  it('orders the networks by total fee and gives the saving against the first global network (non-regulated, USD 1000.00)', () => {
    // interchange + network fee, by hand from the table: STAR 16.30+15 + 1.00+1.5 = 33.80;
    // VISA 16.50+15 + 1.375+2 = 34.875; PULSE 16.00+15 + 1.00+3 = 35.00; NYCE 13.00+21.3125 + 1.00+1.5 = 36.8125.
    const out = debitRoutingOutput(input(['VISA', 'NYCE', 'PULSE', 'STAR']), 100_000, 'USD');
    assert.deepEqual(out?.co_badged_card_networks_info, [
      { network: 'STAR', saving_percentage: 0.11 }, // (34.875 - 33.80) / 1000 = 0.1075% -> 0.11
      { network: 'VISA', saving_percentage: 0 },
      { network: 'PULSE', saving_percentage: 0 },
      { network: 'NYCE', saving_percentage: 0 },
    ]);
    assert.deepEqual([out?.issuer_country, out?.is_regulated, out?.regulated_name, out?.card_type], ['US', false, null, 'debit']);
  });

  it('charges regulated cards the regulated interchange (and the fraud-check fee when non-exempt with fraud), rounding half up', () => {
    // regulated interchange 0.05% + 0.21 = 0.71 for all; + network: NYCE 2.50, STAR 2.50, VISA 3.375, PULSE 4.00.
    const plain = debitRoutingOutput(input(['VISA', 'NYCE', 'PULSE', 'STAR'], true), 100_000, 'USD');
    assert.deepEqual(plain?.co_badged_card_networks_info, [
      { network: 'NYCE', saving_percentage: 0.09 }, // (4.085 - 3.21) / 1000 = 0.0875% -> 0.09
      { network: 'STAR', saving_percentage: 0.09 },
      { network: 'VISA', saving_percentage: 0 },
      { network: 'PULSE', saving_percentage: 0 },
    ]);
    const withFraud = debitRoutingOutput(input(['VISA', 'STAR'], true, NON_EXEMPT_WITH_FRAUD), 100_000, 'USD');
    assert.deepEqual(
      withFraud?.co_badged_card_networks_info.map((n) => n.saving_percentage),
      [0.09, 0],
    );
    assert.equal(withFraud?.regulated_name, NON_EXEMPT_WITH_FRAUD);
  });

  it('saves nothing when a global network is cheapest, and has no answer for a network without a fee', () => {
    assert.deepEqual(debitRoutingOutput(input(['MASTERCARD', 'VISA']), 100_000, 'USD')?.co_badged_card_networks_info, [
      { network: 'VISA', saving_percentage: 0 },
      { network: 'MASTERCARD', saving_percentage: 0 },
    ]);
    assert.equal(debitRoutingOutput(input(['AMEX', 'STAR']), 100_000, 'USD'), null);
    assert.equal(debitRoutingOutput({ ...input(['VISA', 'STAR']), merchantCategoryCode: 'merchant_category_code_9999' }, 100_000, 'USD'), null);
  });

  it('reads the payment metadata, the merchant category code and acquirer country falling back to the debitRouting rule config', () => {
    assert.equal(readDebitRoutingInput({ co_badged_card_data: card(['VISA', 'STAR']) }, null), null);
    const fromConfig = readDebitRoutingInput({ co_badged_card_data: card(['VISA', 'STAR']) }, { merchantCategoryCode: 'merchant_category_code_0001', acquirerCountry: 'US' });
    assert.deepEqual([fromConfig?.merchantCategoryCode, fromConfig?.acquirerCountry], ['merchant_category_code_0001', 'US']);
    assert.equal(readDebitRoutingInput({ merchant_category_code: 'merchant_category_code_0001', acquirer_country: 'US', co_badged_card_data: card(['VISA', 'MAESTRO']) }, null), null);
    assert.equal(readDebitRoutingInput({ merchant_category_code: 'merchant_category_code_0001', acquirer_country: 'US' }, null), null);
  });
});
