// The health read model: per gateway of the merchant, its estimated success, evidence, alarms and
// whether a scheduled outage covers it now; gateway-wide, or for one segment's levels.
import { armKey, classifyHealth, estimateChain, inScheduledOutage, type ArmStats, type Segment } from '../../routing/scoring/index.ts';
import { round, type MerchantContexts } from './merchant-context.ts';
import type { GatewayHealthView, RoutingIntelligence, RoutingIntelligenceDeps } from './routing-intelligence.ts';

type HealthDeps = Pick<RoutingIntelligenceDeps, 'stores'> & { contexts: MerchantContexts; now: () => number };

export function createHealthView(deps: HealthDeps): RoutingIntelligence['health'] {
  return async function health(merchantId: string, segment: Segment | null) {
    const ctx = await deps.contexts.get(merchantId);
    const config = ctx.config;
    const t = deps.now();
    // Gateway-wide: the coarsest level only; with a segment: the levels that segment names.
    let depth = 1;
    if (segment !== null) while (depth < config.levels.length && config.levels[depth]!.every((f) => segment[f] != null)) depth++;
    const keyOf = (gateway: string, level: number) => armKey(gateway, segment ?? { paymentMethodType: '-' }, level, config);
    const keys: string[] = [];
    for (const gateway of ctx.gateways) for (let level = 0; level < depth; level++) keys.push(keyOf(gateway, level));
    const stats = await deps.stores.forMerchant(merchantId).get(keys);
    const outagesInView = { ...config, scheduledOutages: config.scheduledOutages.filter((o) => segment !== null || o.paymentMethodType === undefined) };
    const gateways = ctx.gateways.map((gateway): GatewayHealthView => {
      const chain: (ArmStats | undefined)[] = [];
      for (let level = 0; level < depth; level++) chain.push(stats[keyOf(gateway, level)]);
      const estimate = estimateChain(chain, t, config);
      const scheduled = inScheduledOutage(gateway, segment ?? { paymentMethodType: '\u0000' }, t, outagesInView);
      const finest = chain[chain.length - 1];
      const alarms = chain.reduce((n, a) => Math.max(n, a?.a ?? 0), 0);
      return {
        gateway,
        health: scheduled ? 'DOWN' : classifyHealth(estimate.mean, estimate.lastResetMs, t, config),
        mean: round(estimate.mean),
        evidence: round(estimate.evidence),
        observations: round(finest ? finest.s + finest.f : 0),
        last_alarm_at: estimate.lastResetMs > 0 ? new Date(estimate.lastResetMs).toISOString() : null,
        alarms,
        scheduled_outage: scheduled,
      };
    });
    return { gateways, thresholds: { down_below: config.health.downBelow, fluctuate_below: config.health.fluctuateBelow } };
  };
}
