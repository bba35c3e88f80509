// Junction behind Juspay's decision engine API (issue 19; docs/decision-engine-compat.md): the
// engine's merchant accounts mapped onto Junction merchants (merchant-accounts.ts), decide-gateway
// answered by Junction's own routing in the engine's shape (decide-gateway.ts), feedback applied only
// after a matching decision (gateway-score.ts), the engine's rule configurations (rule-configs.ts)
// and its routing rules as Priority Logics (routing-rules.ts), the legacy /decision_gateway and
// /routing/hybrid on top of those (legacy-and-hybrid.ts), Hyperswitch's account hierarchy
// (hierarchy.ts). Who may act for which engine merchant is
// engine-access.ts.
import { createEngineAccess, type DecisionEngineDeps } from './engine-access.ts';
import { decideGatewayCall } from './decide-gateway.ts';
import { gatewayScoreCalls } from './gateway-score.ts';
import { hierarchyCalls } from './hierarchy.ts';
import { legacyAndHybridCalls } from './legacy-and-hybrid.ts';
import { merchantAccountCalls } from './merchant-accounts.ts';
import { routingRuleCalls } from './routing-rules.ts';
import { ruleConfigCalls } from './rule-configs.ts';

export type { DecisionEngineDeps, EngineAnswer, EngineCaller } from './engine-access.ts';
export { createMemoryDecisionContexts } from './decision-contexts.ts';

export function createDecisionEngineService(deps: DecisionEngineDeps) {
  const access = createEngineAccess(deps);
  const decide = decideGatewayCall(deps, access);
  const routingRules = routingRuleCalls(deps, access);
  return {
    ...merchantAccountCalls(deps, access),
    ...decide,
    ...gatewayScoreCalls(deps, access),
    ...ruleConfigCalls(deps, access),
    ...routingRules,
    ...legacyAndHybridCalls({ decideGateway: decide.decideGateway, evaluateRouting: routingRules.evaluateRouting }),
    ...hierarchyCalls(deps, access),
  };
}

export type DecisionEngineService = ReturnType<typeof createDecisionEngineService>;
