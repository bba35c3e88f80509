// Releasing logics: full release (activate), staggered release with an optional release guard,
// promote, revoke, deactivate, and the fallback logic. Each runs as one locked, audited change.
import { newId } from '../crypto.ts';
import { AppError, invalidField } from '../errors.ts';
import { requireRight } from './access.ts';
import { audit, change, committed, guardSummary, invalidAction, retire, routingSummary, syncConflict, type Expected, type LogicChangeDeps } from './logic-change.ts';
import { guardBaseline, type FeeRuleLookup } from './release-guard-service.ts';
import { plannedSample, type GuardInput } from './release-guard.ts';
import type { PriorityLogicTx } from '../ports/priority-logic-store.ts';
import type { Actor, PriorityLogic, RoutingConfig } from './types.ts';

export interface LogicReleaseDeps extends LogicChangeDeps {
  /** The fee rule of a gateway account for a segment (the release guard's cost metric). */
  feeRule?: FeeRuleLookup | undefined;
}

function releasable(logic: PriorityLogic, routing: RoutingConfig): void {
  if (logic.status === 'PENDING_APPROVAL') throw new AppError('APPROVAL_REQUIRED', undefined, { fields: [{ field_name: 'status', reason: 'the code-based logic is waiting for approval' }] });
  if (logic.status === 'REJECTED') throw invalidAction('This logic was rejected by an approver; copy it to make a new version');
  if (routing.fallbackLogicId === logic.id) throw invalidAction('This logic is the fallback logic: unset it as fallback first');
  if (routing.staggeredLogicId && routing.staggeredLogicId !== logic.id) throw invalidAction('Another logic is in a staggered release: promote or revoke it first');
}

/** This logic takes all traffic: the active one is retired, no staggered release is left. */
async function makeActive(tx: PriorityLogicTx, actor: Actor, logic: PriorityLogic, routing: RoutingConfig): Promise<{ logic: PriorityLogic; routing: RoutingConfig }> {
  await retire(tx, actor, routing.activeLogicId, 'REPLACED');
  const updated = await tx.updateLogic(logic.id, { status: 'ACTIVE' });
  const nextRouting = await tx.updateRouting(actor.merchantId, { activeLogicId: logic.id, staggeredLogicId: null, staggerPercentage: null });
  return { logic: updated, routing: nextRouting };
}

/** Full release: 100% of traffic moves to this logic; the previously active one becomes INACTIVE. */
export async function activateLogic(deps: LogicChangeDeps, actor: Actor, logicId: string, expected: Expected) {
  return change(deps, actor, logicId, expected, 'ACTIVATE', async ({ tx, logic, routing }) => {
    if (logic.status === 'ACTIVE') throw invalidAction('This logic is already active');
    releasable(logic, routing);
    return makeActive(tx, actor, logic, routing);
  });
}

/**
 * Staggered release: `percentage` of orders (sticky per order) go to this logic, the rest stay on
 * the active one. With a guard, the release rolls itself back when the new logic is shown worse
 * (release-guard.ts); a new guard replaces a running one, none keeps it.
 */
export async function staggerLogic(deps: LogicReleaseDeps, actor: Actor, logicId: string, percentage: number, expected: Expected, guardInput?: GuardInput) {
  if (typeof percentage !== 'number' || !Number.isFinite(percentage) || percentage < 1 || percentage > 99 || Math.round(percentage * 100) !== percentage * 100) {
    throw invalidField('percentage', 'must be a number from 1 to 99 (at most 2 decimals)');
  }
  const { store, now } = deps;
  // The design's baseline is read before the transaction opens (PGlite has one connection).
  const current = guardInput ? await store.getRouting(actor.merchantId) : null;
  const baseline = guardInput && current?.activeLogicId ? await guardBaseline(store, actor.merchantId, current.activeLogicId, guardInput.metric, now(), deps.feeRule) : null;
  return change(deps, actor, logicId, expected, 'STAGGER', async ({ tx, logic, routing }) => {
    if (logic.status === 'ACTIVE') throw invalidAction('This logic is already fully active');
    releasable(logic, routing);
    if (!routing.activeLogicId) throw invalidAction('A staggered release needs an active logic: release one fully first');
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
      ...guardInput,
      plannedSample: planned,
      id: newId('rg'),
      merchantId: actor.merchantId,
      logicId: logic.id,
      baselineLogicId: routing.activeLogicId,
      staggerPercentage: percentage,
      createdBy: actor.id,
    });
    return { logic: updated, routing: nextRouting, auditExtra: { release_guard: guardSummary(guard) } };
  });
}

