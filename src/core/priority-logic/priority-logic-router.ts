// The GatewayRouter behind the routing seam: per merchant, the routing configuration (active,
// staggered, fallback) and the compiled logics, then one engine decision. A merchant without an
// active logic gets the engine's default ordering of its accounts (kinds/default-routing.ts).
// Compiled logics are cached by id and row version (definitions never change: editing is
// copying); the configuration is cached briefly and dropped at once by local changes.
import { accountIneligibility, byPriority, checkEligibility } from '../../routing/index.ts';
import type { CompiledLogic, LogicRankingMode, LogicSlot, RoutingEngine, StaggeredSlot } from '../../routing/index.ts';
import { TtlCache } from '../cache/ttl-cache.ts';
import type { PriorityLogicStore } from '../ports/priority-logic-store.ts';
import { routedAccounts, type GatewayRouter, type RoutedGateway, type RoutingDecision, type RoutingInput } from '../ports/router.ts';
import type { PriorityLogic } from './types.ts';

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

export interface DecisionRanker {
  rankDecision(
    request: RoutingInput,
    decision: RoutingDecision,
    options: { mode: LogicRankingMode | null; eligible: readonly RoutedGateway[]; override?: LogicRankingMode },
  ): Promise<RoutingDecision>;
}

export interface DecideOptions {
  /** Forces the ranking mode of this decision (decide-gateway API). */
  rankingMode?: LogicRankingMode;
}

export interface PriorityLogicRouter extends GatewayRouter {
  decide(request: RoutingInput, options?: DecideOptions): Promise<RoutingDecision>;
  /** Drops the merchant's cached configuration (called after every local change). */
  invalidate(merchantId: string): void;
  /** Frees every compiled logic (sandbox programs). */
  close(): void;
}

interface MerchantSlots {
  active: LogicSlot | null;
  staggered: StaggeredSlot | null;
  fallback: LogicSlot | null;
}

export function createPriorityLogicRouter(options: PriorityLogicRouterOptions): PriorityLogicRouter {
  const { store, engine } = options;
  const now = options.now ?? (() => Date.now());
  const configs = new TtlCache<MerchantSlots>(options.configTtlMs ?? 2_000, now);
  const compiled = new Map<string, CompiledLogic>();
  /** Compiled keys each merchant's current configuration uses, to free the ones it no longer does. */
  const inUse = new Map<string, Set<string>>();

  const slotOf = (logic: PriorityLogic): LogicSlot => {
    const key = `${logic.id}\u0000${logic.rowVersion}`;
    let c = compiled.get(key);
    if (!c) {
      c = engine.compile(logic.definition);
      compiled.set(key, c);
    }
    return { id: logic.id, name: logic.name, version: logic.version, compiled: c };
  };

  const release = (merchantId: string, keep: Set<string>): void => {
    const previous = inUse.get(merchantId);
    inUse.set(merchantId, keep);
    if (!previous) return;
    for (const key of previous) {
      if (keep.has(key)) continue;
      let used = false;
      for (const [m, keys] of inUse) if (m !== merchantId && keys.has(key)) used = true;
      if (!used) {
        compiled.get(key)?.dispose();
        compiled.delete(key);
      }
    }
  };

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
      keep.add(`${logic.id}\u0000${logic.rowVersion}`);
      return slotOf(logic);
    };
    const active = slot(routing?.activeLogicId);
    const staggeredBase = active ? slot(routing?.staggeredLogicId) : null;
    const slots: MerchantSlots = {
      active,
      staggered: staggeredBase && routing?.staggerPercentage ? { ...staggeredBase, percentage: routing.staggerPercentage } : null,
      fallback: active ? slot(routing?.fallbackLogicId) : null,
    };
    release(merchantId, keep);
    configs.set(merchantId, slots);
    return slots;
  };

  /** One account per eligible gateway (the one the engine would pick), in the default order. */
  const eligibleAccounts = (request: RoutingInput): RoutedGateway[] => {
    const ids: string[] = [];
    const seen = new Set<string>();
    for (const c of [...request.gateways].sort(byPriority)) {
      if (seen.has(c.gateway) || accountIneligibility(c, request) !== null) continue;
      seen.add(c.gateway);
      const e = checkEligibility({ gateway: c.gateway }, request);
      if (e.eligible) ids.push(e.account.accountId);
    }
    return routedAccounts(request, ids);
  };

  const rankingModeOf = (slots: MerchantSlots, logicId: string | undefined): LogicRankingMode => {
    for (const slot of [slots.active, slots.staggered, slots.fallback]) {
      if (slot && slot.id === logicId) return slot.compiled.source.ranking?.mode ?? 'OFF';
    }
    return slots.active?.compiled.source.ranking?.mode ?? 'OFF';
  };

  const ranked = (request: RoutingInput, decision: RoutingDecision, mode: LogicRankingMode | null, options: DecideOptions | undefined): Promise<RoutingDecision> | RoutingDecision => {
    const ranker = options_.ranker;
    if (!ranker) return decision;
    const override = options?.rankingMode;
    const effective = override ?? mode;
    return ranker
      .rankDecision(request, decision, {
        mode,
        // The default order already holds every eligible account; a logic's list may be widened.
        eligible: effective === 'ALL_ELIGIBLE' && mode !== null ? eligibleAccounts(request) : [],
        ...(override ? { override } : {}),
      })
      // Scores unavailable (Redis down): route on the logic's order rather than fail the payment.
      .catch((error: unknown) => ({
        ...decision,
        record: { ...decision.record, ranking: { mode: effective ?? 'DEFAULT', applied: false, reason: 'SCORES_UNAVAILABLE', error: error instanceof Error ? error.message : String(error) } },
      }));
  };
  const options_ = options;

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
      return ranked(request, decision, slots.active ? rankingModeOf(slots, record.logic.id) : null, decideOptions);
    },
    invalidate(merchantId) {
      configs.delete(merchantId);
    },
    close() {
      for (const c of compiled.values()) c.dispose();
      compiled.clear();
      inUse.clear();
      configs.clear();
    },
  };
}
