// The engine's routing rules API (/routing/*): each rule is a Priority Logic of the mapped merchant
// (single and priority lists DEFAULT, volume_split VOLUME, advanced RULES), so it is visible and
// editable in the dashboard, with its history. /routing/evaluate runs the merchant's active logic.
import type { EngineMerchant, EngineRoutingRule } from '../ports/decision-engine-store.ts';
import { newId } from '../crypto.ts';
import { formatAmountString } from '../money.ts';
import type { Actor, LogicDefinition } from '../priority-logic/types.ts';
import { algorithmToLogic, connectorOf, parametersToSample } from './euclid.ts';
import { teError } from './engine-wire.ts';
import { ok, type DecisionEngineDeps, type EngineAccess, type EngineAnswer, type EngineCaller } from './engine-access.ts';

const notFound: EngineAnswer = { status: 404, body: teError('Routing algorithm not found') };

/** A stored rule as /routing/list answers it. */
function listedRule(r: EngineRoutingRule) {
  return {
    id: r.ruleId,
    created_by: r.engineMerchantId,
    name: r.name,
    description: r.description,
    algorithm_data: r.algorithm,
    algorithm_for: r.algorithmFor,
    created_at: r.createdAt.toISOString(),
    modified_at: r.modifiedAt.toISOString(),
  };
}

/** The output of the rule that matched (or of the logic's defaults) in the engine's words. */
function engineOutput(def: LogicDefinition, matchedIndex: number | undefined): Record<string, unknown> {
  const rule = matchedIndex !== undefined && def.kind === 'RULES' ? def.rules[matchedIndex] : undefined;
  const out = rule?.output ?? (def.kind === 'VOLUME' ? { type: 'VOLUME_SPLIT' as const, splits: def.splits } : { type: 'PRIORITY' as const, gateways: def.defaultGateways });
  if (out.type === 'VOLUME_SPLIT') return { type: 'volume_split', splits: out.splits.map((s) => ({ connector: connectorOf(s.gateway), split: s.weight })) };
  if (out.type === 'VOLUME_SPLIT_PRIORITY') return { type: 'volume_split_priority', splits: out.splits.map((s) => ({ connectors: s.gateways.map((g) => connectorOf(g.gateway)), split: s.weight })) };
  if (out.gateways.length === 1) return { type: 'straight_through', connector: connectorOf(out.gateways[0]!.gateway) };
  return { type: 'priority', connectors: out.gateways.map((g) => connectorOf(g.gateway)) };
}

