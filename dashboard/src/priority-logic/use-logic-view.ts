// The data of a logic's view: the logic, the routing and the History, queries of the one client.
// A change writes its answer into them and invalidates the other Priority Logic queries (the list,
// the figures).
import { useCallback } from 'react';
import { ApiError } from '../api/client';
import { useApiQuery, useAppQueryClient } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { audit, getLogic, getRouting, type AuditEntry } from './api';
import type { Logic, Routing } from './types';

export interface LogicView {
  logic: Logic | null;
  routing: Routing | null;
  entries: AuditEntry[] | null;
  loadFailure: unknown;
  loadError: string | null;
  setLogic(l: Logic): void;
  setRouting(r: Routing): void;
  setEntries(e: AuditEntry[]): void;
  /**
   * After a change: every other Priority Logic query (the list, the figures, this view's History)
   * loads again; the logic and the routing shown are the change's own answer, written above.
   */
  changed(): void;
  /** Loads the logic, the routing and the History again. */
  load(): Promise<void>;
}

export function useLogicView(id: string): LogicView {
  const client = useAppQueryClient();
  const logicQuery = useApiQuery(queryKeys.priorityLogic.logic(id), (signal) => getLogic(id, signal));
  const routingQuery = useApiQuery(queryKeys.priorityLogic.routing(), (signal) => getRouting(signal).catch(() => null));
  const auditQuery = useApiQuery(queryKeys.priorityLogic.audit(id), (signal) => audit(id, signal));
  const loadFailure = logicQuery.error;
  const load = useCallback(async () => {
    await Promise.all([logicQuery.reload(), routingQuery.reload(), auditQuery.reload()]);
  }, [logicQuery.reload, routingQuery.reload, auditQuery.reload]);
  return {
    logic: logicQuery.data,
    routing: routingQuery.data,
    entries: auditQuery.error ? null : (auditQuery.data?.entries ?? null),
    loadFailure,
    loadError: loadFailure ? (loadFailure instanceof ApiError ? loadFailure.message : 'Something went wrong. Please try again') : null,
    setLogic: (l) => client.setQueryData(queryKeys.priorityLogic.logic(id), l),
    setRouting: (r) => client.setQueryData(queryKeys.priorityLogic.routing(), r),
    setEntries: (e) => client.setQueryData(queryKeys.priorityLogic.audit(id), { entries: e }),
    changed: () => {
      const answered = [queryKeys.priorityLogic.logic(id), queryKeys.priorityLogic.routing()].map((k) => JSON.stringify(k));
      void client.invalidateQueries({ queryKey: queryKeys.priorityLogic.all, predicate: (q) => !answered.includes(JSON.stringify(q.queryKey)) });
    },
    load,
  };
}
