// Calls of the Priority Logic API (docs/priority-logic-api.md) used by the pages.
import { api } from '../api/client';
import type { RuleWarningCode } from '../../../src/routing/analysis/analyze-rules.ts';
import type { ChangeResult, DryRunResult, GatewayAccountInfo, Logic, LogicInput, LogicKind, LogicList, LogicStatus, MetricsReport, Routing } from './types';

const BASE = '/v1/priority-logics';
const enc = encodeURIComponent;

export interface ListQuery {
  status?: LogicStatus | '';
  kind?: LogicKind | '';
  search?: string;
  sort?: 'name' | 'created' | 'updated' | 'status';
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export const listLogics = (q: ListQuery, signal?: AbortSignal) => api<LogicList>(BASE, { query: { ...q }, signal });
export const getLogic = (id: string, signal?: AbortSignal) => api<Logic>(`${BASE}/${enc(id)}`, { signal });
export const getRouting = (signal?: AbortSignal) => api<Routing>(`${BASE}/routing`, { signal });
export const createLogic = (input: LogicInput) => api<Logic>(BASE, { method: 'POST', body: input });
export const copyLogic = (id: string, input: Partial<LogicInput>, version?: number) =>
  api<Logic>(`${BASE}/${enc(id)}/copy`, { method: 'POST', body: { ...input, ...(version !== undefined ? { version } : {}) } });
export const deleteLogic = (id: string, version: number) => api<Logic>(`${BASE}/${enc(id)}`, { method: 'DELETE', body: { version } });
export const exportLogic = (id: string) => api<Record<string, unknown>>(`${BASE}/${enc(id)}/export`);
export const metrics = (from?: string, to?: string, signal?: AbortSignal, trendBuckets?: number) => api<MetricsReport>(`${BASE}/metrics`, { query: { from, to, trend_buckets: trendBuckets }, signal });

export function importLogic(source: { json: unknown } | { file: File }, name?: string): Promise<Logic> {
  const query = name ? { name } : undefined;
  if ('file' in source) {
    const form = new FormData();
    form.append('file', source.file, source.file.name);
    return api<Logic>(`${BASE}/import`, { method: 'POST', body: form, query });
  }
  return api<Logic>(`${BASE}/import`, { method: 'POST', body: source.json, query });
}

export type ReleaseAction = 'activate' | 'promote' | 'revoke' | 'deactivate' | 'fallback' | 'approve';

export const releaseAction = (id: string, action: ReleaseAction, version: number, routingVersion?: number) =>
  api<ChangeResult>(`${BASE}/${enc(id)}/${action}`, {
    method: 'POST',
    body: { version, ...(routingVersion !== undefined ? { routing_version: routingVersion } : {}) },
  });

/** An approver rejects a code-based logic waiting for approval, saying why. */
export const rejectLogic = (id: string, version: number, reason: string, routingVersion?: number) =>
  api<ChangeResult>(`${BASE}/${enc(id)}/reject`, {
    method: 'POST',
    body: { version, reason, ...(routingVersion !== undefined ? { routing_version: routingVersion } : {}) },
  });

export const stagger = (id: string, percentage: number, version: number, routingVersion?: number, releaseGuard?: Record<string, unknown>) =>
  api<ChangeResult>(`${BASE}/${enc(id)}/stagger`, {
    method: 'POST',
    body: { percentage, version, ...(routingVersion !== undefined ? { routing_version: routingVersion } : {}), ...(releaseGuard ? { release_guard: releaseGuard } : {}) },
  });

export const unsetFallback = (routingVersion?: number) => api<Routing>(`${BASE}/fallback/unset`, { method: 'POST', body: routingVersion !== undefined ? { routing_version: routingVersion } : {} });

export interface RuleWarning {
  code: RuleWarningCode;
  rule_index: number | null;
  rule_name: string | null;
  message: string;
  other_rule_index?: number;
  gateway?: string;
  witness?: { dimension: string; value: unknown; description: string }[];
}
export interface RuleAnalysisResult {
  logic_id: string | null;
  kind: string;
  analysed: boolean;
  warnings: RuleWarning[];
}
/** The rule analysis of a stored logic or a draft (docs/priority-logic-api.md#rule-analysis). */
export const analyzeLogic = (body: { logic_id: string } | { logic: LogicInput }, signal?: AbortSignal) => api<RuleAnalysisResult>(`${BASE}/analyze`, { method: 'POST', body, signal });

export const dryRun = (body: { logic_id: string } | { logic: LogicInput }, payment: Record<string, unknown>) => api<DryRunResult>(`${BASE}/dry-run`, { method: 'POST', body: { ...body, payment } });

export interface AuditEntry {
  id: string;
  logic_id: string | null;
  actor_id: string;
  actor_role: string;
  /** Null when the actor was the merchant's API key. */
  actor_email?: string | null;
  action: string;
  created: string;
  /** What the change left (a rejection's `reason` is here). */
  after?: Record<string, unknown> | null;
}
export const audit = (logicId: string, signal?: AbortSignal) => api<{ entries: AuditEntry[] }>(`${BASE}/audit`, { query: { logic_id: logicId, limit: 50 }, signal });

export const merchantGateways = (signal?: AbortSignal) => api<{ gateways: GatewayAccountInfo[] }>('/v1/dashboard/gateways', { signal });