/** Staggered -> fully active; the previously active logic becomes INACTIVE. */
export async function promoteLogic(deps: LogicChangeDeps, actor: Actor, logicId: string, expected: Expected) {
  return change(deps, actor, logicId, expected, 'PROMOTE', async ({ tx, logic, routing }) => {
    if (logic.status !== 'STAGGERED' || routing.staggeredLogicId !== logic.id) throw invalidAction('Only a logic in a staggered release can be promoted');
    return makeActive(tx, actor, logic, routing);
  });
}

/** Ends a staggered release: all traffic back on the active logic. */
export async function revokeLogic(deps: LogicChangeDeps, actor: Actor, logicId: string, expected: Expected) {
  return change(deps, actor, logicId, expected, 'REVOKE', async ({ tx, logic, routing }) => {
    if (logic.status !== 'STAGGERED' || routing.staggeredLogicId !== logic.id) throw invalidAction('Only a logic in a staggered release can be revoked');
    const updated = await tx.updateLogic(logic.id, { status: 'INACTIVE' });
    const nextRouting = await tx.updateRouting(actor.merchantId, { staggeredLogicId: null, staggerPercentage: null });
    return { logic: updated, routing: nextRouting };
  });
}

/** The active logic stops deciding: the merchant falls back to the default ordering. */
export async function deactivateLogic(deps: LogicChangeDeps, actor: Actor, logicId: string, expected: Expected) {
  return change(deps, actor, logicId, expected, 'DEACTIVATE', async ({ tx, logic, routing }) => {
    if (logic.status === 'STAGGERED') throw invalidAction('This logic is in a staggered release: revoke it instead');
    if (logic.status !== 'ACTIVE' || routing.activeLogicId !== logic.id) throw invalidAction('Only the active logic can be deactivated');
    if (routing.staggeredLogicId) throw invalidAction('A staggered release is running on top of this logic: promote or revoke it first');
    const updated = await tx.updateLogic(logic.id, { status: 'INACTIVE' });
    const nextRouting = await tx.updateRouting(actor.merchantId, { activeLogicId: null });
    return { logic: updated, routing: nextRouting };
  });
}

/** The logic that decides when the active (or staggered) one fails. */
export async function setFallbackLogic(deps: LogicChangeDeps, actor: Actor, logicId: string, expected: Expected) {
  return change(
    deps,
    actor,
    logicId,
    expected,
    'SET_FALLBACK',
    async ({ tx, logic, routing }) => {
      if (logic.status === 'PENDING_APPROVAL') throw new AppError('APPROVAL_REQUIRED', undefined, { fields: [{ field_name: 'status', reason: 'the code-based logic is waiting for approval' }] });
      if (logic.status !== 'INACTIVE') throw invalidAction('An active or staggered logic cannot also be the fallback logic');
      if (routing.fallbackLogicId === logic.id) throw invalidAction('This logic is already the fallback logic');
      return { logic, routing: await tx.updateRouting(actor.merchantId, { fallbackLogicId: logic.id }) };
    },
    { versionRequired: false },
  );
}

export async function unsetFallbackLogic(deps: LogicChangeDeps, actor: Actor, expected: Expected): Promise<RoutingConfig> {
  requireRight(actor, 'release');
  const routing = await deps.store.transaction(async (tx) => {
    const current = await tx.lockRouting(actor.merchantId);
    if (expected.routingVersion !== undefined && expected.routingVersion !== current.version) {
      throw syncConflict('routing_version', `the routing configuration is at version ${current.version}, not ${expected.routingVersion}`);
    }
    if (!current.fallbackLogicId) throw invalidAction('No fallback logic is set', 'fallback_logic_id');
    const next = await tx.updateRouting(actor.merchantId, { fallbackLogicId: null });
    await audit(tx, actor, 'UNSET_FALLBACK', current.fallbackLogicId, { routing: routingSummary(current) }, { routing: routingSummary(next) });
    return next;
  });
  return committed(deps, actor.merchantId, routing);
}
