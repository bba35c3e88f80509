// The four-eyes rule for code-based logics: an APPROVER who did not create the logic approves or
// rejects it before it can be released.
import { AppError, invalidField, missingField } from '../errors.ts';
import { change, invalidAction, type Expected, type LogicChangeDeps } from './logic-change.ts';
import type { Actor } from './types.ts';

/** A second person approves a code-based logic: an APPROVER who did not create it. */
export async function approveLogic(deps: LogicChangeDeps, actor: Actor, logicId: string, expected: Expected) {
  return change(deps, actor, logicId, expected, 'APPROVE', async ({ tx, logic, routing }) => {
    if (logic.createdBy === actor.id) {
      throw new AppError('UNAUTHORIZED', 'You do not have access', { fields: [{ field_name: 'approved_by', reason: 'a logic cannot be approved by its creator' }] });
    }
    if (logic.kind !== 'CODE') throw invalidAction('Only code-based logics need an approval', 'kind');
    if (logic.status !== 'PENDING_APPROVAL') throw invalidAction('This logic is not waiting for approval');
    return { logic: await tx.updateLogic(logic.id, { status: 'INACTIVE', approvedBy: actor.id, approvedAt: deps.now() }), routing };
  });
}

/**
 * An approver rejects a code-based logic waiting for approval, saying why: it becomes REJECTED
 * (never approved or released; copy it to try again) and the reason is kept in the audit trail.
 */
export async function rejectLogic(deps: LogicChangeDeps, actor: Actor, logicId: string, expected: Expected, reason: string | undefined) {
  const why = (reason ?? '').trim();
  if (!why) throw missingField('reason');
  if (why.length > 500) throw invalidField('reason', 'must be at most 500 characters');
  return change(deps, actor, logicId, expected, 'REJECT', async ({ tx, logic, routing }) => {
    if (logic.createdBy === actor.id) {
      throw new AppError('UNAUTHORIZED', 'You do not have access', { fields: [{ field_name: 'reason', reason: 'a logic cannot be rejected by its creator' }] });
    }
    if (logic.status !== 'PENDING_APPROVAL') throw invalidAction('This logic is not waiting for approval');
    return { logic: await tx.updateLogic(logic.id, { status: 'REJECTED' }), routing, reason: why };
  });
}
