// What routing intelligence reads of a merchant for each decision: its intelligence settings, the
// scoring configuration they make, its accounts' fees and its scheduled outages. Loaded once and
// reused for `ttlMs` (a local change drops it at once; other instances see a change within the TTL).
import { scoringConfig, type GatewayFees, type ScoringConfig } from '../../routing/scoring/index.ts';
import type { RoutedGateway } from '../ports/router.ts';
import { intelligenceOf, type IntelligenceSettings } from '../routing-settings.ts';
import { gatewayFeesFrom } from './fees.ts';
import type { ScheduledOutageRecord } from './ports.ts';
import type { RoutingIntelligenceDeps } from './routing-intelligence.ts';

export interface MerchantContext {
  at: number;
  settings: IntelligenceSettings;
  config: ScoringConfig;
  /** Fee model per account id (accounts without fees absent). */
  feesByAccount: Map<string, GatewayFees>;
  gateways: string[];
  outages: ScheduledOutageRecord[];
}

export interface MerchantContexts {
  get(merchantId: string): Promise<MerchantContext>;
  /** Drops what is kept of one merchant (its settings, accounts or outages changed). */
  drop(merchantId: string): void;
  clear(): void;
}

type ContextDeps = Pick<RoutingIntelligenceDeps, 'settings' | 'accounts' | 'outages' | 'config'>;

export function createMerchantContexts(deps: ContextDeps, now: () => number, ttlMs: number): MerchantContexts {
  const base = scoringConfig(deps.config);
  const contexts = new Map<string, Promise<MerchantContext>>();

  async function load(merchantId: string): Promise<MerchantContext> {
    const [routing, accounts, outages] = await Promise.all([deps.settings(merchantId), deps.accounts(merchantId), deps.outages.list(merchantId, new Date(now()))]);
    const settings = intelligenceOf(routing);
    const feesByAccount = new Map<string, GatewayFees>();
    for (const a of accounts) {
      const fees = gatewayFeesFrom(a.fees);
      if (fees) feesByAccount.set(a.accountId, fees);
    }
    const config = scoringConfig({
      ...deps.config,
      health: { ...base.health, downBelow: settings.healthDownBelow, fluctuateBelow: settings.healthFluctuateBelow },
      exploration: { floor: settings.explorationPercent / 100, probe: settings.probePercent / 100 },
      costTolerance: settings.costTolerancePoints / 100,
      scheduledOutages: outages.map((o) => ({
        gateway: o.gateway,
        startMs: o.startAt.getTime(),
        endMs: o.endAt.getTime(),
        ...(o.paymentMethodType ? { paymentMethodType: o.paymentMethodType } : {}),
      })),
      fees: {},
    });
    const gateways = [...new Set(accounts.filter((a) => a.enabled).map((a) => a.gateway))];
    return { at: now(), settings, config, feesByAccount, gateways, outages };
  }

  return {
    get(merchantId) {
      const cached = contexts.get(merchantId);
      if (cached) return cached;
      const loading = load(merchantId);
      contexts.set(merchantId, loading);
      loading.then(
        (c) =>
          setTimeout(
            () => {
              if (contexts.get(merchantId) === loading) contexts.delete(merchantId);
            },
            Math.max(0, ttlMs - (now() - c.at)),
          ).unref(),
        () => {
          if (contexts.get(merchantId) === loading) contexts.delete(merchantId);
        },
      );
      return loading;
    },
    drop: (merchantId) => void contexts.delete(merchantId),
    clear: () => contexts.clear(),
  };
}

/** The config of one decision: the merchant's, with the fees of the accounts this decision would use. */
export function decisionConfig(ctx: MerchantContext, accounts: readonly RoutedGateway[]): ScoringConfig {
  if (ctx.feesByAccount.size === 0) return ctx.config;
  const fees: Record<string, GatewayFees> = {};
  for (const a of accounts) {
    const f = ctx.feesByAccount.get(a.accountId);
    if (f && !(a.gateway in fees)) fees[a.gateway] = f;
  }
  return { ...ctx.config, fees };
}

/** Scores as the records and the health view show them: 4 decimals. */
export function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
