// What every risk admin use-case shares: the right an actor needs, the name the audit trail gives
// it, and the parsing of list names, list kinds and bounded strings.
import { AppError, invalidField } from '../errors.ts';
import type { Actor } from '../priority-logic/types.ts';
import { hasRight } from '../priority-logic/priority-logic-service.ts';
import { isListKind, LIST_KINDS, type ListKind } from '../../risk/lists.ts';

export function need(actor: Actor, right: 'read' | 'edit'): void {
  if (!hasRight(actor, right)) throw new AppError('UNAUTHORIZED', right === 'edit' ? 'Changing risk settings needs the EDITOR or ADMIN role' : 'You do not have access');
}

/** The actor as the audit trail names it. */
export const who = (actor: Actor) => ({ id: `${actor.kind === 'API_KEY' ? 'api_key' : 'user'}:${actor.id}` });

export function listName(raw: string): 'block' | 'allow' {
  if (raw === 'blocklist' || raw === 'block') return 'block';
  if (raw === 'allowlist' || raw === 'allow') return 'allow';
  throw invalidField('list', 'must be blocklist or allowlist');
}

export function kindOf(raw: unknown, field = 'kind'): ListKind {
  if (!isListKind(raw)) throw invalidField(field, `must be one of ${LIST_KINDS.join(', ')}`);
  return raw;
}

export const str = (v: unknown, field: string, max = 255): string | null => {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || v.length > max) throw invalidField(field, `must be a string of at most ${max} characters`);
  return v.trim();
};
