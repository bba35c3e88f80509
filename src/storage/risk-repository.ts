// Merchants' risk setups in the database. Every query names its merchant; every change writes an
// audit row in the same transaction.
// The queries are grouped by what they serve: risk-config-repository.ts (configuration, rules,
// audit trail), risk-list-repository.ts (block and allow lists), risk-review-repository.ts (the
// review queue); risk-setup-audit.ts holds the audit row every change writes.
import type { RiskStore } from '../core/ports/risk-store.ts';
import type { Db } from './db.ts';
import { createRiskConfigRepository } from './risk-config-repository.ts';
import { createRiskListRepository } from './risk-list-repository.ts';
import { createRiskReviewRepository } from './risk-review-repository.ts';

export function createRiskRepository(db: Db): RiskStore {
  return {
    ...createRiskConfigRepository(db),
    ...createRiskListRepository(db),
    ...createRiskReviewRepository(db),
  };
}
