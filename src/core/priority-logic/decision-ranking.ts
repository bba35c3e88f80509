// Success-rate ranking after the engine's decision (routing intelligence): which ranking mode
// applies, which accounts a widened (ALL_ELIGIBLE) ranking may use, and the ranked decision.
import { accountIneligibility, byPriority, checkEligibility } from '../../routing/index.ts';
import type { LogicRankingMode, LogicSlot, StaggeredSlot } from '../../routing/index.ts';
import { routedAccounts, type RoutedGateway, type RoutingDecision, type RoutingInput } from '../ports/router.ts';

export interface DecisionRanker {
  rankDecision(request: RoutingInput, decision: RoutingDecision, options: { mode: LogicRankingMode | null; eligible: readonly RoutedGateway[]; override?: LogicRankingMode }): Promise<RoutingDecision>;
}

export interface DecideOptions {
  /** Forces the ranking mode of this decision (decide-gateway API). */
  rankingMode?: LogicRankingMode;
}

/** A merchant's live logics, as the router holds them. */
export interface MerchantSlots {
  active: LogicSlot | null;
  staggered: StaggeredSlot | null;
  fallback: LogicSlot | null;
}

/** One account per eligible gateway (the one the engine would pick), in the default order. */
function eligibleAccounts(request: RoutingInput): RoutedGateway[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const c of [...request.gateways].sort(byPriority)) {
    if (seen.has(c.gateway) || accountIneligibility(c, request) !== null) continue;
    seen.add(c.gateway);
    const e = checkEligibility({ gateway: c.gateway }, request);
    if (e.eligible) ids.push(e.account.accountId);
  }
  return routedAccounts(request, ids);
}

/** The ranking mode of the logic that decided (the active one's when none of the live ones did). */
export function rankingModeOf(slots: MerchantSlots, logicId: string | undefined): LogicRankingMode {
  for (const slot of [slots.active, slots.staggered, slots.fallback]) {
    if (slot && slot.id === logicId) return slot.compiled.source.ranking?.mode ?? 'OFF';
  }
  return slots.active?.compiled.source.ranking?.mode ?? 'OFF';
}

/** The decision ranked by `ranker` (as decided when there is none). */
export function rankedDecision(
  ranker: DecisionRanker | undefined,
  request: RoutingInput,
  decision: RoutingDecision,
  mode: LogicRankingMode | null,
  decideOptions: DecideOptions | undefined,
): Promise<RoutingDecision> | RoutingDecision {
  if (!ranker) return decision;
  const override = decideOptions?.rankingMode;
  const effective = override ?? mode;
  return (
    ranker
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
      }))
  );
}
