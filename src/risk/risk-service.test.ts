import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRiskService, type RiskListEntry, type RiskSetupReader } from './risk-service.ts';
import { riskConfig, riskContext } from './testing.ts';
import type { RiskConfig } from './types.ts';
import { MemoryVelocityStore } from './velocity-store.ts';

function reader(initial: { config: RiskConfig | null; entries: RiskListEntry[] }) {
  const state = { ...initial, version: 1, reads: { version: 0, config: 0, entries: 0 } };
  const setup: RiskSetupReader = {
    async setupVersion() {
      state.reads.version++;
      return String(state.version);
    },
    async getConfig() {
      state.reads.config++;
      return state.config;
    },
    async listRules() {
      return [];
    },
    async listEntries() {
      state.reads.entries++;
      return state.entries;
    },
  };
  return { state, setup };
}

describe('risk service', () => {
  it('answers null (no checks at all) for a merchant without a configuration, and for a disabled one', async () => {
    const { setup } = reader({ config: null, entries: [] });
    const service = createRiskService({ setup, velocity: new MemoryVelocityStore() });
    assert.equal(await service.modeFor('m'), null);
    assert.equal(await service.assess(riskContext(), 'e1'), null);
    const disabled = createRiskService({ setup: reader({ config: riskConfig({}, { enabled: false }), entries: [] }).setup, velocity: new MemoryVelocityStore() });
    assert.equal(await disabled.modeFor('m'), null);
  });

  it('reloads the setup only when its version changed, serving the previous one meanwhile', async () => {
    let clock = 0;
    const { state, setup } = reader({ config: riskConfig(), entries: [] });
    const service = createRiskService({ setup, velocity: new MemoryVelocityStore(), cacheMs: 1000, now: () => clock });
    assert.equal((await service.assess(riskContext(), 'e1'))!.assessment.action, 'allow');
    clock = 500;
    await service.assess(riskContext(), 'e2');
    assert.deepEqual(state.reads, { version: 1, config: 1, entries: 1 }, 'nothing read within cacheMs');
    clock = 1500;
    await service.assess(riskContext(), 'e3');
    assert.deepEqual(state.reads, { version: 2, config: 1, entries: 1 }, 'an unchanged version reloads nothing');
    state.entries = [{ list: 'block', kind: 'email', value: 'shopper@example.com' }];
    state.version = 2;
    clock = 3000;
    const during = await service.assess(riskContext(), 'e4');
    assert.equal(during!.assessment.action, 'allow', 'the previous setup serves while the new one compiles');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal((await service.assess(riskContext(), 'e5'))!.assessment.code, 'RISK_BLOCKLISTED');
    service.invalidate('m_risk');
    state.entries = [];
    assert.equal((await service.assess(riskContext(), 'e6'))!.assessment.action, 'allow', 'invalidate reloads at once');
  });

  it('a failing counter store follows fail open or fail closed', async () => {
    const broken = new MemoryVelocityStore();
    broken.checkAndAddAll = async () => {
      throw new Error('store down');
    };
    const velocity = [{ id: 'v', dimension: 'email' as const, metric: 'count' as const, windowSeconds: 60, limit: 5, action: 'block' as const }];
    const open = createRiskService({ setup: reader({ config: riskConfig({ velocity }, { failOpen: true }), entries: [] }).setup, velocity: broken });
    const a = (await open.assess(riskContext(), 'e'))!.assessment;
    assert.equal(a.action, 'allow');
    assert.match(a.reasons[0], /fail open/);
    const closed = createRiskService({ setup: reader({ config: riskConfig({ velocity }, { failOpen: false }), entries: [] }).setup, velocity: broken });
    const b = (await closed.assess(riskContext(), 'e'))!.assessment;
    assert.equal(b.action, 'block');
    assert.equal(b.code, 'RISK_PROVIDER_DECLINED');
  });
});
