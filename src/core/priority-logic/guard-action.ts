// The release guard's action on a staggered release (rollback, promote, pass), as one locked,
// audited change with the merchant's webhook.
import { change, guardSummary, retire, type LogicChangeDeps } from './logic-change.ts';
import { guardWebhook, GUARD_ACTOR_ID, type GuardAction } from './release-guard-service.ts';
import type { GuardEvidence } from './release-guard.ts';
import type { Actor, PriorityLogic, ReleaseGuard, RoutingConfig } from './types.ts';

export interface GuardActionDeps extends LogicChangeDeps {
  /** Where the merchant's webhooks go (the release guard's PRIORITY_LOGIC_* events); none when absent. */
  webhookTarget?: ((merchantId: string) => Promise<{ url: string | null; version: string | null }>) | undefined;
}

/** The guard's action found the guard already stopped (a user promoted or revoked meanwhile). */
class GuardStopped extends Error {}

/**
 * The guard acts on its evidence (the guard worker): WORSE revokes the stagger, PASSED promotes it
 * when the merchant asked for that, else only ends the guard. Runs as the system actor, under the
 * same locks and audit as a user's change; a guard that stopped meanwhile (a user acted) does nothing.
 */
export async function guardAct(deps: GuardActionDeps, guard: ReleaseGuard, evidence: GuardEvidence, action: GuardAction): Promise<boolean> {
  const { now } = deps;
  const target = action === 'PASS' ? null : await deps.webhookTarget?.(guard.merchantId);
  const system: Actor = { merchantId: guard.merchantId, kind: 'SYSTEM', id: GUARD_ACTOR_ID, role: 'ADMIN' };
  const auditAction = action === 'ROLLBACK' ? 'GUARD_ROLLBACK' : action === 'PROMOTE' ? 'GUARD_PROMOTE' : 'GUARD_PASS';
  let acted = false;
  try {
    await change(
      deps,
      system,
      guard.logicId,
      {},
      auditAction,
      async ({ tx, logic, routing }) => {
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
      },
      { versionRequired: false },
    );
  } catch (error) {
    if (error instanceof GuardStopped) return false;
    throw error;
  }
  return acted;
}
