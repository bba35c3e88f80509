// Gateway health and success rate from live scores, read at scrape time.
import { Gauge } from 'prom-client';
import { boundedLabel } from './labels.ts';
import type { MetricFamilyContext } from './types.ts';

const HEALTH_VALUE = { UP: 1, FLUCTUATE: 0.5, DOWN: 0 } as const;

export function registerGatewayHealthGauges({ registry, prefix: p, byMerchant, sources }: MetricFamilyContext): void {
  const healthLabels = byMerchant ? ['gateway', 'merchant_id'] : ['gateway'];
  const gatewayHealth = new Gauge({
    name: `${p}gateway_health`,
    help: 'Gateway health from live scores: 1 UP, 0.5 FLUCTUATE, 0 DOWN (the worst across merchants unless per merchant).',
    labelNames: healthLabels,
    registers: [registry],
  });
  const gatewaySuccess = new Gauge({
    name: `${p}gateway_success_rate_estimate`,
    help: 'Estimated success rate of a gateway from live scores (weighted by observations across merchants unless per merchant).',
    labelNames: healthLabels,
    registers: [registry],
  });
  const healthCollect = async (): Promise<void> => {
    const samples =
      (await sources()
        .gatewayHealth?.()
        .catch(() => [])) ?? [];
    gatewayHealth.reset();
    gatewaySuccess.reset();
    if (byMerchant) {
      for (const s of samples) {
        const labels = { gateway: boundedLabel(s.gateway), merchant_id: boundedLabel(s.merchantId) };
        gatewayHealth.set(labels, HEALTH_VALUE[s.health]);
        gatewaySuccess.set(labels, s.mean);
      }
      return;
    }
    const per = new Map<string, { health: number; weighted: number; weight: number; sum: number; n: number }>();
    for (const s of samples) {
      const g = per.get(s.gateway) ?? { health: 1, weighted: 0, weight: 0, sum: 0, n: 0 };
      g.health = Math.min(g.health, HEALTH_VALUE[s.health]);
      g.weighted += s.mean * s.observations;
      g.weight += s.observations;
      g.sum += s.mean;
      g.n += 1;
      per.set(s.gateway, g);
    }
    for (const [gateway, g] of per) {
      gatewayHealth.set({ gateway: boundedLabel(gateway) }, g.health);
      gatewaySuccess.set({ gateway: boundedLabel(gateway) }, g.weight > 0 ? g.weighted / g.weight : g.sum / g.n);
    }
  };
  // Both health gauges come from one read; the first gauge's collect does it.
  let healthRead: Promise<void> | null = null;
  const readHealthOnce = (): Promise<void> => (healthRead ??= healthCollect().finally(() => setTimeout(() => (healthRead = null), 0).unref()));
  Object.assign(gatewayHealth, { collect: readHealthOnce });
  Object.assign(gatewaySuccess, { collect: readHealthOnce });
}
