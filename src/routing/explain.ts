// Dry run with a full trace: which rule matched, why each earlier rule did not (the leaf that
// failed, actual against expected), and the decision record the engine would produce.

import { createRoutingEngine, type DecisionInput, type RoutingDecisionRecord, type RoutingEngine } from './decide.ts';
import { traceCondition, type ConditionTrace, type LeafTrace } from './kinds/rules/interpret-rules.ts';
import type { CompiledLogic, LogicDefinition, RoutingPayment } from './types.ts';
import { validateLogic, type ValidationError } from './validate.ts';

export interface RuleExplanation {
  /** The rule's 0-based position in the logic's `rules` (machine field; people are shown `index + 1`, "Rule 1" for the first). */
  index: number;
  name: string;
  matched: boolean;
  /** The leaves that made the rule fail (for an `all`, the first failing; for an `any`, each one). */
  failedLeaves: LeafTrace[];
  trace: ConditionTrace;
}

export interface Explanation {
  validationErrors: ValidationError[];
  /** `index` is 0-based, as in the decision record's `matchedRule` (the first rule is index 0, "Rule 1" to people). */
  matchedRule: { index: number; name: string } | null;
  /** Every rule up to and including the matching one, in order. Empty for non-rule kinds. */
  rules: RuleExplanation[];
  decision: RoutingDecisionRecord;
  /** False would mean the compiled evaluator and the reference interpreter disagree (a bug). */
  consistent: boolean;
}

export interface ExplainInput {
  logic: LogicDefinition | CompiledLogic;
  payment: RoutingPayment;
  engine?: RoutingEngine;
  id?: string;
  version?: number;
  fallback?: DecisionInput['fallback'];
}

function failedLeaves(t: ConditionTrace): LeafTrace[] {
  if (t.leaf) return t.leaf.result ? [] : [t.leaf];
  return (t.children ?? []).filter((c) => !c.result).flatMap(failedLeaves);
}

function isCompiled(l: LogicDefinition | CompiledLogic): l is CompiledLogic {
  return typeof (l as CompiledLogic).evaluate === 'function';
}

export function explain(input: ExplainInput): Explanation {
  const engine = input.engine ?? createRoutingEngine();
  return explainWith(input, engine, (d) => engine.decide(d));
}

/** explain() for an engine whose code logics run in the worker pool (the code runs in the edit lane). */
export async function explainAsync(input: ExplainInput): Promise<Explanation> {
  const engine = input.engine ?? createRoutingEngine();
  const payment = { ...input.payment, dryRun: true };
  const compiled = isCompiled(input.logic) ? input.logic : engine.compile(input.logic);
  try {
    const decided = await engine.decideAsync(decisionInputOf({ ...input, payment }, compiled));
    return explainWith({ ...input, payment, logic: compiled }, engine, () => decided);
  } finally {
    if (!isCompiled(input.logic)) compiled.dispose();
  }
}

function decisionInputOf(input: ExplainInput, compiled: CompiledLogic): DecisionInput {
  const decisionInput: DecisionInput = {
    payment: input.payment,
    active: { id: input.id ?? 'draft', name: compiled.source.name, version: input.version ?? 0, compiled },
  };
  if (input.fallback) decisionInput.fallback = input.fallback;
  return decisionInput;
}

function explainWith(input: ExplainInput, engine: RoutingEngine, decide: (d: DecisionInput) => RoutingDecisionRecord): Explanation {
  const compiled = isCompiled(input.logic) ? input.logic : engine.compile(input.logic);
  const definition = compiled.source;
  const ownCompile = !isCompiled(input.logic);
  try {
    const rules: RuleExplanation[] = [];
    let matchedRule: Explanation['matchedRule'] = null;
    if (definition.kind === 'RULES') {
      for (let i = 0; i < definition.rules.length; i++) {
        const r = definition.rules[i];
        const trace = traceCondition(r.condition, input.payment, `rules[${i}].condition`);
        rules.push({ index: i, name: r.name, matched: trace.result, failedLeaves: trace.result ? [] : failedLeaves(trace), trace });
        if (trace.result) {
          matchedRule = { index: i, name: r.name };
          break;
        }
      }
    }
    const decision = decide(decisionInputOf(input, compiled));
    const consistent = definition.kind !== 'RULES' || decision.logic.role !== 'PRIMARY' || (decision.matchedRule?.index ?? null) === (matchedRule?.index ?? null);
    return { validationErrors: validateLogic(definition, { gateways: input.payment.gateways }), matchedRule, rules, decision, consistent };
  } finally {
    if (ownCompile) compiled.dispose();
  }
}
