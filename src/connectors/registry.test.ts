import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SIMULATED_GATEWAYS } from '../core/gateways.ts';
import { createConnectorRegistry } from './registry.ts';
import { SimulatorFleet } from './simulator/simulator-fleet.ts';

describe('connector registry', () => {
  it('registers a simulator connector for every SIM_* gateway', () => {
    const simulator = new SimulatorFleet();
    const registry = createConnectorRegistry({ simulator, publicBaseUrl: 'https://x' });
    assert.deepEqual(registry.names().sort(), [...SIMULATED_GATEWAYS].sort());
    for (const name of SIMULATED_GATEWAYS) assert.equal(registry.get(name)?.name, name);
    assert.equal(registry.get('STRIPE'), undefined);
    assert.deepEqual(simulator.forMerchant('m_1').gatewayNames().sort(), [...SIMULATED_GATEWAYS].sort());
  });
});
