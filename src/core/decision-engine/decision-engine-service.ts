// Junction behind Juspay's decision engine API (issue 19; docs/decision-engine-compat.md): the
// engine's merchant accounts mapped onto Junction merchants (merchant-accounts.ts), decide-gateway
// answered by Junction's own routing in the engine's shape (decide-gateway.ts), feedback applied only
// after a matching decision (gateway-score.ts), the engine's rule configurations (rule-configs.ts)
// and its routing rules as Priority Logics (routing-rules.ts). Who may act for which engine merchant
// is engine-access.ts.
import { createEngineAccess, type DecisionEngineDeps } from './engine-access.ts';
import { decideGatewayCall } from './decide-gateway.ts';
import { gatewayScoreCalls } from './gateway-score.ts';
import { merchantAccountCalls } from './merchant-accounts.ts';
import { routingRuleCalls } from './routing-rules.ts';
import { ruleConfigCalls } from './rule-configs.ts';

export type { DecisionEngineDeps, EngineAnswer, EngineCaller } from './engine-access.ts';
export { createMemoryDecisionContexts } from './decision-contexts.ts';

export function createDecisionEngineService(deps: DecisionEngineDeps) {
  const access = createEngineAccess(deps);
  return {
    ...merchantAccountCalls(deps, access),
    ...decideGatewayCall(deps, access),
    ...gatewayScoreCalls(deps, access),
    ...ruleConfigCalls(deps, access),
    ...routingRuleCalls(deps, access),
  };
}

export type DecisionEngineService = ReturnType<typeof createDecisionEngineService>;
