// Who may do what with a merchant's Priority Logics: the rights of each role.
import { AppError } from '../errors.ts';
import type { Actor, Right } from './types.ts';

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

export function requireRight(actor: Actor, right: Right): void {
  if (!hasRight(actor, right)) throw new AppError('UNAUTHORIZED', 'You do not have access');
}
