// Priority Logic management: the lifecycle of a merchant's routing logics (create, copy, import,
// delete, full and staggered release, promote, revoke, deactivate, fallback, approval of code),
// with role checks, optimistic concurrency (row versions) and an audit row per change, written
// in the same transaction. Reads that need the plain store run before the transaction opens
// (PGlite has one connection).
import {
  analyzeRules, exportLogicDocument, explainAsync, parseLogicDocument,
  type AsyncCodeEvaluator, type RuleAnalysis, type CodeEvaluator, type Explanation, type LogicDefinition, type LogicDocument, type RoutingEngine,
} from '../../routing/index.ts';
import { newId } from '../crypto.ts';
import { SUPPORTED_TYPES } from '../payments/payment-input.ts';
import { AppError, invalidField, missingField, notFound } from '../errors.ts';
import type { PriorityLogicStore, PriorityLogicTx } from '../ports/priority-logic-store.ts';
import type { RoutingAccount } from '../ports/router.ts';
import type { FeeRuleLookup } from './release-guard-service.ts';
import { samplePayment, type SamplePayment } from './dry-run-input.ts';
import { documentOf, mergeInput, readLogic, validationFailure, type LogicInput } from './logic-input.ts';
import { guardBaseline, guardWebhook, GUARD_ACTOR_ID, type GuardAction } from './release-guard-service.ts';
import { plannedSample, type GuardEvidence, type GuardInput } from './release-guard.ts';
import type { Actor, AuditEntry, LogicListFilter, PriorityLogic, ReleaseGuard, Right, RoutingConfig } from './types.ts';

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

/** Versions the caller last saw: the logic's row version and, where relevant, the routing version. */
export interface Expected {
  version?: number | undefined;
  routingVersion?: number | undefined;
}

export interface MetricsWindow {
  from: Date;
  to: Date;
  /** Also cut the window into this many equal slices, per logic (the dashboard's trend lines). */
  trendSlices?: number;
}

export interface TrendPoint {
  from: Date;
  decided: number;
  successRate: number | null;
}

export interface LogicMetrics {
  logicId: string;
  name: string | null;
  kind: string | null;
  status: string | null;
  roles: string[];
  decided: number;
  trafficPercent: number;
  undecidedPercent: number;
  successRate: number | null;
  settled: number;
  succeeded: number;
  volume: { count: number; amounts: { currency: string; count: number; amount: number }[] };
  latencyMs: { p50: number | null; p95: number | null };
  /** Present when the window was asked for in slices. */
  trend?: TrendPoint[];
}

export interface MetricsReport {
  from: Date;
  to: Date;
  totalDecided: number;
  routing: RoutingConfig | null;
  logics: LogicMetrics[];
}

const RIGHTS: Record<Actor['role'], readonly Right[]> = {
  VIEWER: ['read'],
  EDITOR: ['read', 'edit'],
  ADMIN: ['read', 'edit', 'release'],
  APPROVER: ['read', 'approve'],
};

export function hasRight(actor: Actor, right: Right): boolean {
  if (right === 'approve' && actor.kind !== 'USER') return false; // the API key is never an approver
  return RIGHTS[actor.role].includes(right);
}

function requireRight(actor: Actor, right: Right): void {
  if (!hasRight(actor, right)) throw new AppError('UNAUTHORIZED', 'You do not have access');
}

function syncConflict(field: string, reason: string): AppError {
  return new AppError('SYNC_CONFLICT', undefined, { fields: [{ field_name: field, reason }] });
}

function invalidAction(message: string, field = 'status'): AppError {
  return new AppError('INVALID_ACTION', message, { fields: [{ field_name: field, reason: message }] });
}

function summary(l: PriorityLogic): Record<string, unknown> {
  return { id: l.id, name: l.name, kind: l.kind, version: l.version, status: l.status, row_version: l.rowVersion, approved_by: l.approvedBy, deleted: l.deletedAt !== null };
}

