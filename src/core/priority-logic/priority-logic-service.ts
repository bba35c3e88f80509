// Priority Logic management: the lifecycle of a merchant's routing logics (create, copy, import,
// delete, full and staggered release, promote, revoke, deactivate, fallback, approval of code),
// with role checks, optimistic concurrency (row versions) and an audit row per change, written
// in the same transaction. Reads that need the plain store run before the transaction opens
// (PGlite has one connection). Each use case lives in its own module; this file wires them.
import type { AsyncCodeEvaluator, CodeEvaluator, LogicDocument, RoutingEngine } from '../../routing/index.ts';
import type { PriorityLogicStore } from '../ports/priority-logic-store.ts';
import type { RoutingAccount } from '../ports/router.ts';
import { hasRight } from './access.ts';
import { guardAct } from './guard-action.ts';
import { approveLogic, rejectLogic } from './logic-approval.ts';
import { copyLogic, createLogic, exportLogic, importLogicDocument, removeLogic } from './logic-authoring.ts';
import type { Expected } from './logic-change.ts';
import { analyzeLogic, dryRun } from './logic-dry-run.ts';
import type { LogicInput } from './logic-input.ts';
import { logicMetrics, type MetricsWindow } from './logic-metrics.ts';
import { auditTrail, getLogic, getRouting, listLogics, logicGuards, logicVersions, recentGuards } from './logic-reads.ts';
import { activateLogic, deactivateLogic, promoteLogic, revokeLogic, setFallbackLogic, staggerLogic, unsetFallbackLogic } from './logic-release.ts';
import type { SamplePayment } from './dry-run-input.ts';
import type { FeeRuleLookup, GuardAction } from './release-guard-service.ts';
import type { GuardEvidence, GuardInput } from './release-guard.ts';
import type { Actor, LogicListFilter, ReleaseGuard } from './types.ts';

export { hasRight } from './access.ts';
export type { Expected } from './logic-change.ts';
export { percentShares, type LogicMetrics, type MetricsReport, type MetricsWindow } from './logic-metrics.ts';

export interface PriorityLogicServiceDeps {
  store: PriorityLogicStore;
  /** The merchant's gateway accounts (the routing candidates). */
  gatewayAccounts(merchantId: string): Promise<readonly RoutingAccount[]>;
  engine: RoutingEngine;
  codeEvaluator?: CodeEvaluator | AsyncCodeEvaluator;
  /** Called after every committed change of a merchant's logics or routing (router cache). */
  onChange?(merchantId: string): void;
  /** Where the merchant's webhooks go (the release guard's PRIORITY_LOGIC_* events); none when absent. */
  webhookTarget?(merchantId: string): Promise<{ url: string | null; version: string | null }>;
  /** The fee rule of a gateway account for a segment (the release guard's cost metric). */
  feeRule?: FeeRuleLookup;
  now?: () => Date;
}

export function createPriorityLogicService(deps: PriorityLogicServiceDeps) {
  const ctx = {
    store: deps.store,
    engine: deps.engine,
    gatewayAccounts: deps.gatewayAccounts,
    codeEvaluator: deps.codeEvaluator,
    feeRule: deps.feeRule,
    webhookTarget: deps.webhookTarget,
    now: deps.now ?? (() => new Date()),
    ...(deps.onChange ? { onChange: deps.onChange } : {}),
  };
  return {
    hasRight,
    list: (actor: Actor, filter: LogicListFilter) => listLogics(ctx, actor, filter),
    get: (actor: Actor, logicId: string) => getLogic(ctx, actor, logicId),
    routing: (actor: Actor) => getRouting(ctx, actor),
    create: (actor: Actor, input: LogicInput) => createLogic(ctx, actor, input),
    /** Editing is copying: the source's fields, overridden by `changes`, saved as a new logic. */
    copy: (actor: Actor, sourceId: string, changes: LogicInput, expected: Expected = {}) => copyLogic(ctx, actor, sourceId, changes, expected),
    /** Import: a logic document (the export format), with exactly the validation of create. */
    importDocument: (actor: Actor, document: unknown, rename?: string) => importLogicDocument(ctx, actor, document, rename),
    exportDocument: (actor: Actor, logicId: string): Promise<LogicDocument> => exportLogic(ctx, actor, logicId),
    remove: (actor: Actor, logicId: string, expected: Expected) => removeLogic(ctx, actor, logicId, expected),
    activate: (actor: Actor, logicId: string, expected: Expected) => activateLogic(ctx, actor, logicId, expected),
    stagger: (actor: Actor, logicId: string, percentage: number, expected: Expected, guardInput?: GuardInput) => staggerLogic(ctx, actor, logicId, percentage, expected, guardInput),
    versions: (actor: Actor, logicId: string) => logicVersions(ctx, actor, logicId),
    recentGuards: (actor: Actor): Promise<ReleaseGuard[]> => recentGuards(ctx, actor),
    guards: (actor: Actor, logicId: string): Promise<ReleaseGuard[]> => logicGuards(ctx, actor, logicId),
    guardAct: (guard: ReleaseGuard, evidence: GuardEvidence, action: GuardAction) => guardAct(ctx, guard, evidence, action),
    promote: (actor: Actor, logicId: string, expected: Expected) => promoteLogic(ctx, actor, logicId, expected),
    revoke: (actor: Actor, logicId: string, expected: Expected) => revokeLogic(ctx, actor, logicId, expected),
    deactivate: (actor: Actor, logicId: string, expected: Expected) => deactivateLogic(ctx, actor, logicId, expected),
    setFallback: (actor: Actor, logicId: string, expected: Expected) => setFallbackLogic(ctx, actor, logicId, expected),
    unsetFallback: (actor: Actor, expected: Expected) => unsetFallbackLogic(ctx, actor, expected),
    approve: (actor: Actor, logicId: string, expected: Expected) => approveLogic(ctx, actor, logicId, expected),
    reject: (actor: Actor, logicId: string, expected: Expected, reason: string | undefined) => rejectLogic(ctx, actor, logicId, expected, reason),
    auditTrail: (actor: Actor, filter: { logicId?: string; limit?: number }) => auditTrail(ctx, actor, filter),
    dryRun: (actor: Actor, input: { logicId?: string; logic?: LogicInput; payment: SamplePayment }) => dryRun(ctx, actor, input),
    analyze: (actor: Actor, input: { logicId?: string; logic?: LogicInput }) => analyzeLogic(ctx, actor, input),
    /** Per-logic figures over a window, from the decisions stored on the transactions. */
    metrics: (actor: Actor, window: MetricsWindow) => logicMetrics(ctx, actor, window),
  };
}

export type PriorityLogicService = ReturnType<typeof createPriorityLogicService>;
