// PriorityLogicStore over plain SQL (PGlite and PostgreSQL), composed of its parts: the users'
// queries, the logic/routing/audit reads, the metrics queries, the release guards' rows and the
// writes of a transaction (priority-logic-tx.ts). Rows <-> domain objects: priority-logic-rows.ts.
import type { PriorityLogicStore } from '../core/ports/priority-logic-store.ts';
import type { Db } from './db.ts';
import { metricsQueries } from './priority-logic-metrics-queries.ts';
import { logicQueries } from './priority-logic-queries.ts';
import { priorityLogicTx } from './priority-logic-tx.ts';
import { userQueries } from './priority-logic-user-queries.ts';
import * as guards from './release-guard-repository.ts';

export function createPriorityLogicStore(db: Db): PriorityLogicStore {
  return {
    ...userQueries(db),
    ...logicQueries(db),
    ...metricsQueries(db),
    runningGuards: (limit) => guards.runningGuards(db, limit),
    recentGuards: (merchantId, limit) => guards.recentGuards(db, merchantId, limit),
    guardsOf: (merchantId, logicId, limit) => guards.guardsOf(db, merchantId, logicId, limit),
    guardArms: (merchantId, logicId, baselineLogicId, since) => guards.guardArms(db, merchantId, logicId, baselineLogicId, since),
    recordGuardLook: (id, evidence, at) => guards.recordGuardLook(db, id, evidence, at),

    transaction(fn) {
      return db.transaction((sql) => fn(priorityLogicTx(sql)));
    },
  };
}