function routingSummary(r: RoutingConfig): Record<string, unknown> {
  return {
    active_logic_id: r.activeLogicId, staggered_logic_id: r.staggeredLogicId, stagger_percentage: r.staggerPercentage,
    fallback_logic_id: r.fallbackLogicId, version: r.version,
  };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

function guardSummary(g: ReleaseGuard): Record<string, unknown> {
  return {
    id: g.id, state: g.state, metric: g.metric, tolerance: g.tolerance, detectable_effect: g.detectableEffect, min_sample: g.minSample,
    planned_sample: g.plannedSample, alpha: g.alpha, auto_promote: g.autoPromote, baseline_logic_id: g.baselineLogicId,
  };
}

/** The guard's action found the guard already stopped (a user promoted or revoked meanwhile). */
class GuardStopped extends Error {}

/**
 * Each count's share of the total in percent with `decimals` decimals, rounded so that the shares add
 * up to exactly 100 (largest remainder: the units lost to rounding down go to the largest remainders,
 * the earlier entry first on a tie). All zeros when the total is 0.
 */
export function percentShares(counts: readonly number[], decimals = 2): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  if (total <= 0) return counts.map(() => 0);
  const scale = 100 * 10 ** decimals;
  const units = counts.map((c) => Math.floor((c * scale) / total));
  let left = scale - units.reduce((s, u) => s + u, 0);
  const order = counts.map((c, i) => ({ i, rem: (c * scale) % total })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i, rem } of order) {
    if (left <= 0 || rem === 0) break;
    units[i] += 1;
    left--;
  }
  return units.map((u) => u / 10 ** decimals);
}

