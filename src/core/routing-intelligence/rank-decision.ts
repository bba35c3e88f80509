// Ranking one routing decision: the logic's gateways reordered by score (never widening an enforced
// list), or, with ranking OFF, by health only; one read of the score store per decision. The record
// says why (applied, explored, each gateway's label and score).
import { armKeysForDecision, rankGateways, type RankingMode, type Segment, type UniformRng } from '../../routing/scoring/index.ts';
import type { RankedGateway, RankingRecord } from '../../routing/index.ts';
import type { RoutedGateway, RoutingDecision, RoutingInput } from '../ports/router.ts';
import { decisionConfig, round, type MerchantContext, type MerchantContexts } from './merchant-context.ts';
import type { RankOptions, RoutingIntelligenceDeps } from './routing-intelligence.ts';
import { segmentOfRequest, segmentToWire } from './segment.ts';

type RankDeps = Pick<RoutingIntelligenceDeps, 'stores'> & { contexts: MerchantContexts; rng: UniformRng };

/** The decision's accounts by gateway, in its order. */
function accountsByGateway(decision: RoutingDecision): Map<string, RoutedGateway[]> {
  const byGateway = new Map<string, RoutedGateway[]>();
  for (const g of decision.gateways) {
    const list = byGateway.get(g.gateway);
    if (list) list.push(g);
    else byGateway.set(g.gateway, [g]);
  }
  return byGateway;
}

/** The decision with its accounts in the ranking's gateway order, the record saying so. */
function reordered(decision: RoutingDecision, order: readonly string[], byGateway: Map<string, RoutedGateway[]>, ranking: (gateways: RoutedGateway[]) => RankingRecord): RoutingDecision {
  const gateways: RoutedGateway[] = [];
  for (const name of order) gateways.push(...(byGateway.get(name) ?? []));
  return {
    gateways,
    enforced: decision.enforced,
    record: { ...decision.record, decidedGateway: gateways[0]?.gateway ?? null, accountIds: gateways.map((g) => g.accountId), ranking: ranking(gateways) },
  };
}

export function createDecisionRanker(deps: RankDeps) {
  /**
   * Ranking OFF: the logic's order, with DOWN gateways (and those in a scheduled outage) moved
   * behind the healthy ones and probed now and then (`rankGateways` in mode OFF). Never widens
   * the list, never removes a gateway. `applied` stays false (no ranking by score); `health_applied`
   * says the order changed for health.
   */
  async function healthOrdered(
    request: RoutingInput,
    decision: RoutingDecision,
    ctx: MerchantContext,
    segment: Segment,
    recordOf: (ranking: RankingRecord) => RoutingDecision,
  ): Promise<RoutingDecision> {
    const byGateway = accountsByGateway(decision);
    const candidates = [...byGateway.keys()];
    const config = ctx.config;
    const keys = armKeysForDecision(candidates, segment, config);
    const stats = await deps.stores.forMerchant(request.merchantId).get(keys);
    const result = rankGateways({ candidates, mode: 'OFF', allEligible: candidates, enforced: decision.enforced, segment, nowMillis: request.nowMillis, rng: deps.rng, config, stats, keys });
    const changed = result.gateways.some((g, i) => g !== candidates[i]);
    const labelOf = new Map(result.scores.map((s) => [s.gateway, s]));
    const label = (g: RoutedGateway): RankedGateway => {
      const s = labelOf.get(g.gateway);
      return s && s.label !== 'DEFAULT'
        ? { gateway: g.gateway, accountId: g.accountId, label: s.label, mean: round(s.mean), health: s.health }
        : { gateway: g.gateway, accountId: g.accountId, label: 'DEFAULT' };
    };
    if (!changed) return recordOf({ mode: 'OFF', applied: false, gateways: decision.gateways.map(label) });
    return reordered(decision, result.gateways, byGateway, (gateways) => ({
      mode: 'OFF',
      applied: false,
      healthApplied: true,
      explored: result.explored,
      logicOrder: candidates,
      gateways: gateways.map(label),
    }));
  }

  /** Ranked by score: the decision's gateways (ALL_ELIGIBLE may add the other eligible accounts, never to an enforced list). */
  async function scoreOrdered(request: RoutingInput, decision: RoutingDecision, ctx: MerchantContext, segment: Segment, mode: RankingMode, options: RankOptions): Promise<RoutingDecision> {
    const byGateway = accountsByGateway(decision);
    const candidates = [...byGateway.keys()];
    const widen = mode === 'ALL_ELIGIBLE' && !decision.enforced;
    const extra = widen ? options.eligible.filter((e) => !byGateway.has(e.gateway)) : [];
    const allEligible = widen ? [...candidates, ...extra.map((e) => e.gateway)] : candidates;
    for (const e of extra) if (!byGateway.has(e.gateway)) byGateway.set(e.gateway, [e]);

    const accounts = [...byGateway.values()].map((l) => l[0]!);
    const config = decisionConfig(ctx, accounts);
    const keys = armKeysForDecision(allEligible, segment, config);
    const stats = await deps.stores.forMerchant(request.merchantId).get(keys); // the one read of this decision
    const result = rankGateways({ candidates, mode, allEligible, enforced: decision.enforced, segment, nowMillis: request.nowMillis, rng: deps.rng, config, stats, keys });

    const scoreOf = new Map(result.scores.map((s) => [s.gateway, s]));
    const ranked = (g: RoutedGateway): RankedGateway => {
      const s = scoreOf.get(g.gateway);
      return s
        ? { gateway: g.gateway, accountId: g.accountId, label: s.label, score: round(s.score), mean: round(s.mean), health: s.health, evidence: round(s.evidence), feeMinor: s.feeMinor }
        : { gateway: g.gateway, accountId: g.accountId, label: 'DEFAULT' };
    };
    return reordered(decision, result.gateways, byGateway, (gateways) => ({
      mode,
      applied: true,
      explored: result.explored,
      segment: segmentToWire(segment),
      logicOrder: decision.gateways.map((g) => g.gateway),
      gateways: gateways.map(ranked),
    }));
  }

  return async function rankDecision(request: RoutingInput, decision: RoutingDecision, options: RankOptions): Promise<RoutingDecision> {
    const ctx = await deps.contexts.get(request.merchantId);
    const mode: RankingMode = options.override ?? options.mode ?? ctx.settings.rankingMode;
    const segment: Segment = segmentOfRequest(request);
    const recordOf = (ranking: RankingRecord): RoutingDecision => ({ ...decision, record: { ...decision.record, ranking } });
    if (decision.gateways.length === 0) return recordOf({ mode, applied: false, reason: 'NO_GATEWAY' });
    if (request.preferredGateway && decision.gateways[0]?.gateway === request.preferredGateway && options.override === undefined) {
      return recordOf({ mode, applied: false, reason: 'PREFERRED_GATEWAY', gateways: decision.gateways.map((g) => ({ gateway: g.gateway, accountId: g.accountId, label: 'DEFAULT' })) });
    }
    if (mode === 'OFF') return healthOrdered(request, decision, ctx, segment, recordOf);
    return scoreOrdered(request, decision, ctx, segment, mode, options);
  };
}
