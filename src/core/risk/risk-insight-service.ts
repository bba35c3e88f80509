// What the dashboard's Risk page reads beyond the setup: the attempts the risk checks blocked
// (with their code, reasons and the checks that blocked), and blocks per check or rule per time
// bucket. Read-only; every call is scoped to the actor's merchant and needs the read right.
import { AppError, invalidField } from '../errors.ts';
import type { Actor } from '../priority-logic/types.ts';
import { hasRight } from '../priority-logic/priority-logic-service.ts';
import type { RiskInsightStore } from '../ports/risk-insight-store.ts';

export interface BlockedQuery {
  from?: string;
  to?: string;
  limit?: string;
  before?: string;
}
export interface BlockRateQuery {
  from?: string;
  to?: string;
  bucket?: string;
}

const DAY = 86_400_000;
const MAX_WINDOW = 93 * DAY;
const MAX_BUCKETS = 1_000;
const MAX_BLOCKED_READ = 200_000;
const BUCKETS: Record<string, number> = { '1m': 60, '5m': 300, '15m': 900, '1h': 3600, '6h': 21_600, '1d': 86_400 };

function instant(raw: string | undefined, field: string, fallback: Date): Date {
  if (raw === undefined || raw === '') return fallback;
  const d = new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(d.getTime())) throw invalidField(field, 'must be an ISO 8601 date-time, e.g. 2026-12-04T10:00:00Z');
  return d;
}

function window(q: { from?: string; to?: string }, now: Date): { from: Date; to: Date } {
  const to = instant(q.to, 'to', now);
  const from = instant(q.from, 'from', new Date(to.getTime() - DAY));
  if (from.getTime() >= to.getTime()) throw invalidField('from', 'must be before to');
  if (to.getTime() - from.getTime() > MAX_WINDOW) throw invalidField('from', 'the window is at most 93 days');
  return { from, to };
}

/** A cursor is `<ISO time>|<txn uuid>` of the last attempt of the previous page. */
function cursor(raw: string | undefined): { at: Date; id: string } | undefined {
  if (raw === undefined || raw === '') return undefined;
  const bar = raw.indexOf('|');
  const at = new Date(raw.slice(0, bar));
  if (bar < 0 || Number.isNaN(at.getTime()) || bar === raw.length - 1) throw invalidField('before', 'must be a next_cursor from a previous page');
  return { at, id: raw.slice(bar + 1) };
}

interface StoredCheck {
  check: string;
  action: string;
  score: number;
  reasons: string[];
  code?: string;
}

function checksOf(raw: unknown): StoredCheck[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((c): c is StoredCheck => typeof c === 'object' && c !== null && typeof (c as StoredCheck).check === 'string')
    .map((c) => ({
      check: c.check,
      action: String(c.action),
      score: Number(c.score ?? 0),
      reasons: Array.isArray(c.reasons) ? c.reasons.map(String) : [],
      ...(c.code ? { code: String(c.code) } : {}),
    }));
}

const RULE_REASON = /^rule "(.*)" matched \(block\)$/;

/**
 * What blocked an attempt, as series keys: `rule:<name>` for each merchant rule that matched with
 * a block action, else the blocking check's name (`blocklist`, `velocity`, `provider:reference`...).
 */
export function blockingKeys(checks: readonly StoredCheck[]): string[] {
  const keys: string[] = [];
  for (const c of checks) {
    if (c.action !== 'block') continue;
    if (c.check === 'rules') {
      const rules = c.reasons.map((r) => RULE_REASON.exec(r)?.[1]).filter((n): n is string => n !== undefined);
      if (rules.length) for (const name of rules) keys.push(`rule:${name}`);
      else keys.push('rules');
    } else keys.push(c.check);
  }
  return [...new Set(keys)];
}

export function createRiskInsightService(deps: { store: RiskInsightStore; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const need = (actor: Actor) => {
    if (!hasRight(actor, 'read')) throw new AppError('UNAUTHORIZED', 'You do not have access');
  };
  return {
    /** Attempts the checks blocked, newest first, a page at a time. */
    async blocked(actor: Actor, q: BlockedQuery) {
      need(actor);
      const { from, to } = window(q, now());
      const limit = q.limit === undefined || q.limit === '' ? 50 : Number(q.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw invalidField('limit', 'must be an integer from 1 to 500');
      const rows = await deps.store.blocked(actor.merchantId, { from, to, limit: limit + 1, before: cursor(q.before) });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        blocked: page.map((r) => {
          const checks = checksOf(r.risk.checks);
          const late = typeof r.risk.late === 'object' && r.risk.late !== null ? r.risk.late : null;
          return {
            txn_uuid: r.txnUuid,
            txn_id: r.txnId,
            order_id: r.orderId,
            status: r.status,
            amount: r.amount,
            currency: r.currency,
            payment_method_type: r.paymentMethodType,
            code: typeof r.risk.code === 'string' ? r.risk.code : r.errorCode,
            score: Number(r.risk.score ?? 0),
            mode: typeof r.risk.mode === 'string' ? r.risk.mode : 'sequential',
            reasons: Array.isArray(r.risk.reasons) ? r.risk.reasons.map(String) : [],
            blocked_by: blockingKeys(checks),
            checks,
            late,
            created: r.createdAt.toISOString(),
          };
        }),
        next_cursor: rows.length > limit && last ? `${last.createdAt.toISOString()}|${last.txnUuid}` : null,
      };
    },
    /** Per time bucket: attempts checked, and blocks per rule or check. */
    async blockRate(actor: Actor, q: BlockRateQuery) {
      need(actor);
      const { from, to } = window(q, now());
      const bucketName = q.bucket === undefined || q.bucket === '' ? '1h' : q.bucket;
      const bucketSeconds = BUCKETS[bucketName];
      if (bucketSeconds === undefined) throw invalidField('bucket', `must be one of ${Object.keys(BUCKETS).join(', ')}`);
      const first = Math.floor(from.getTime() / 1000 / bucketSeconds) * bucketSeconds;
      const count = Math.ceil((to.getTime() / 1000 - first) / bucketSeconds);
      if (count > MAX_BUCKETS) throw invalidField('bucket', `gives ${count} buckets for this window; at most ${MAX_BUCKETS}`);
      const rows = await deps.store.blockRate(actor.merchantId, { from, to, bucketSeconds, maxBlocked: MAX_BLOCKED_READ });
      const starts = Array.from({ length: count }, (_, i) => first + i * bucketSeconds);
      const index = new Map(starts.map((s, i) => [s, i]));
      const checked = starts.map(() => 0);
      const blocked = starts.map(() => 0);
      for (const r of rows.checked) {
        const i = index.get(r.bucket);
        if (i !== undefined) checked[i] = r.count;
      }
      const series = new Map<string, number[]>();
      for (const r of rows.blocked) {
        const i = index.get(r.bucket);
        if (i === undefined) continue;
        blocked[i]! += 1;
        for (const key of blockingKeys(checksOf(r.checks))) {
          let s = series.get(key);
          if (!s) series.set(key, (s = starts.map(() => 0)));
          s[i]! += 1;
        }
      }
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        bucket: bucketName,
        bucket_seconds: bucketSeconds,
        buckets: starts.map((s, i) => ({ start: new Date(s * 1000).toISOString(), checked: checked[i]!, blocked: blocked[i]! })),
        by: [...series.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([key, counts]) => ({ key, blocked: counts, total: counts.reduce((x, y) => x + y, 0) })),
        truncated: rows.truncated,
      };
    },
  };
}

export type RiskInsightService = ReturnType<typeof createRiskInsightService>;
