// What each dashboard role may do. The server enforces the same table (docs/dashboard-api.md);
// the dashboard uses it to hide what a role lacks.
/** The server's user roles (src/core/priority-logic/types.ts, a type-only import). */
export type { UserRole as Role } from '../../../src/core/priority-logic/types.ts';
import type { UserRole as Role } from '../../../src/core/priority-logic/types.ts';

export type Action =
  | 'logic.edit' // create, copy, import, delete, dry run
  | 'logic.release' // activate, stagger, promote, revoke, deactivate, fallback
  | 'logic.approve'
  | 'order.refund'
  | 'gateway.configure'
  | 'simulator.outage'
  | 'webhook.resend'
  | 'risk.edit' // risk configuration, rules, lists (the server's edit right on /v1/risk)
  | 'risk.review'; // approve (capture) or reject (void) a payment held for review

const RIGHTS: Record<Role, readonly Action[]> = {
  ADMIN: ['logic.edit', 'logic.release', 'order.refund', 'gateway.configure', 'simulator.outage', 'webhook.resend', 'risk.edit', 'risk.review'],
  EDITOR: ['logic.edit', 'simulator.outage', 'webhook.resend', 'risk.edit', 'risk.review'],
  APPROVER: ['logic.approve'],
  VIEWER: [],
};

export function can(role: Role | undefined, action: Action): boolean {
  return role !== undefined && RIGHTS[role].includes(action);
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  merchant_id: string;
}
