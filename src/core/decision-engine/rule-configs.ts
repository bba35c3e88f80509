// The engine's rule configurations (/rule/*: success rate, elimination, debit routing) and its SR
// dimensions (/config-sr-dimension), kept per engine merchant.
import type { EngineConfigKind } from '../ports/decision-engine-store.ts';
import { RULE_ALGORITHMS, readRuleConfig, readSrDimensions, teError, type RuleAlgorithm } from './engine-wire.ts';
import { notFoundAnswer, ok, type DecisionEngineDeps, type EngineAccess, type EngineAnswer, type EngineCaller } from './engine-access.ts';

const LABELS: Record<RuleAlgorithm, string> = { successRate: 'Success Rate', elimination: 'Elimination', debitRouting: 'Debit Routing' };

export function ruleConfigCalls(deps: DecisionEngineDeps, access: EngineAccess) {
  async function getOrDelete(engineMerchantId: string, action: 'get' | 'delete', algorithm: unknown): Promise<EngineAnswer> {
    if (typeof algorithm !== 'string' || !(RULE_ALGORITHMS as readonly string[]).includes(algorithm)) return { status: 400, body: teError(`algorithm must be one of ${RULE_ALGORITHMS.join(', ')}`) };
    const kind = algorithm as EngineConfigKind & RuleAlgorithm;
    if (action === 'get') {
      const data = await deps.store.getConfig(engineMerchantId, kind);
      if (!data) return { status: 404, body: teError(`${LABELS[kind]} configuration not found`) };
      return ok({ merchant_id: engineMerchantId, config: { type: kind, data } });
    }
    if (!(await deps.store.deleteConfig(engineMerchantId, kind))) return { status: 404, body: teError(`${LABELS[kind]} configuration not found`) };
    access.forget(engineMerchantId);
    return ok({ message: `${LABELS[kind]} Configuration deleted successfully`, merchant_id: engineMerchantId });
  }

  return {
    async ruleConfig(caller: EngineCaller, action: 'create' | 'get' | 'update' | 'delete', body: unknown): Promise<EngineAnswer> {
      return access.routingCall(caller, body, 'merchant_id', async (m, b) => {
        if (action === 'get' || action === 'delete') return getOrDelete(m.engineMerchantId, action, b.algorithm);
        const read = readRuleConfig(b);
        const done = await deps.store.putConfig(m.engineMerchantId, m.merchantId, read.algorithm, read.data, action);
        access.forget(m.engineMerchantId);
        const label = LABELS[read.algorithm];
        if (!done) return action === 'create' ? { status: 400, body: teError(`${label} configuration already exists`) } : { status: 404, body: teError(`${label} configuration not found`) };
        return ok({
          message: `${label} Configuration ${action === 'create' ? 'created' : 'updated'} successfully`,
          merchant_id: m.engineMerchantId,
          config: { type: read.algorithm, data: read.data },
        });
      });
    },

    async configSrDimension(caller: EngineCaller, body: unknown): Promise<EngineAnswer> {
      return access.routingCall(caller, body, 'merchant_id', async (m, b) => {
        await deps.store.putConfig(m.engineMerchantId, m.merchantId, 'srDimension', readSrDimensions(b), 'upsert');
        return ok('SR Dimension configuration updated successfully');
      });
    },

    async getSrDimension(caller: EngineCaller, id: string): Promise<EngineAnswer> {
      const m = await access.engineMerchantFor(caller, id);
      if (!m) return notFoundAnswer;
      const dims = await deps.store.getConfig(id, 'srDimension');
      if (!dims) return { status: 404, body: teError('SR Dimension configuration not found') };
      return ok({ merchant_id: id, paymentInfo: dims });
    },
  };
}
