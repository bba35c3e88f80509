// Who may do what from the dashboard beyond reading (docs/dashboard-api.md, "Roles"). Every role
// reads; the API key acts as ADMIN. A refusal is the same 403 as the Priority Logic API's.
import { AppError } from '../errors.ts';
import type { Actor, UserRole } from '../priority-logic/types.ts';

export type DashboardAction = 'refund' | 'configure_gateways' | 'inject_outage' | 'resend_webhook';

const ALLOWED: Record<DashboardAction, readonly UserRole[]> = {
  refund: ['ADMIN'],
  configure_gateways: ['ADMIN'],
  inject_outage: ['EDITOR', 'ADMIN'],
  resend_webhook: ['EDITOR', 'ADMIN'],
};

export function mayDo(actor: Pick<Actor, 'role'>, action: DashboardAction): boolean {
  return ALLOWED[action].includes(actor.role);
}

export function requireDashboardRight(actor: Pick<Actor, 'role'>, action: DashboardAction): void {
  if (!mayDo(actor, action)) throw new AppError('UNAUTHORIZED', 'You do not have access');
}
