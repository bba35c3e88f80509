// The GatewayRouter behind the routing seam: per merchant, the routing configuration (active,
// staggered, fallback) and the compiled logics, then one engine decision. A merchant without an
// active logic gets the engine's default ordering of its accounts (kinds/default-routing.ts).
// Compiled logics are cached by id and row version (definitions never change: editing is
// copying); the configuration is cached briefly and dropped at once by local changes.
import type { LogicSlot, RoutingEngine } from '../../routing/index.ts';
import { TtlCache } from '../cache/ttl-cache.ts';
import type { PriorityLogicStore } from '../ports/priority-logic-store.ts';
import { routedAccounts, type GatewayRouter, type RoutingDecision, type RoutingInput } from '../ports/router.ts';
import { createCompiledLogicCache } from './compiled-logic-cache.ts';
import { rankedDecision, rankingModeOf, type DecideOptions, type DecisionRanker, type MerchantSlots } from './decision-ranking.ts';

export type { DecideOptions, DecisionRanker } from './decision-ranking.ts';

export interface PriorityLogicRouterOptions {
  store: Pick<PriorityLogicStore, 'getRouting' | 'getLogics'>;
  engine: RoutingEngine;
  /** Lifetime of a merchant's cached configuration; other instances' changes are seen after it. */
  configTtlMs?: number;
  now?: () => number;
  /**
   * Success-rate ranking after the decision (routing intelligence). Given the logic's ranking mode
   * (null when no logic decided: the merchant's default applies) and every eligible account.
   */
  ranker?: DecisionRanker;
}

export interface PriorityLogicRouter extends GatewayRouter {
  decide(request: RoutingInput, options?: DecideOptions): Promise<RoutingDecision>;
  /** Drops the merchant's cached configuration (called after every local change). */
  invalidate(merchantId: string): void;
  /** Frees every compiled logic (sandbox programs). */
  close(): void;
}

export function createPriorityLogicRouter(routerOptions: PriorityLogicRouterOptions): PriorityLogicRouter {
  const { store, engine, ranker } = routerOptions;
  const now = routerOptions.now ?? (() => Date.now());
  const configs = new TtlCache<MerchantSlots>(routerOptions.configTtlMs ?? 2_000, now);
  const compiled = createCompiledLogicCache(engine);

  const load = async (merchantId: string): Promise<MerchantSlots> => {
    const cached = configs.get(merchantId);
    if (cached) return cached;
    const routing = await store.getRouting(merchantId);
    const ids = [routing?.activeLogicId, routing?.staggeredLogicId, routing?.fallbackLogicId].filter((id): id is string => typeof id === 'string');
    const logics = new Map((await store.getLogics(merchantId, ids)).map((l) => [l.id, l]));
    const keep = new Set<string>();
    const slot = (id: string | null | undefined): LogicSlot | null => {
      const logic = id ? logics.get(id) : undefined;
      if (!logic || logic.deletedAt) return null;
      keep.add(compiled.keyOf(logic));
      return compiled.slotOf(logic);
    };
    const active = slot(routing?.activeLogicId);
    const staggeredBase = active ? slot(routing?.staggeredLogicId) : null;
    const slots: MerchantSlots = {
      active,
      staggered: staggeredBase && routing?.staggerPercentage ? { ...staggeredBase, percentage: routing.staggerPercentage } : null,
      fallback: active ? slot(routing?.fallbackLogicId) : null,
    };
    compiled.retain(merchantId, keep);
    configs.set(merchantId, slots);
    return slots;
  };

  return {
    async decide(request: RoutingInput, decideOptions?: DecideOptions): Promise<RoutingDecision> {
      const slots = await load(request.merchantId);
      const record = await engine.decideAsync({
        payment: request,
        active: slots.active,
        ...(slots.staggered ? { staggered: slots.staggered } : {}),
        ...(slots.fallback ? { fallback: slots.fallback } : {}),
      });
      const decision: RoutingDecision = { gateways: routedAccounts(request, record.accountIds), enforced: record.enforced, record };
      return rankedDecision(ranker, request, decision, slots.active ? rankingModeOf(slots, record.logic.id) : null, decideOptions);
    },
    invalidate(merchantId) {
      configs.delete(merchantId);
    },
    close() {
      compiled.clear();
      configs.clear();
    },
  };
}
