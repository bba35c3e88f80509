// The merchant's side of the risk engine: configuration, rules, block and allow lists (with file
// import), the audit trail, dry runs, and the review queue (approve = capture, reject = void).
// Every call is scoped to the actor's merchant; every change is audited by the store.
// Each group of use-cases is a module of its own: risk-config-admin.ts (configuration and rules),
// risk-list-admin.ts (block and allow lists), risk-review-admin.ts (the review queue).
import type { Actor } from '../priority-logic/types.ts';
import type { RiskStore } from '../ports/risk-store.ts';
import { riskBlock } from '../../risk/engine.ts';
import type { RiskService } from '../../risk/risk-service.ts';
import { invalidField } from '../errors.ts';
import { dryRunContext } from './dry-run-context.ts';
import { need } from './risk-admin-input.ts';
import { createRiskConfigAdmin } from './risk-config-admin.ts';
import { createRiskListAdmin } from './risk-list-admin.ts';
import { createRiskReviewAdmin } from './risk-review-admin.ts';

export interface RiskAdminDeps {
  store: RiskStore;
  risk: Pick<RiskService, 'invalidate' | 'dryRun'>;
  capture(merchantId: string, txnUuid: string): Promise<Record<string, unknown>>;
  voidTxn(merchantId: string, txnUuid: string): Promise<Record<string, unknown>>;
  /** Tells the merchant (webhook) that a review ended. */
  reviewEvent?(merchantId: string, txnUuid: string, eventName: 'TXN_REVIEW_APPROVED' | 'TXN_REVIEW_REJECTED'): Promise<void>;
  now?: () => Date;
}

export function createRiskAdminService(deps: RiskAdminDeps) {
  const { store, risk } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    ...createRiskConfigAdmin(deps),
    ...createRiskListAdmin(deps),
    async audit(actor: Actor, limitRaw?: string) {
      need(actor, 'read');
      const limit = limitRaw === undefined ? 100 : Number(limitRaw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalidField('limit', 'must be an integer from 1 to 1000');
      return { audit: (await store.listAudit(actor.merchantId, limit)).map((a) => ({ id: a.id, actor: a.actor, action: a.action, entity: a.entity, detail: a.detail, at: a.at.toISOString() })) };
    },
    async dryRun(actor: Actor, body: unknown) {
      need(actor, 'read');
      const ctx = dryRunContext(actor.merchantId, body, now().getTime());
      const a = await risk.dryRun(ctx);
      return { action: a.action, score: a.score, code: a.code, reasons: a.reasons, allowlisted: a.allowlisted, checks: a.checks, risk: riskBlock(a) };
    },
    ...createRiskReviewAdmin({ ...deps, now }),
  };
}

export type RiskAdminService = ReturnType<typeof createRiskAdminService>;