export function routingRuleCalls(deps: DecisionEngineDeps, access: EngineAccess) {
  const { routingCall, ruleOf } = access;

  async function create(m: EngineMerchant, b: Record<string, unknown>, actor: Actor): Promise<EngineAnswer> {
    const name = b.name;
    if (typeof name !== 'string' || name.trim() === '') return { status: 400, body: teError('name is required') };
    const algorithmFor = b.algorithm_for ?? 'payment';
    if (algorithmFor !== 'payment') return { status: 400, body: teError(`algorithm_for ${String(algorithmFor)} is not offered: payment only`) };
    const ruleId = b.rule_id === undefined || b.rule_id === null ? `routing_${newId('r').slice(2)}` : b.rule_id;
    if (typeof ruleId !== 'string' || !/^[A-Za-z0-9_.:-]{1,128}$/.test(ruleId)) return { status: 400, body: teError('rule_id must be 1 to 128 letters, digits, _ . : or -') };
    if (await deps.store.getRoutingRule(ruleId)) return { status: 400, body: teError(`Routing rule ${ruleId} already exists`) };
    const description = typeof b.description === 'string' ? b.description : null;
    const input = algorithmToLogic(b.algorithm, name, description);
    const logic = await deps.priorityLogic.create(actor, input);
    const rule = {
      ruleId,
      engineMerchantId: m.engineMerchantId,
      merchantId: m.merchantId,
      logicId: logic.id,
      name,
      description,
      algorithmFor: 'payment',
      algorithm: b.algorithm as Record<string, unknown>,
      metadata: typeof b.metadata === 'object' && b.metadata !== null ? (b.metadata as Record<string, unknown>) : null,
    };
    if (!(await deps.store.insertRoutingRule(rule))) return { status: 400, body: teError(`Routing rule ${ruleId} already exists`) };
    const stored = (await deps.store.getRoutingRule(ruleId))!;
    return ok({ rule_id: ruleId, name, algorithm_for: 'payment', created_at: stored.createdAt.toISOString(), modified_at: stored.modifiedAt.toISOString() });
  }

  async function update(m: EngineMerchant, b: Record<string, unknown>, actor: Actor): Promise<EngineAnswer> {
    const rule = await ruleOf(m.engineMerchantId, b.rule_id);
    if (!rule) return notFound;
    const { logic } = await deps.priorityLogic.get(actor, rule.logicId);
    const name = typeof b.name === 'string' && b.name.trim() !== '' ? b.name : rule.name;
    const description = typeof b.description === 'string' ? b.description : rule.description;
    const algorithm = (b.algorithm ?? rule.algorithm) as Record<string, unknown>;
    // A logic never changes once saved: the update is a copy (its history kept), released in its place if the old one was live.
    const input = algorithmToLogic(algorithm, name === logic.name ? `${name} (${new Date(access.now()).toISOString()})` : name, description);
    const copy = await deps.priorityLogic.copy(actor, logic.id, input, { version: logic.rowVersion });
    if (logic.status === 'ACTIVE') await deps.priorityLogic.activate(actor, copy.id, { version: copy.rowVersion });
    await deps.store.updateRoutingRule(rule.ruleId, { logicId: copy.id, name, description, algorithm, metadata: rule.metadata });
    return ok({ rule_id: rule.ruleId, name, algorithm_for: rule.algorithmFor, created_at: rule.createdAt.toISOString(), modified_at: new Date(access.now()).toISOString() });
  }

  /** /routing/evaluate: the merchant's active Priority Logic (engine-made or not) on the typed parameters. */
  async function evaluate(_m: EngineMerchant, b: Record<string, unknown>, actor: Actor): Promise<EngineAnswer> {
    const routing = await deps.priorityLogic.routing(actor);
    if (!routing.activeLogicId) return { status: 400, body: teError('No active routing algorithm for this merchant') };
    const { sample, amountMinor } = parametersToSample(b.parameters);
    const currency = typeof sample.currency === 'string' ? sample.currency : 'INR';
    if (amountMinor !== null) sample.amount = formatAmountString(amountMinor, currency);
    const explained = await deps.priorityLogic.dryRun(actor, { logicId: routing.activeLogicId, payment: sample });
    const { logic } = await deps.priorityLogic.get(actor, routing.activeLogicId);
    const matched = explained.matchedRule;
    const def = logic.definition;
    const fallback = Array.isArray(b.fallback_output) ? b.fallback_output : null;
    const produced = explained.decision.producedList.map((g) => connectorOf(g.gateway));
    return ok({
      payment_id: typeof b.payment_id === 'string' ? b.payment_id : null,
      status: matched || def.kind === 'VOLUME' ? 'success' : 'default_selection',
      output: engineOutput(def, matched?.index),
      evaluated_output: !matched && def.kind === 'RULES' && fallback ? fallback : produced,
      eligible_connectors: explained.decision.finalGateways.map((g) => connectorOf(g.gateway)),
    });
  }

  return {
    createRoutingRule: (caller: EngineCaller, body: unknown) => routingCall(caller, body, 'created_by', create),
    updateRoutingRule: (caller: EngineCaller, body: unknown) => routingCall(caller, body, 'created_by', update),
    evaluateRouting: (caller: EngineCaller, body: unknown) => routingCall(caller, body, 'created_by', evaluate),

    async activateRoutingRule(caller: EngineCaller, body: unknown, deactivate = false): Promise<EngineAnswer> {
      return routingCall(caller, body, 'created_by', async (m, b, actor) => {
        const rule = await ruleOf(m.engineMerchantId, b.routing_algorithm_id);
        if (!rule) return notFound;
        const { logic } = await deps.priorityLogic.get(actor, rule.logicId);
        if (deactivate) {
          if (logic.status !== 'ACTIVE') return { status: 400, body: teError('Routing algorithm is not active') };
          await deps.priorityLogic.deactivate(actor, logic.id, { version: logic.rowVersion });
        } else if (logic.status !== 'ACTIVE') {
          await deps.priorityLogic.activate(actor, logic.id, { version: logic.rowVersion });
        }
        return { status: 200, body: null };
      });
    },

    async deleteRoutingRule(caller: EngineCaller, body: unknown): Promise<EngineAnswer> {
      return routingCall(caller, body, 'created_by', async (m, b, actor) => {
        const rule = await ruleOf(m.engineMerchantId, b.rule_id ?? b.routing_algorithm_id);
        if (!rule) return notFound;
        const { logic } = await deps.priorityLogic.get(actor, rule.logicId);
        await deps.priorityLogic.remove(actor, logic.id, { version: logic.rowVersion });
        await deps.store.deleteRoutingRule(rule.ruleId);
        return ok({ message: 'Routing algorithm deleted successfully', rule_id: rule.ruleId });
      });
    },

    async listRoutingRules(caller: EngineCaller, engineMerchantId: string, activeOnly: boolean): Promise<EngineAnswer> {
      return routingCall(caller, { created_by: engineMerchantId }, 'created_by', async (m, _b, actor) => {
        const rules = await deps.store.listRoutingRules(m.engineMerchantId);
        const active = activeOnly ? (await deps.priorityLogic.routing(actor)).activeLogicId : null;
        return ok(rules.filter((r) => !activeOnly || r.logicId === active).map(listedRule));
      });
    },
  };
}
