// The engine's merchant accounts (/merchant-account/*): an engine merchant is mapped onto a Junction
// merchant, its own (created on the way) or an existing one named by `junction_merchant_id`.
import { AppError } from '../errors.ts';
import { teError } from './engine-wire.ts';
import { notFoundAnswer, ok, type DecisionEngineDeps, type EngineAccess, type EngineAnswer, type EngineCaller } from './engine-access.ts';

const MERCHANT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export function merchantAccountCalls(deps: DecisionEngineDeps, access: EngineAccess) {
  /** The Junction merchant an engine merchant being created maps onto, or the answer refusing it. */
  async function junctionMerchantFor(engineMerchantId: string, target: unknown): Promise<string | EngineAnswer> {
    // Junction's extension: map the engine merchant (or a Hyperswitch profile id) onto an existing merchant.
    if (target !== undefined) {
      if (typeof target !== 'string' || !(await deps.merchants.exists(target))) return { status: 404, body: teError(`Junction merchant ${String(target)} not found`) };
      return target;
    }
    if (await deps.store.getEngineMerchant(engineMerchantId)) return { status: 400, body: teError('Merchant account already exists') };
    if (!(await deps.merchants.exists(engineMerchantId))) {
      try {
        await deps.merchants.create(engineMerchantId);
      } catch (error) {
        if (error instanceof AppError && error.status < 500)
          return { status: 400, body: teError(`merchant_id cannot name a Junction merchant: ${error.message}; map it onto an existing merchant with junction_merchant_id`) };
        throw error;
      }
    }
    return engineMerchantId;
  }

  return {
    async createMerchantAccount(caller: EngineCaller, body: Record<string, unknown>): Promise<EngineAnswer> {
      if (caller.kind !== 'OPERATOR') return { status: 401, body: 'Invalid admin secret', text: true };
      const id = body.merchant_id;
      if (typeof id !== 'string' || !MERCHANT_ID.test(id)) return { status: 400, body: teError('merchant_id is required: 1 to 64 letters, digits, _ . : or -') };
      const input = body.gateway_success_rate_based_decider_input;
      if (input !== undefined && input !== null && typeof input !== 'string') return { status: 400, body: teError('gateway_success_rate_based_decider_input must be a string or null') };
      const merchantId = await junctionMerchantFor(id, body.junction_merchant_id);
      if (typeof merchantId !== 'string') return merchantId;
      access.forget(id);
      const inserted = await deps.store.insertEngineMerchant({ engineMerchantId: id, merchantId, deciderInput: (input as string | null | undefined) ?? null, debitRoutingEnabled: false });
      if (!inserted) return { status: 400, body: teError('Merchant account already exists') };
      const apiKey = await deps.merchants.createApiKey(merchantId);
      return ok({ message: 'Merchant account created successfully', merchant_id: id, gateway_success_rate_based_decider_input: input ?? null, api_key: apiKey });
    },

    async getMerchantAccount(caller: EngineCaller, id: string): Promise<EngineAnswer> {
      const m = await access.engineMerchantFor(caller, id);
      if (!m) return notFoundAnswer;
      return ok({ merchant_id: m.engineMerchantId, gateway_success_rate_based_decider_input: m.deciderInput, hierarchy: m.hierarchy ?? null });
    },

    async deleteMerchantAccount(caller: EngineCaller, id: string): Promise<EngineAnswer> {
      const m = await access.engineMerchantFor(caller, id);
      if (!m || !(await deps.store.deleteEngineMerchant(id))) return notFoundAnswer;
      access.forget(id);
      return ok({ message: 'Merchant account deleted successfully', merchant_id: id });
    },

    async debitRouting(caller: EngineCaller, id: string, body: Record<string, unknown> | null): Promise<EngineAnswer> {
      const m = await access.engineMerchantFor(caller, id);
      if (!m) return notFoundAnswer;
      if (body === null) return ok({ merchant_id: id, debit_routing_enabled: m.debitRoutingEnabled });
      if (typeof body.enabled !== 'boolean') return { status: 400, body: teError('enabled must be true or false') };
      await deps.store.setDebitRouting(id, body.enabled);
      access.forget(id);
      return ok({ merchant_id: id, debit_routing_enabled: body.enabled });
    },
  };
}
