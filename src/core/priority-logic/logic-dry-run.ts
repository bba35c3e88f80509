// Trying a logic without releasing it: a dry run against a sample payment (the full trace and the
// decision record) and the rule analysis against the merchant's gateway accounts. Nothing is stored.
import { analyzeRules, explainAsync, parseLogicDocument, type Explanation, type LogicDefinition, type RoutingEngine, type RuleAnalysis } from '../../routing/index.ts';
import { missingField } from '../errors.ts';
import { SUPPORTED_TYPES } from '../payments/payment-input.ts';
import type { PriorityLogicStore } from '../ports/priority-logic-store.ts';
import type { RoutingAccount } from '../ports/router.ts';
import { hasRight, requireRight } from './access.ts';
import { samplePayment, type SamplePayment } from './dry-run-input.ts';
import { definitionOf, documentOf, validationFailure, type LogicInput } from './logic-input.ts';
import { requireLogic } from './logic-change.ts';
import type { Actor } from './types.ts';

export interface DryRunDeps {
  store: PriorityLogicStore;
  /** The merchant's gateway accounts (the routing candidates). */
  gatewayAccounts(merchantId: string): Promise<readonly RoutingAccount[]>;
  engine: RoutingEngine;
  now: () => Date;
}

/** Runs a stored logic or a draft against a sample payment: the full trace and the decision record. */
export async function dryRun(deps: DryRunDeps, actor: Actor, input: { logicId?: string; logic?: LogicInput; payment: SamplePayment }): Promise<Explanation & { logicId: string | null }> {
  // Editors test what they build; approvers test what they are asked to approve.
  if (!hasRight(actor, 'approve')) requireRight(actor, 'edit');
  let definition: LogicDefinition;
  let id: string | undefined;
  let version: number | undefined;
  if (input.logicId) {
    const stored = await requireLogic(deps.store, actor.merchantId, input.logicId);
    definition = stored.definition;
    id = stored.id;
    version = stored.version;
  } else if (input.logic) {
    const doc = documentOf({ ...input.logic, name: input.logic.name ?? 'draft' });
    const parsed = parseLogicDocument(doc);
    if (!parsed.ok) {
      const structural = parsed.errors.filter((e) => e.code === 'INVALID_DOCUMENT');
      if (structural.length > 0) throw validationFailure(parsed.errors);
    }
    // Validation problems do not stop a dry run: the explanation lists them.
    definition = parsed.ok ? parsed.logic : definitionOf(doc);
  } else {
    throw missingField('logic_id');
  }
  const candidates = await deps.gatewayAccounts(actor.merchantId);
  const payment = samplePayment(actor.merchantId, input.payment ?? {}, candidates, deps.now().getTime());
  const explanation = await explainAsync({ logic: definition, payment, engine: deps.engine, ...(id ? { id } : {}), ...(version !== undefined ? { version } : {}) });
  return { ...explanation, logicId: id ?? null };
}

/**
 * Rule analysis of a stored logic or a valid draft against the merchant's gateway accounts:
 * warnings (rules that never match or are shadowed, overlaps with a witness payment, gateways a
 * rule's payments cannot use, enforced lists that leave payments without a gateway). Only
 * rule-based logics have rules to analyse; others answer no warnings. Nothing is stored.
 */
export async function analyzeLogic(deps: DryRunDeps, actor: Actor, input: { logicId?: string; logic?: LogicInput }): Promise<RuleAnalysis & { logicId: string | null; kind: LogicDefinition['kind'] }> {
  requireRight(actor, 'read');
  let definition: LogicDefinition;
  let id: string | null = null;
  if (input.logicId) {
    const stored = await requireLogic(deps.store, actor.merchantId, input.logicId);
    definition = stored.definition;
    id = stored.id;
  } else if (input.logic) {
    const parsed = parseLogicDocument(documentOf({ ...input.logic, name: input.logic.name ?? 'draft' }));
    if (!parsed.ok) throw validationFailure(parsed.errors);
    definition = parsed.logic;
  } else {
    throw missingField('logic_id');
  }
  if (definition.kind !== 'RULES') return { analysed: true, warnings: [], examples: [], logicId: id, kind: definition.kind };
  const accounts = await deps.gatewayAccounts(actor.merchantId);
  // A payment's method type is one the payment API accepts: the analysis reasons over those only.
  return { ...analyzeRules(definition, accounts, { closedVocabularies: { payment_method_type: SUPPORTED_TYPES } }), logicId: id, kind: definition.kind };
}
