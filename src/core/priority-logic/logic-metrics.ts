// Per-logic figures over a window (traffic share, success rate, volume, latency, an optional trend),
// from the decisions stored on the transactions.
import { invalidField } from '../errors.ts';
import type { PriorityLogicStore } from '../ports/priority-logic-store.ts';
import { requireRight } from './access.ts';
import type { Actor, RoutingConfig } from './types.ts';

export interface LogicMetricsDeps {
  store: PriorityLogicStore;
}

export interface MetricsWindow {
  from: Date;
  to: Date;
  /** Also cut the window into this many equal slices, per logic (the dashboard's trend lines). */
  trendSlices?: number;
}

export interface TrendPoint {
  from: Date;
  decided: number;
  successRate: number | null;
}

export interface LogicMetrics {
  logicId: string;
  name: string | null;
  kind: string | null;
  status: string | null;
  roles: string[];
  decided: number;
  trafficPercent: number;
  undecidedPercent: number;
  successRate: number | null;
  settled: number;
  succeeded: number;
  volume: { count: number; amounts: { currency: string; count: number; amount: number }[] };
  latencyMs: { p50: number | null; p95: number | null };
  /** Present when the window was asked for in slices. */
  trend?: TrendPoint[];
}

export interface MetricsReport {
  from: Date;
  to: Date;
  totalDecided: number;
  routing: RoutingConfig | null;
  logics: LogicMetrics[];
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * Each count's share of the total in percent with `decimals` decimals, rounded so that the shares add
 * up to exactly 100 (largest remainder: the units lost to rounding down go to the largest remainders,
 * the earlier entry first on a tie). All zeros when the total is 0.
 */
export function percentShares(counts: readonly number[], decimals = 2): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  if (total <= 0) return counts.map(() => 0);
  const scale = 100 * 10 ** decimals;
  const units = counts.map((c) => Math.floor((c * scale) / total));
  let left = scale - units.reduce((s, u) => s + u, 0);
  const order = counts.map((c, i) => ({ i, rem: (c * scale) % total })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i, rem } of order) {
    if (left <= 0 || rem === 0) break;
    units[i] += 1;
    left--;
  }
  return units.map((u) => u / 10 ** decimals);
}

/** Per-logic figures over a window, from the decisions stored on the transactions. */
export async function logicMetrics(deps: LogicMetricsDeps, actor: Actor, window: MetricsWindow): Promise<MetricsReport> {
  const { store } = deps;
  requireRight(actor, 'read');
  if (!(window.from < window.to)) throw invalidField('from', 'must be before to');
  const slices = window.trendSlices;
  if (slices !== undefined && (!Number.isInteger(slices) || slices < 1 || slices > 96)) throw invalidField('trend_buckets', 'must be an integer from 1 to 96');
  const sliceMs = slices ? Math.ceil((window.to.getTime() - window.from.getTime()) / slices) : 0;
  const [rows, routing, trendRows] = await Promise.all([
    store.metrics(actor.merchantId, window.from, window.to),
    store.getRouting(actor.merchantId),
    slices ? store.metricsTrend(actor.merchantId, window.from, window.to, sliceMs) : Promise.resolve([]),
  ]);
  const trendOf = (id: string): TrendPoint[] | undefined => {
    if (!slices) return undefined;
    return Array.from({ length: slices }, (_, i) => {
      const row = trendRows.find((t) => t.logicId === id && t.slice === i);
      return { from: new Date(window.from.getTime() + i * sliceMs), decided: row?.decided ?? 0, successRate: row?.settled ? round2((row.succeeded / row.settled) * 100) : null };
    });
  };
  const ids = rows.logics.map((r) => r.logicId).filter((id) => id !== 'DEFAULT_ORDER');
  const live = [routing?.activeLogicId, routing?.staggeredLogicId, routing?.fallbackLogicId].filter((x): x is string => typeof x === 'string');
  const logics = new Map((await store.getLogics(actor.merchantId, [...new Set([...ids, ...live])])).map((l) => [l.id, l]));
  // Every decision of the window counts, whoever made it (a logic replaced inside the window, the
  // default ordering before a logic was activated): the shares add up to 100.
  const total = rows.logics.reduce((s, r) => s + r.decided, 0);
  const shares = percentShares(rows.logics.map((r) => r.decided));
  // Roles are today's configuration; a row without one decided earlier in the window only.
  const rolesOf = (id: string): string[] => {
    const roles: string[] = [];
    if (routing?.activeLogicId === id) roles.push('ACTIVE');
    if (routing?.staggeredLogicId === id) roles.push('STAGGERED');
    if (routing?.fallbackLogicId === id) roles.push('FALLBACK');
    // The default ordering is live only while no logic is active.
    if (id === 'DEFAULT_ORDER' && !routing?.activeLogicId) roles.push('DEFAULT_ORDER');
    return roles;
  };
  const out: LogicMetrics[] = rows.logics.map((r, i) => {
    const amounts = rows.amounts.filter((a) => a.logicId === r.logicId).map((a) => ({ currency: a.currency, count: a.count, amount: a.amount }));
    const stored = logics.get(r.logicId);
    return {
      logicId: r.logicId,
      name: stored?.name ?? r.logicName,
      kind: stored?.kind ?? r.logicKind,
      status: stored ? (stored.deletedAt ? 'DELETED' : stored.status) : null,
      roles: rolesOf(r.logicId),
      decided: r.decided,
      trafficPercent: shares[i] ?? 0,
      undecidedPercent: r.decided ? round2((r.undecided / r.decided) * 100) : 0,
      successRate: r.settled ? round2((r.succeeded / r.settled) * 100) : null,
      settled: r.settled,
      succeeded: r.succeeded,
      volume: { count: r.decided, amounts },
      latencyMs: { p50: r.p50LatencyMs === null ? null : Math.round(r.p50LatencyMs), p95: r.p95LatencyMs === null ? null : Math.round(r.p95LatencyMs) },
      ...(slices ? { trend: trendOf(r.logicId)! } : {}),
    };
  });
  // Live logics that decided nothing in the window still appear (traffic 0).
  for (const id of live) {
    if (out.some((m) => m.logicId === id)) continue;
    const stored = logics.get(id);
    out.push({
      logicId: id,
      name: stored?.name ?? null,
      kind: stored?.kind ?? null,
      status: stored?.status ?? null,
      roles: rolesOf(id),
      decided: 0,
      trafficPercent: 0,
      undecidedPercent: 0,
      successRate: null,
      settled: 0,
      succeeded: 0,
      volume: { count: 0, amounts: [] },
      latencyMs: { p50: null, p95: null },
      ...(slices ? { trend: trendOf(id)! } : {}),
    });
  }
  return { from: window.from, to: window.to, totalDecided: total, routing, logics: out };
}
