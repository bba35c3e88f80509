// Reading a merchant's logics: the list, one logic, the routing configuration, a logic's versions,
// the audit trail and the release guards.
import type { PriorityLogicStore } from '../ports/priority-logic-store.ts';
import { requireRight } from './access.ts';
import { requireLogic } from './logic-change.ts';
import type { Actor, AuditEntry, LogicListFilter, PriorityLogic, ReleaseGuard, RoutingConfig } from './types.ts';

export interface LogicReadDeps {
  store: PriorityLogicStore;
  now: () => Date;
}

export async function listLogics(deps: LogicReadDeps, actor: Actor, filter: LogicListFilter) {
  requireRight(actor, 'read');
  const [page, routing] = await Promise.all([deps.store.listLogics(actor.merchantId, filter), deps.store.getRouting(actor.merchantId)]);
  return { ...page, routing };
}

export async function getLogic(deps: LogicReadDeps, actor: Actor, logicId: string): Promise<{ logic: PriorityLogic; routing: RoutingConfig | null }> {
  requireRight(actor, 'read');
  const [logic, routing] = await Promise.all([requireLogic(deps.store, actor.merchantId, logicId), deps.store.getRouting(actor.merchantId)]);
  return { logic, routing };
}

export async function getRouting(deps: LogicReadDeps, actor: Actor): Promise<RoutingConfig> {
  requireRight(actor, 'read');
  return (
    (await deps.store.getRouting(actor.merchantId)) ?? {
      merchantId: actor.merchantId,
      activeLogicId: null,
      fallbackLogicId: null,
      staggeredLogicId: null,
      staggerPercentage: null,
      version: 1,
      updatedAt: deps.now(),
    }
  );
}

/** A logic's versions (the copies it comes from and the copies made from them): History's Compare versions. */
export async function logicVersions(deps: LogicReadDeps, actor: Actor, logicId: string): Promise<PriorityLogic[]> {
  requireRight(actor, 'read');
  await requireLogic(deps.store, actor.merchantId, logicId);
  return deps.store.lineage(actor.merchantId, logicId);
}

export async function auditTrail(deps: LogicReadDeps, actor: Actor, filter: { logicId?: string; limit?: number }): Promise<AuditEntry[]> {
  requireRight(actor, 'read');
  return deps.store.listAudit(actor.merchantId, filter);
}

/** The merchant's latest guards, every logic's (the dashboard's rollback banner). */
export async function recentGuards(deps: LogicReadDeps, actor: Actor): Promise<ReleaseGuard[]> {
  requireRight(actor, 'read');
  return deps.store.recentGuards(actor.merchantId, 20);
}

/** The guards of a logic's staggered releases, the latest first. */
export async function logicGuards(deps: LogicReadDeps, actor: Actor, logicId: string): Promise<ReleaseGuard[]> {
  requireRight(actor, 'read');
  await requireLogic(deps.store, actor.merchantId, logicId);
  return deps.store.guardsOf(actor.merchantId, logicId, 20);
}
