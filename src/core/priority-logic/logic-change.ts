// The frame every change of a merchant's logics runs in: role check, locks on the routing row and
// the logic, optimistic concurrency (row versions), the audit row of the change written in the same
// transaction, and the router cache told once the change is committed.
import { newId } from '../crypto.ts';
import { AppError, missingField, notFound } from '../errors.ts';
import type { PriorityLogicStore, PriorityLogicTx } from '../ports/priority-logic-store.ts';
import { requireRight } from './access.ts';
import { guardToJson } from './release-guard-service.ts';
import type { Actor, PriorityLogic, ReleaseGuard, RoutingConfig } from './types.ts';

/** What the use cases of a merchant's logics share: the store, the clock, the change listener. */
export interface LogicChangeDeps {
  store: PriorityLogicStore;
  now: () => Date;
  /** Called after every committed change of a merchant's logics or routing (router cache). */
  onChange?(merchantId: string): void;
}

/** Versions the caller last saw: the logic's row version and, where relevant, the routing version. */
export interface Expected {
  version?: number | undefined;
  routingVersion?: number | undefined;
}

export function syncConflict(field: string, reason: string): AppError {
  return new AppError('SYNC_CONFLICT', undefined, { fields: [{ field_name: field, reason }] });
}

export function invalidAction(message: string, field = 'status'): AppError {
  return new AppError('INVALID_ACTION', message, { fields: [{ field_name: field, reason: message }] });
}

export function summary(l: PriorityLogic): Record<string, unknown> {
  return { id: l.id, name: l.name, kind: l.kind, version: l.version, status: l.status, row_version: l.rowVersion, approved_by: l.approvedBy, deleted: l.deletedAt !== null };
}

export function routingSummary(r: RoutingConfig): Record<string, unknown> {
  return {
    active_logic_id: r.activeLogicId,
    staggered_logic_id: r.staggeredLogicId,
    stagger_percentage: r.staggerPercentage,
    fallback_logic_id: r.fallbackLogicId,
    version: r.version,
  };
}

/** The fields of a guard (guardToJson's words) that an audit entry records. */
const AUDITED_GUARD_FIELDS = ['id', 'state', 'metric', 'tolerance', 'detectable_effect', 'min_sample', 'planned_sample', 'alpha', 'auto_promote', 'baseline_logic_id'] as const;

export function guardSummary(g: ReleaseGuard): Record<string, unknown> {
  const wire = guardToJson(g);
  return Object.fromEntries(AUDITED_GUARD_FIELDS.map((field) => [field, wire[field]]));
}

export function audit(tx: PriorityLogicTx, actor: Actor, action: string, logicId: string | null, before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  return tx.insertAudit({
    id: newId('plaud'),
    merchantId: actor.merchantId,
    logicId,
    actorId: actor.id,
    actorRole: actor.kind === 'USER' ? actor.role : actor.kind,
    action,
    before,
    after,
    requestId: actor.requestId ?? null,
  });
}

export async function requireLogic(store: PriorityLogicStore, merchantId: string, logicId: string): Promise<PriorityLogic> {
  const logic = await store.getLogic(merchantId, logicId);
  if (!logic) throw notFound('Priority Logic');
  return logic;
}

/** Tells the listener (router cache) that the merchant's logics changed, and passes the value on. */
export function committed<T>(deps: LogicChangeDeps, merchantId: string, value: T): T {
  deps.onChange?.(merchantId);
  return value;
}

/** A change's result; `reason` (a rejection's) goes into the audit row's after. */
export type Change = (ctx: { tx: PriorityLogicTx; logic: PriorityLogic; routing: RoutingConfig }) => Promise<{
  logic: PriorityLogic;
  routing: RoutingConfig;
  reason?: string;
  auditExtra?: Record<string, unknown>;
}>;

/**
 * Runs one lifecycle change under locks: the merchant's routing row, then the logic; both
 * versions the caller saw must still hold. Writes the audit row of the change.
 */
export async function change(
  deps: LogicChangeDeps,
  actor: Actor,
  logicId: string,
  expected: Expected,
  action: string,
  apply: Change,
  options: { versionRequired?: boolean } = {},
): Promise<{ logic: PriorityLogic; routing: RoutingConfig }> {
  requireRight(actor, action === 'APPROVE' || action === 'REJECT' ? 'approve' : action === 'DELETE' ? 'edit' : 'release');
  if (expected.version === undefined && options.versionRequired !== false) throw missingField('version');
  const result = await deps.store.transaction(async (tx) => {
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
      if (guard && guard.logicId === routing.staggeredLogicId) await tx.updateGuard(guard.id, { state: 'ENDED', endReason: action, endedAt: deps.now() });
    }
    await audit(
      tx,
      actor,
      action,
      logic.id,
      { logic: summary(logic), routing: routingSummary(routing) },
      {
        logic: summary(after.logic),
        routing: routingSummary(after.routing),
        ...(after.reason ? { reason: after.reason } : {}),
        ...(after.auditExtra ?? {}),
      },
    );
    return after;
  });
  return committed(deps, actor.merchantId, result);
}

/** The logic that was fully active steps down (INACTIVE), with its own audit row. */
export async function retire(tx: PriorityLogicTx, actor: Actor, logicId: string | null, action: string): Promise<void> {
  if (!logicId) return;
  const previous = await tx.lockLogic(actor.merchantId, logicId);
  if (!previous || previous.status === 'INACTIVE') return;
  const updated = await tx.updateLogic(previous.id, { status: 'INACTIVE' });
  await audit(tx, actor, action, previous.id, summary(previous), summary(updated));
}
