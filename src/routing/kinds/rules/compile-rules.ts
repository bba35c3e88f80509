// The rule compiler: turns a rule list into a tree of closures once, so a decision is a walk
// over pre-resolved accessors with pre-parsed values (Sets for membership, numbers for ranges).
// The conditions are compiled in compile-condition.ts, the first-level index in rule-index.ts.
// No eval / new Function: merchant-authored data never becomes code.

import type { CompiledLogic, GatewayRef, RoutingPayment, Rule, RulesLogic } from '../../types.ts';
import { structuralErrors } from '../../validate.ts';
import { interpretRules as interpretRulesIndex } from './interpret-rules.ts';
import { prepareOutput } from './rule-output.ts';
import { compileNode, Slots, type MatchContext } from './compile-condition.ts';
import { buildIndex } from './rule-index.ts';

export { compileCondition } from './compile-condition.ts';

export interface CompiledRules {
  /** Index of the first matching rule, or -1. */
  match(p: RoutingPayment): number;
  resolve(index: number, p: RoutingPayment): GatewayRef[];
  /** The dimension the rules are indexed on, if any (diagnostics). */
  readonly indexedOn: string | null;
}

export interface CompileRulesOptions {
  /** 'auto' (default) indexes rule sets of 8 or more when it pays; true tries to index any set; false never. */
  index?: 'auto' | boolean;
  /** Forces the index onto this dimension when it can be built (tests, diagnostics). */
  indexOn?: string;
}

export function compileRules(rules: readonly Rule[], opts: CompileRulesOptions = {}): CompiledRules {
  const slots = new Slots();
  const preds = rules.map((r) => compileNode(r.condition, slots));
  const outputs = rules.map((r) => prepareOutput(r.output));
  const n = preds.length;
  const mode = opts.index ?? 'auto';
  const index = mode === false || (mode === 'auto' && n < 8 && opts.indexOn === undefined) ? null : buildIndex(rules, slots, opts.indexOn);
  const nSlots = slots.size;
  // One context per compiled matcher, reset per call: matching is synchronous, so calls never
  // overlap, and the hot path allocates nothing.
  const shared: MatchContext = { p: undefined as unknown as RoutingPayment, u: new Array(nSlots) };
  const newCtx = (p: RoutingPayment): MatchContext => {
    shared.p = p;
    if (nSlots > 0) shared.u.fill(undefined);
    return shared;
  };
  const resolve = (i: number, p: RoutingPayment) => outputs[i](p);
  if (index === null) {
    return {
      indexedOn: null,
      match(p) {
        const ctx = newCtx(p);
        for (let i = 0; i < n; i++) if (preds[i](ctx)) return i;
        return -1;
      },
      resolve,
    };
  }
  const candidates = index.candidates;
  return {
    indexedOn: index.dimension,
    match(p) {
      const ctx = newCtx(p);
      const list = candidates(ctx);
      for (let j = 0; j < list.length; j++) {
        const i = list[j];
        if (preds[i](ctx)) return i;
      }
      return -1;
    },
    resolve,
  };
}

/**
 * A rule-based logic: first match wins; no match → the default gateways. Rules that fail
 * validation make the whole logic a COMPILATION_ERROR at evaluation, so the fallback runs.
 */
export function compileRulesLogic(logic: RulesLogic, matcher: 'compiled' | 'interpreted' = 'compiled'): CompiledLogic {
  const compileErrors = structuralErrors(logic);
  const compiled = compileRules(logic.rules);
  const defaults = logic.defaultGateways;
  return {
    kind: 'RULES',
    name: logic.name,
    enforce: logic.enforce,
    defaultGateways: defaults,
    compileErrors,
    source: logic,
    evaluate(p) {
      if (compileErrors.length > 0) return { ok: false, reason: 'COMPILATION_ERROR', message: compileErrors.join('; ') };
      const i = matcher === 'compiled' ? compiled.match(p) : interpretRulesIndex(logic.rules, p);
      if (i < 0) return { ok: true, gateways: defaults.slice(), enforced: logic.enforce, outcome: 'NO_RULE_MATCHED' };
      const gateways = compiled.resolve(i, p);
      return { ok: true, gateways, enforced: logic.enforce, outcome: 'RULE_MATCHED', matchedRule: { index: i, name: logic.rules[i].name } };
    },
    dispose() {},
  };
}
