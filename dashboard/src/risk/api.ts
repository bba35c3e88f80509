// Calls of the risk API (/v1/risk, docs/risk.md) used by the Risk page, and the shapes it answers.
import { api } from '../api/client';
import type { Condition } from '../priority-logic/types';

export type RiskAction = 'allow' | 'challenge_3ds' | 'review' | 'block';
/** What a check or the configuration can answer (a rule can also ask for 3-D Secure). */
type CheckAction = 'allow' | 'review' | 'block';
export type ListName = 'blocklist' | 'allowlist';
// The risk engine's own tables (src/risk: pure, browser-safe), not copies of them.
export { LIST_KINDS, type ListKind } from '../../../src/risk/lists.ts';
import type { ListKind } from '../../../src/risk/lists.ts';
export { CARD_TESTING_SOURCES, VELOCITY_DIMENSIONS } from '../../../src/risk/types.ts';

export interface VelocityLimit {
  id: string;
  dimension: string;
  metric: 'count' | 'amount';
  window_seconds: number;
  limit: number;
  action: 'block' | 'review';
}
interface CardTesting {
  small_amount_max: number;
  threshold: number;
  window_seconds: number;
  block_seconds: number;
  sources: string[];
}
export interface AmountLimit {
  payment_method_type: string | null;
  currency: string;
  min: number | null;
  max: number | null;
  action: 'block' | 'review';
}
export interface RiskConfig {
  enabled: boolean;
  mode: 'sequential' | 'parallel';
  provider: string;
  fail_open: boolean;
  provider_timeout_ms: number;
  /** The provider's call after the gateway's answer. */
  post_auth?: { enabled: boolean; timeout_ms: number; fail_open: boolean };
  /** A held payment not decided within this many hours is voided. */
  review_expiry_hours?: number;
  velocity: VelocityLimit[];
  card_testing: CardTesting | null;
  amount_limits: AmountLimit[];
  mismatch: { issuer_vs_billing: CheckAction; issuer_vs_ip: CheckAction } | null;
}
interface ConfigAnswer {
  configured: boolean;
  config: RiskConfig | null;
}
export interface RiskRule {
  id: string;
  name: string;
  condition: Condition;
  action: RiskAction;
  score: number;
  enabled: boolean;
}
export interface ListEntry {
  kind: ListKind;
  value: string;
  note: string | null;
  created: string;
}
interface ListPage {
  list: ListName;
  entries: ListEntry[];
  next_cursor: string | null;
}
export interface CheckAnswer {
  check: string;
  action: string;
  score: number;
  reasons: string[];
  code?: string;
}
export interface DryRunAnswer {
  action: RiskAction;
  score: number;
  code: string | null;
  reasons: string[];
  allowlisted: boolean;
  checks: CheckAnswer[];
}
export interface HeldPayment {
  txn_uuid: string;
  txn_id: string;
  order_id: string;
  status: string;
  amount: number;
  currency: string;
  gateway: string | null;
  risk: { score?: number; reasons?: string[]; code?: string | null };
  created: string;
}
export interface BlockedAttempt {
  txn_uuid: string;
  txn_id: string;
  order_id: string;
  status: string;
  amount: number;
  currency: string;
  payment_method_type: string;
  code: string | null;
  score: number;
  mode: string;
  reasons: string[];
  blocked_by: string[];
  checks: CheckAnswer[];
  created: string;
}
interface BlockedPage {
  blocked: BlockedAttempt[];
  next_cursor: string | null;
}
export interface BlockRate {
  bucket: string;
  bucket_seconds: number;
  buckets: Array<{ start: string; checked: number; blocked: number }>;
  by: Array<{ key: string; blocked: number[]; total: number }>;
  truncated: boolean;
}
export interface AuditEntry {
  id: string;
  actor: string;
  action: string;
  entity: string;
  detail: Record<string, unknown>;
  at: string;
}
interface ImportAnswer {
  received: number;
  added: number;
  skipped_header: boolean;
}

const BASE = '/v1/risk';
const enc = encodeURIComponent;

export const getConfig = (signal?: AbortSignal) => api<ConfigAnswer>(`${BASE}/config`, { signal });
export const putConfig = (config: RiskConfig) => api<ConfigAnswer>(`${BASE}/config`, { method: 'PUT', body: config });
export const listRules = (signal?: AbortSignal) => api<{ rules: RiskRule[] }>(`${BASE}/rules`, { signal });
export const createRule = (rule: Omit<RiskRule, 'id'>) => api<RiskRule>(`${BASE}/rules`, { method: 'POST', body: rule });
export const updateRule = (id: string, rule: Partial<Omit<RiskRule, 'id'>>) => api<RiskRule>(`${BASE}/rules/${enc(id)}`, { method: 'PUT', body: rule });
export const deleteRule = (id: string) => api<{ deleted: boolean }>(`${BASE}/rules/${enc(id)}`, { method: 'DELETE' });
export const listEntries = (list: ListName, q: { kind?: string; after?: string; limit?: number }, signal?: AbortSignal) => api<ListPage>(`${BASE}/lists/${list}`, { query: q, signal });
export const addEntries = (list: ListName, kind: ListKind, values: string[], note?: string) =>
  api<{ added: number }>(`${BASE}/lists/${list}`, { method: 'POST', body: { kind, values, ...(note ? { note } : {}) } });
export const removeEntry = (list: ListName, kind: ListKind, value: string) => api<{ removed: boolean }>(`${BASE}/lists/${list}/${kind}/${enc(value)}`, { method: 'DELETE' });
export const audit = (limit: number, signal?: AbortSignal) => api<{ audit: AuditEntry[] }>(`${BASE}/audit`, { query: { limit }, signal });
export const dryRun = (payment: Record<string, unknown>) => api<DryRunAnswer>(`${BASE}/dry-run`, { method: 'POST', body: payment });
export const reviews = (signal?: AbortSignal) => api<{ reviews: HeldPayment[] }>(`${BASE}/reviews`, { signal });
export const decide = (txnUuid: string, decision: 'approve' | 'reject') => api<Record<string, unknown>>(`${BASE}/reviews/${enc(txnUuid)}/${decision}`, { method: 'POST' });
export const blocked = (q: { from?: string; to?: string; before?: string; limit?: number }, signal?: AbortSignal) => api<BlockedPage>(`${BASE}/blocked`, { query: q, signal });
export const blockRate = (q: { from?: string; to?: string; bucket?: string }, signal?: AbortSignal) => api<BlockRate>(`${BASE}/block-rate`, { query: q, signal });

/** A list file (text/plain or text/csv) sent as it is; the API names bad lines as `file line N`. */
export async function importFile(list: ListName, kind: ListKind, file: File): Promise<ImportAnswer> {
  const contentType = /\.csv$/i.test(file.name) || file.type === 'text/csv' ? 'text/csv' : 'text/plain';
  return api<ImportAnswer>(`${BASE}/lists/${list}/${kind}/import`, { method: 'POST', body: await file.text(), headers: { 'content-type': contentType } });
}
