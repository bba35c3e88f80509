import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { GATEWAY_IDS, SIMULATED_GATEWAYS } from '../core/gateways.ts';
import { renderGatewaysDoc } from './gateways-doc.ts';
import { CONNECTOR_DEFINITIONS, createConnectorRegistry } from './registry.ts';
import { createHttpTransport } from './kit/transport.ts';
import { SimulatorFleet } from './simulator/simulator-fleet.ts';

describe('connector registry', () => {
  it('registers a simulator connector for every SIM_* gateway', () => {
    const simulator = new SimulatorFleet();
    const transport = createHttpTransport();
    const registry = createConnectorRegistry({ simulator, publicBaseUrl: 'https://x', transport });
    assert.deepEqual(registry.names().sort(), [...SIMULATED_GATEWAYS, 'ADYEN', 'BRAINTREE', 'CHECKOUT', 'PAYPAL', 'PAYU', 'RAZORPAY', 'STRIPE'].sort());
    for (const name of SIMULATED_GATEWAYS) assert.equal(registry.get(name)?.name, name);
    assert.equal(registry.get('STRIPE')?.name, 'STRIPE');
    assert.equal(registry.get('PAYTM'), undefined, 'a gateway without a connector has none');
    assert.deepEqual(simulator.forMerchant('m_1').gatewayNames().sort(), [...SIMULATED_GATEWAYS].sort());
  });
});

describe('docs/gateways.md', () => {
  it('is what the connector definitions generate (run npm run docs:gateways after changing a connector)', () => {
    const doc = readFileSync(new URL('../../docs/gateways.md', import.meta.url), 'utf8');
    assert.equal(doc, renderGatewaysDoc(CONNECTOR_DEFINITIONS));
  });

  it('every connector is one definition: unique gateway, its published gateway_id, a status table and its own docs page', () => {
    const gateways = CONNECTOR_DEFINITIONS.map((d) => d.gateway);
    assert.equal(new Set(gateways).size, gateways.length);
    for (const d of CONNECTOR_DEFINITIONS) {
      assert.equal(d.gatewayId, GATEWAY_IDS[d.gateway], d.gateway);
      assert.ok(Object.keys(d.statusTable).length > 0, d.gateway);
      assert.ok(existsSync(new URL(`../../${d.docs}`, import.meta.url)), `${d.docs} exists`);
    }
  });
});