export function createPriorityLogicService(deps: PriorityLogicServiceDeps) {
  const { store, engine } = deps;
  const now = deps.now ?? (() => new Date());

  const audit = (tx: PriorityLogicTx, actor: Actor, action: string, logicId: string | null, before: Record<string, unknown> | null, after: Record<string, unknown> | null) =>
    tx.insertAudit({
      id: newId('plaud'), merchantId: actor.merchantId, logicId, actorId: actor.id, actorRole: actor.kind === 'USER' ? actor.role : actor.kind,
      action, before, after, requestId: actor.requestId ?? null,
    });

  const requireLogic = async (merchantId: string, logicId: string): Promise<PriorityLogic> => {
    const logic = await store.getLogic(merchantId, logicId);
    if (!logic) throw notFound('Priority Logic');
    return logic;
  };

  const validationDeps = async (merchantId: string) => {
    const [names, candidates] = await Promise.all([store.logicNames(merchantId), deps.gatewayAccounts(merchantId)]);
    return {
      existingNames: names, gateways: candidates,
      ...(deps.codeEvaluator ? { codeEvaluator: deps.codeEvaluator } : {}),
      owner: { tenant: merchantId, lane: 'edit' as const },
    };
  };

  const committed = <T>(merchantId: string, value: T): T => {
    deps.onChange?.(merchantId);
    return value;
  };

  /** Inserts a validated logic (create, copy, import) with its audit row. */
  const insert = async (actor: Actor, definition: LogicDefinition, action: string, lineage: { version: number; copiedFrom: string | null }): Promise<PriorityLogic> => {
    const logic = await store.transaction(async (tx) => {
      const inserted = await tx.insertLogic({
        id: newId('pl'), merchantId: actor.merchantId, name: definition.name.trim(), description: definition.description ?? null, kind: definition.kind,
        version: lineage.version, definition, status: definition.kind === 'CODE' ? 'PENDING_APPROVAL' : 'INACTIVE', createdBy: actor.id,
        copiedFrom: lineage.copiedFrom,
      });
      if (!inserted) throw validationFailure([{ code: 'NAME_ALREADY_EXISTS', field: 'name', message: 'Configuration Name already exists' }]);
      await audit(tx, actor, action, inserted.id, null, { ...summary(inserted), ...(lineage.copiedFrom ? { copied_from: lineage.copiedFrom } : {}) });
      return inserted;
    });
    return committed(actor.merchantId, logic);
  };

  /** A change's result; `reason` (a rejection's) goes into the audit row's after. */
  type Change = (ctx: { tx: PriorityLogicTx; logic: PriorityLogic; routing: RoutingConfig }) => Promise<{
    logic: PriorityLogic; routing: RoutingConfig; reason?: string; auditExtra?: Record<string, unknown>;
  }>;

  /**
   * Runs one lifecycle change under locks: the merchant's routing row, then the logic; both
   * versions the caller saw must still hold. Writes the audit row of the change.
   */
  const change = async (actor: Actor, logicId: string, expected: Expected, action: string, apply: Change, options: { versionRequired?: boolean } = {}): Promise<{ logic: PriorityLogic; routing: RoutingConfig }> => {
    requireRight(actor, action === 'APPROVE' || action === 'REJECT' ? 'approve' : action === 'DELETE' ? 'edit' : 'release');
    if (expected.version === undefined && options.versionRequired !== false) throw missingField('version');
    const result = await store.transaction(async (tx) => {
      const routing = await tx.lockRouting(actor.merchantId);
      if (expected.routingVersion !== undefined && expected.routingVersion !== routing.version) {
        throw syncConflict('routing_version', `the routing configuration is at version ${routing.version}, not ${expected.routingVersion}`);
      }
      const logic = await tx.lockLogic(actor.merchantId, logicId);
      if (!logic) throw notFound('Priority Logic');
      if (expected.version !== undefined && expected.version !== logic.rowVersion) {
        throw syncConflict('version', `the logic is at version ${logic.rowVersion}, not ${expected.version}`);
      }
      const after = await apply({ tx, logic, routing });
      // A staggered release that ends by a user's action (promote, revoke, activate ...) ends its guard.
      if (routing.staggeredLogicId && after.routing.staggeredLogicId !== routing.staggeredLogicId) {
        const guard = await tx.lockRunningGuard(actor.merchantId);
        if (guard && guard.logicId === routing.staggeredLogicId) await tx.updateGuard(guard.id, { state: 'ENDED', endReason: action, endedAt: now() });
      }
      await audit(tx, actor, action, logic.id, { logic: summary(logic), routing: routingSummary(routing) }, {
        logic: summary(after.logic), routing: routingSummary(after.routing), ...(after.reason ? { reason: after.reason } : {}), ...(after.auditExtra ?? {}),
      });
      return after;
    });
    return committed(actor.merchantId, result);
  };

  /** The logic that was fully active steps down (INACTIVE), with its own audit row. */
  const retire = async (tx: PriorityLogicTx, actor: Actor, logicId: string | null, action: string): Promise<void> => {
    if (!logicId) return;
    const previous = await tx.lockLogic(actor.merchantId, logicId);
    if (!previous || previous.status === 'INACTIVE') return;
    const updated = await tx.updateLogic(previous.id, { status: 'INACTIVE' });
    await audit(tx, actor, action, previous.id, summary(previous), summary(updated));
  };

  const releasable = (logic: PriorityLogic, routing: RoutingConfig): void => {
    if (logic.status === 'PENDING_APPROVAL') throw new AppError('APPROVAL_REQUIRED', undefined, { fields: [{ field_name: 'status', reason: 'the code-based logic is waiting for approval' }] });
    if (logic.status === 'REJECTED') throw invalidAction('This logic was rejected by an approver; copy it to make a new version');
    if (routing.fallbackLogicId === logic.id) throw invalidAction('This logic is the fallback logic: unset it as fallback first');
  };

  return {
    hasRight,

    async list(actor: Actor, filter: LogicListFilter) {
      requireRight(actor, 'read');
      const [page, routing] = await Promise.all([store.listLogics(actor.merchantId, filter), store.getRouting(actor.merchantId)]);
      return { ...page, routing };
    },

    async get(actor: Actor, logicId: string): Promise<{ logic: PriorityLogic; routing: RoutingConfig | null }> {
      requireRight(actor, 'read');
      const [logic, routing] = await Promise.all([requireLogic(actor.merchantId, logicId), store.getRouting(actor.merchantId)]);
      return { logic, routing };
    },

    async routing(actor: Actor): Promise<RoutingConfig> {
      requireRight(actor, 'read');
      return (
        (await store.getRouting(actor.merchantId)) ?? {
          merchantId: actor.merchantId, activeLogicId: null, fallbackLogicId: null, staggeredLogicId: null, staggerPercentage: null, version: 1, updatedAt: now(),
        }
      );
    },

    async create(actor: Actor, input: LogicInput): Promise<PriorityLogic> {
      requireRight(actor, 'edit');
      const definition = await readLogic(documentOf(input), await validationDeps(actor.merchantId));
      return insert(actor, definition, 'CREATE', { version: 1, copiedFrom: null });
    },

    /** Editing is copying: the source's fields, overridden by `changes`, saved as a new logic. */
    async copy(actor: Actor, sourceId: string, changes: LogicInput, expected: Expected = {}): Promise<PriorityLogic> {
      requireRight(actor, 'edit');
      const source = await requireLogic(actor.merchantId, sourceId);
      if (expected.version !== undefined && expected.version !== source.rowVersion) {
        throw syncConflict('version', `the logic is at version ${source.rowVersion}, not ${expected.version}`);
      }
      const definition = await readLogic(documentOf(mergeInput(source.definition, changes)), await validationDeps(actor.merchantId));
      return insert(actor, definition, 'COPY', { version: source.version + 1, copiedFrom: source.id });
    },

    /** Import: a logic document (the export format), with exactly the validation of create. */
    async importDocument(actor: Actor, document: unknown, rename?: string): Promise<PriorityLogic> {
      requireRight(actor, 'edit');
      if (typeof document !== 'object' || document === null || Array.isArray(document)) {
        throw invalidField('body', 'must be a Priority Logic document (a JSON object)');
      }
      const doc = rename !== undefined ? { ...(document as Record<string, unknown>), name: rename } : document;
      const definition = await readLogic(doc, await validationDeps(actor.merchantId));
      return insert(actor, definition, 'IMPORT', { version: 1, copiedFrom: null });
    },

    async exportDocument(actor: Actor, logicId: string): Promise<LogicDocument> {
      requireRight(actor, 'read');
      const logic = await requireLogic(actor.merchantId, logicId);
      return exportLogicDocument(logic.definition, now().toISOString());
    },

    async remove(actor: Actor, logicId: string, expected: Expected): Promise<PriorityLogic> {
      return (
        await change(actor, logicId, expected, 'DELETE', async ({ tx, logic, routing }) => {
          if (logic.status === 'ACTIVE' || logic.status === 'STAGGERED' || routing.activeLogicId === logic.id || routing.staggeredLogicId === logic.id) {
            throw new AppError('LOGIC_IS_LIVE', undefined, { fields: [{ field_name: 'status', reason: `the logic is ${logic.status}` }] });
          }
          if (routing.fallbackLogicId === logic.id) throw invalidAction('This logic is the fallback logic: unset it as fallback before deleting it');
          return { logic: await tx.updateLogic(logic.id, { deletedAt: now() }), routing };
        })
      ).logic;
    },

    /** Full release: 100% of traffic moves to this logic; the previously active one becomes INACTIVE. */
    async activate(actor: Actor, logicId: string, expected: Expected) {
      return change(actor, logicId, expected, 'ACTIVATE', async ({ tx, logic, routing }) => {
        if (logic.status === 'ACTIVE') throw invalidAction('This logic is already active');
        releasable(logic, routing);
        if (routing.staggeredLogicId && routing.staggeredLogicId !== logic.id) {
          throw invalidAction('Another logic is in a staggered release: promote or revoke it first');
        }
        await retire(tx, actor, routing.activeLogicId, 'REPLACED');
        const updated = await tx.updateLogic(logic.id, { status: 'ACTIVE' });
        const nextRouting = await tx.updateRouting(actor.merchantId, { activeLogicId: logic.id, staggeredLogicId: null, staggerPercentage: null });
        return { logic: updated, routing: nextRouting };
      });
    },

    /**
     * Staggered release: `percentage` of orders (sticky per order) go to this logic, the rest stay on
     * the active one. With a guard, the release rolls itself back when the new logic is shown worse
     * (release-guard.ts); a new guard replaces a running one, none keeps it.
     */
    async stagger(actor: Actor, logicId: string, percentage: number, expected: Expected, guardInput?: GuardInput) {
      if (typeof percentage !== 'number' || !Number.isFinite(percentage) || percentage < 1 || percentage > 99 || Math.round(percentage * 100) !== percentage * 100) {
        throw invalidField('percentage', 'must be a number from 1 to 99 (at most 2 decimals)');
      }
      // The design's baseline is read before the transaction opens (PGlite has one connection).
      const current = guardInput ? await store.getRouting(actor.merchantId) : null;
      const baseline = guardInput && current?.activeLogicId ? await guardBaseline(store, actor.merchantId, current.activeLogicId, guardInput.metric, now(), deps.feeRule) : null;
      return change(actor, logicId, expected, 'STAGGER', async ({ tx, logic, routing }) => {
        if (logic.status === 'ACTIVE') throw invalidAction('This logic is already fully active');
        releasable(logic, routing);
        if (!routing.activeLogicId) throw invalidAction('A staggered release needs an active logic: release one fully first');
        if (routing.staggeredLogicId && routing.staggeredLogicId !== logic.id) {
          throw invalidAction('Another logic is in a staggered release: promote or revoke it first');
        }
        const updated = logic.status === 'STAGGERED' ? await tx.updateLogic(logic.id, {}) : await tx.updateLogic(logic.id, { status: 'STAGGERED' });
        const nextRouting = await tx.updateRouting(actor.merchantId, { staggeredLogicId: logic.id, staggerPercentage: percentage });
        if (!guardInput) return { logic: updated, routing: nextRouting };
        const running = await tx.lockRunningGuard(actor.merchantId);
        if (running) await tx.updateGuard(running.id, { state: 'ENDED', endReason: 'REPLACED', endedAt: now() });
        let planned = guardInput.plannedSample;
        if (planned === null) {
          if (!baseline || current?.activeLogicId !== routing.activeLogicId) {
            throw invalidField('release_guard.planned_sample', 'is needed: the active logic has too few settled payments in the last 7 days to size the design on (at least 100)');
          }
          planned = plannedSample(guardInput, baseline, percentage);
        }
        const guard = await tx.insertGuard({
          ...guardInput, plannedSample: planned, id: newId('rg'), merchantId: actor.merchantId, logicId: logic.id, baselineLogicId: routing.activeLogicId,
          staggerPercentage: percentage, createdBy: actor.id,
        });
        return { logic: updated, routing: nextRouting, auditExtra: { release_guard: guardSummary(guard) } };
      });
    },

    /** A logic's versions (the copies it comes from and the copies made from them): History's Compare versions. */
    async versions(actor: Actor, logicId: string): Promise<PriorityLogic[]> {
      requireRight(actor, 'read');
      await requireLogic(actor.merchantId, logicId);
      return store.lineage(actor.merchantId, logicId);
    },

    /** The merchant's latest guards, every logic's (the dashboard's rollback banner). */
    async recentGuards(actor: Actor): Promise<ReleaseGuard[]> {
      requireRight(actor, 'read');
      return store.recentGuards(actor.merchantId, 20);
    },

    /** The guards of a logic's staggered releases, the latest first. */
    async guards(actor: Actor, logicId: string): Promise<ReleaseGuard[]> {
      requireRight(actor, 'read');
      await requireLogic(actor.merchantId, logicId);
      return store.guardsOf(actor.merchantId, logicId, 20);
    },

    /**
     * The guard acts on its evidence (the guard worker): WORSE revokes the stagger, PASSED promotes it
     * when the merchant asked for that, else only ends the guard. Runs as the system actor, under the
     * same locks and audit as a user's change; a guard that stopped meanwhile (a user acted) does nothing.
     */
    async guardAct(guard: ReleaseGuard, evidence: GuardEvidence, action: GuardAction): Promise<boolean> {
      const target = action === 'PASS' ? null : await deps.webhookTarget?.(guard.merchantId);
      const system: Actor = { merchantId: guard.merchantId, kind: 'SYSTEM', id: GUARD_ACTOR_ID, role: 'ADMIN' };
      const auditAction = action === 'ROLLBACK' ? 'GUARD_ROLLBACK' : action === 'PROMOTE' ? 'GUARD_PROMOTE' : 'GUARD_PASS';
      let acted = false;
      try {
        await change(system, guard.logicId, {}, auditAction, async ({ tx, logic, routing }) => {
          const running = await tx.lockRunningGuard(guard.merchantId);
          if (!running || running.id !== guard.id || routing.staggeredLogicId !== logic.id) throw new GuardStopped();
          const state = action === 'ROLLBACK' ? 'ROLLED_BACK' : action === 'PROMOTE' ? 'PROMOTED' : 'PASSED';
          const ended = await tx.updateGuard(guard.id, { state, endReason: evidence.verdict, evidence, lastEvaluatedAt: now(), endedAt: now() });
          let next: { logic: PriorityLogic; routing: RoutingConfig };
          if (action === 'ROLLBACK') {
            next = { logic: await tx.updateLogic(logic.id, { status: 'INACTIVE' }), routing: await tx.updateRouting(guard.merchantId, { staggeredLogicId: null, staggerPercentage: null }) };
          } else if (action === 'PROMOTE') {
            await retire(tx, system, routing.activeLogicId, 'REPLACED');
            next = {
              logic: await tx.updateLogic(logic.id, { status: 'ACTIVE' }),
              routing: await tx.updateRouting(guard.merchantId, { activeLogicId: logic.id, staggeredLogicId: null, staggerPercentage: null }),
            };
          } else {
            next = { logic, routing };
          }
          if (target?.url && action !== 'PASS') {
            await tx.enqueueEvent(guardWebhook(action, next.logic, ended, target.url, target.version, now()));
          }
          acted = true;
          return { ...next, reason: evidence.summary, auditExtra: { release_guard: guardSummary(ended), evidence } };
        }, { versionRequired: false });
      } catch (error) {
        if (error instanceof GuardStopped) return false;
        throw error;
      }
      return acted;
    },

    /** Staggered -> fully active; the previously active logic becomes INACTIVE. */
    async promote(actor: Actor, logicId: string, expected: Expected) {
      return change(actor, logicId, expected, 'PROMOTE', async ({ tx, logic, routing }) => {
        if (logic.status !== 'STAGGERED' || routing.staggeredLogicId !== logic.id) throw invalidAction('Only a logic in a staggered release can be promoted');
        await retire(tx, actor, routing.activeLogicId, 'REPLACED');
        const updated = await tx.updateLogic(logic.id, { status: 'ACTIVE' });
        const nextRouting = await tx.updateRouting(actor.merchantId, { activeLogicId: logic.id, staggeredLogicId: null, staggerPercentage: null });
        return { logic: updated, routing: nextRouting };
      });
    },

    /** Ends a staggered release: all traffic back on the active logic. */
    async revoke(actor: Actor, logicId: string, expected: Expected) {
      return change(actor, logicId, expected, 'REVOKE', async ({ tx, logic, routing }) => {
        if (logic.status !== 'STAGGERED' || routing.staggeredLogicId !== logic.id) throw invalidAction('Only a logic in a staggered release can be revoked');
        const updated = await tx.updateLogic(logic.id, { status: 'INACTIVE' });
        const nextRouting = await tx.updateRouting(actor.merchantId, { staggeredLogicId: null, staggerPercentage: null });
        return { logic: updated, routing: nextRouting };
      });
    },

    /** The active logic stops deciding: the merchant falls back to the default ordering. */
    async deactivate(actor: Actor, logicId: string, expected: Expected) {
      return change(actor, logicId, expected, 'DEACTIVATE', async ({ tx, logic, routing }) => {
        if (logic.status === 'STAGGERED') throw invalidAction('This logic is in a staggered release: revoke it instead');
        if (logic.status !== 'ACTIVE' || routing.activeLogicId !== logic.id) throw invalidAction('Only the active logic can be deactivated');
        if (routing.staggeredLogicId) throw invalidAction('A staggered release is running on top of this logic: promote or revoke it first');
        const updated = await tx.updateLogic(logic.id, { status: 'INACTIVE' });
        const nextRouting = await tx.updateRouting(actor.merchantId, { activeLogicId: null });
        return { logic: updated, routing: nextRouting };
      });
    },

    /** The logic that decides when the active (or staggered) one fails. */
    async setFallback(actor: Actor, logicId: string, expected: Expected) {
      return change(
        actor, logicId, expected, 'SET_FALLBACK',
        async ({ tx, logic, routing }) => {
          if (logic.status === 'PENDING_APPROVAL') throw new AppError('APPROVAL_REQUIRED', undefined, { fields: [{ field_name: 'status', reason: 'the code-based logic is waiting for approval' }] });
          if (logic.status !== 'INACTIVE') throw invalidAction('An active or staggered logic cannot also be the fallback logic');
          if (routing.fallbackLogicId === logic.id) throw invalidAction('This logic is already the fallback logic');
          return { logic, routing: await tx.updateRouting(actor.merchantId, { fallbackLogicId: logic.id }) };
        },
        { versionRequired: false },
      );
    },

    async unsetFallback(actor: Actor, expected: Expected): Promise<RoutingConfig> {
      requireRight(actor, 'release');
      const routing = await store.transaction(async (tx) => {
        const current = await tx.lockRouting(actor.merchantId);
        if (expected.routingVersion !== undefined && expected.routingVersion !== current.version) {
          throw syncConflict('routing_version', `the routing configuration is at version ${current.version}, not ${expected.routingVersion}`);
        }
        if (!current.fallbackLogicId) throw invalidAction('No fallback logic is set', 'fallback_logic_id');
        const next = await tx.updateRouting(actor.merchantId, { fallbackLogicId: null });
        await audit(tx, actor, 'UNSET_FALLBACK', current.fallbackLogicId, { routing: routingSummary(current) }, { routing: routingSummary(next) });
        return next;
      });
      return committed(actor.merchantId, routing);
    },

    /** A second person approves a code-based logic: an APPROVER who did not create it. */
    async approve(actor: Actor, logicId: string, expected: Expected) {
      return change(actor, logicId, expected, 'APPROVE', async ({ tx, logic, routing }) => {
        if (logic.createdBy === actor.id) {
          throw new AppError('UNAUTHORIZED', 'You do not have access', { fields: [{ field_name: 'approved_by', reason: 'a logic cannot be approved by its creator' }] });
        }
        if (logic.kind !== 'CODE') throw invalidAction('Only code-based logics need an approval', 'kind');
        if (logic.status !== 'PENDING_APPROVAL') throw invalidAction('This logic is not waiting for approval');
        return { logic: await tx.updateLogic(logic.id, { status: 'INACTIVE', approvedBy: actor.id, approvedAt: now() }), routing };
      });
    },

    /**
     * An approver rejects a code-based logic waiting for approval, saying why: it becomes REJECTED
     * (never approved or released; copy it to try again) and the reason is kept in the audit trail.
     */
    async reject(actor: Actor, logicId: string, expected: Expected, reason: string | undefined) {
      const why = (reason ?? '').trim();
      if (!why) throw missingField('reason');
      if (why.length > 500) throw invalidField('reason', 'must be at most 500 characters');
      return change(actor, logicId, expected, 'REJECT', async ({ tx, logic, routing }) => {
        if (logic.createdBy === actor.id) {
          throw new AppError('UNAUTHORIZED', 'You do not have access', { fields: [{ field_name: 'reason', reason: 'a logic cannot be rejected by its creator' }] });
        }
        if (logic.status !== 'PENDING_APPROVAL') throw invalidAction('This logic is not waiting for approval');
        return { logic: await tx.updateLogic(logic.id, { status: 'REJECTED' }), routing, reason: why };
      });
    },

    async auditTrail(actor: Actor, filter: { logicId?: string; limit?: number }): Promise<AuditEntry[]> {
      requireRight(actor, 'read');
      return store.listAudit(actor.merchantId, filter);
    },

    /** Runs a stored logic or a draft against a sample payment: the full trace and the decision record. */
    async dryRun(actor: Actor, input: { logicId?: string; logic?: LogicInput; payment: SamplePayment }): Promise<Explanation & { logicId: string | null }> {
      // Editors test what they build; approvers test what they are asked to approve.
      if (!hasRight(actor, 'approve')) requireRight(actor, 'edit');
      let definition: LogicDefinition;
      let id: string | undefined;
      let version: number | undefined;
      if (input.logicId) {
        const stored = await requireLogic(actor.merchantId, input.logicId);
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
        definition = parsed.ok ? parsed.logic : readLogicLoosely(doc);
      } else {
        throw missingField('logic_id');
      }
      const candidates = await deps.gatewayAccounts(actor.merchantId);
      const payment = samplePayment(actor.merchantId, input.payment ?? {}, candidates, now().getTime());
      const explanation = await explainAsync({ logic: definition, payment, engine, ...(id ? { id } : {}), ...(version !== undefined ? { version } : {}) });
      return { ...explanation, logicId: id ?? null };
    },

    /**
     * Rule analysis of a stored logic or a valid draft against the merchant's gateway accounts:
     * warnings (rules that never match or are shadowed, overlaps with a witness payment, gateways a
     * rule's payments cannot use, enforced lists that leave payments without a gateway). Only
     * rule-based logics have rules to analyse; others answer no warnings. Nothing is stored.
     */
    async analyze(actor: Actor, input: { logicId?: string; logic?: LogicInput }): Promise<RuleAnalysis & { logicId: string | null; kind: LogicDefinition['kind'] }> {
      requireRight(actor, 'read');
      let definition: LogicDefinition;
      let id: string | null = null;
      if (input.logicId) {
        const stored = await requireLogic(actor.merchantId, input.logicId);
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
    },

    /** Per-logic figures over a window, from the decisions stored on the transactions. */
    async metrics(actor: Actor, window: MetricsWindow): Promise<MetricsReport> {
      requireRight(actor, 'read');
      if (!(window.from < window.to)) throw invalidField('from', 'must be before to');
      const slices = window.trendSlices;
      if (slices !== undefined && (!Number.isInteger(slices) || slices < 1 || slices > 96)) throw invalidField('trend_buckets', 'must be an integer from 1 to 96');
      const sliceMs = slices ? Math.ceil((window.to.getTime() - window.from.getTime()) / slices) : 0;
      const [rows, routing, trendRows] = await Promise.all([
        store.metrics(actor.merchantId, window.from, window.to),
        store.getRouting(actor.merchantId),
        slices ? store.metricsTrend(actor.merchantId, window.from, window.to, sliceMs) : Promise.resolve([]),
      ]);
      const trendOf = (id: string): TrendPoint[] | undefined => {
        if (!slices) return undefined;
        return Array.from({ length: slices }, (_, i) => {
          const row = trendRows.find((t) => t.logicId === id && t.slice === i);
          return { from: new Date(window.from.getTime() + i * sliceMs), decided: row?.decided ?? 0, successRate: row?.settled ? round2((row.succeeded / row.settled) * 100) : null };
        });
      };
      const ids = rows.logics.map((r) => r.logicId).filter((id) => id !== 'DEFAULT_ORDER');
      const live = [routing?.activeLogicId, routing?.staggeredLogicId, routing?.fallbackLogicId].filter((x): x is string => typeof x === 'string');
      const logics = new Map((await store.getLogics(actor.merchantId, [...new Set([...ids, ...live])])).map((l) => [l.id, l]));
      // Every decision of the window counts, whoever made it (a logic replaced inside the window, the
      // default ordering before a logic was activated): the shares add up to 100.
      const total = rows.logics.reduce((s, r) => s + r.decided, 0);
      const shares = percentShares(rows.logics.map((r) => r.decided));
      // Roles are today's configuration; a row without one decided earlier in the window only.
      const rolesOf = (id: string): string[] => {
        const roles: string[] = [];
        if (routing?.activeLogicId === id) roles.push('ACTIVE');
        if (routing?.staggeredLogicId === id) roles.push('STAGGERED');
        if (routing?.fallbackLogicId === id) roles.push('FALLBACK');
        // The default ordering is live only while no logic is active.
        if (id === 'DEFAULT_ORDER' && !routing?.activeLogicId) roles.push('DEFAULT_ORDER');
        return roles;
      };
      const out: LogicMetrics[] = rows.logics.map((r, i) => {
        const amounts = rows.amounts.filter((a) => a.logicId === r.logicId).map((a) => ({ currency: a.currency, count: a.count, amount: a.amount }));
        const stored = logics.get(r.logicId);
        return {
          logicId: r.logicId, name: stored?.name ?? r.logicName, kind: stored?.kind ?? r.logicKind, status: stored ? (stored.deletedAt ? 'DELETED' : stored.status) : null,
          roles: rolesOf(r.logicId), decided: r.decided,
          trafficPercent: shares[i] ?? 0,
          undecidedPercent: r.decided ? round2((r.undecided / r.decided) * 100) : 0,
          successRate: r.settled ? round2((r.succeeded / r.settled) * 100) : null,
          settled: r.settled, succeeded: r.succeeded,
          volume: { count: r.decided, amounts },
          latencyMs: { p50: r.p50LatencyMs === null ? null : Math.round(r.p50LatencyMs), p95: r.p95LatencyMs === null ? null : Math.round(r.p95LatencyMs) },
          ...(slices ? { trend: trendOf(r.logicId)! } : {}),
        };
      });
      // Live logics that decided nothing in the window still appear (traffic 0).
      for (const id of live) {
        if (out.some((m) => m.logicId === id)) continue;
        const stored = logics.get(id);
        out.push({
          logicId: id, name: stored?.name ?? null, kind: stored?.kind ?? null, status: stored?.status ?? null, roles: rolesOf(id), decided: 0, trafficPercent: 0,
          undecidedPercent: 0, successRate: null, settled: 0, succeeded: 0, volume: { count: 0, amounts: [] }, latencyMs: { p50: null, p95: null },
          ...(slices ? { trend: trendOf(id)! } : {}),
        });
      }
      return { from: window.from, to: window.to, totalDecided: total, routing, logics: out };
    },
  };
}

/** A draft whose structure is sound but whose validation failed: its definition, as written. */
function readLogicLoosely(doc: Record<string, unknown>): LogicDefinition {
  const d = (doc.definition ?? {}) as Record<string, unknown>;
  const base = {
    name: String(doc.name), enforce: doc.enforce === true, defaultGateways: (doc.defaultGateways ?? []) as LogicDefinition['defaultGateways'],
    ...(typeof doc.description === 'string' ? { description: doc.description } : {}),
  };
  switch (doc.kind) {
    case 'VOLUME':
      return { kind: 'VOLUME', ...base, splits: (d.splits ?? []) as never };
    case 'RULES':
      return { kind: 'RULES', ...base, rules: (d.rules ?? []) as never };
    case 'CODE':
      return { kind: 'CODE', ...base, code: String(d.code ?? '') };
    default:
      return { kind: 'DEFAULT', ...base };
  }
}

export type PriorityLogicService = ReturnType<typeof createPriorityLogicService>;
