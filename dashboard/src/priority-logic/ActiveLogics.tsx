// 1.1 Active Priority Logics: every configuration that decided in the window (the live ones: active,
// staggered with its split, fallback, or the default ordering when nothing is active; and those
// replaced inside the window) with Traffic % over all the window's decisions (adding up to 100),
// Gateway Undecided and performance indicators, refreshed every 5 seconds. Trends: the last day in eight 3-hour slices (one request), refreshed each minute.
import { useMemo } from 'react';
import { useApiQuery } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { Sparkline } from '../charts/Sparkline';
import { Link } from '../router';
import { metrics } from './api';
import { ErrorState } from '../components/ErrorState';
import { formatTime } from '../format/datetime';
import { formatMoney } from '../format/money';
import type { LogicMetrics, MetricsReport } from './types';

const POLL_MS = 5000;
const TREND_MS = 60_000;
const TREND_WINDOWS = 8;
const TREND_HOURS = 3;

const pct = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${n.toFixed(n % 1 === 0 ? 0 : 1)}%`);
const ms = (n: number | null) => (n === null ? '—' : `${n} ms`);

export const ROLE_BADGE: Record<string, string> = { ACTIVE: 'badge-active', STAGGERED: 'badge-staggered', FALLBACK: 'badge-fallback', DEFAULT_ORDER: 'badge-inactive' };
export const ROLE_TEXT: Record<string, string> = { ACTIVE: 'Active', STAGGERED: 'Staggered', FALLBACK: 'Fallback', DEFAULT_ORDER: 'Default ordering' };
const ROLE_ORDER: Record<string, number> = { ACTIVE: 0, STAGGERED: 1, FALLBACK: 2, DEFAULT_ORDER: 3 };
const rank = (m: LogicMetrics) => Math.min(4, ...m.roles.map((r) => ROLE_ORDER[r] ?? 4));

/**
 * The Traffic % column as shown (one decimal): the shares rescaled so that the shown figures add up to
 * exactly 100 (largest remainder, the earlier row first on a tie); all zeros without traffic.
 */
export function shownShares(percents: readonly number[]): number[] {
  const weights = percents.map((p) => Math.max(0, Math.round(p * 100)));
  const total = weights.reduce((s, w) => s + w, 0);
  if (total === 0) return percents.map(() => 0);
  const units = weights.map((w) => Math.floor((w * 1000) / total));
  let left = 1000 - units.reduce((s, u) => s + u, 0);
  const order = weights.map((w, i) => ({ i, rem: (w * 1000) % total })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i, rem } of order) {
    if (left <= 0 || rem === 0) break;
    units[i] = (units[i] ?? 0) + 1;
    left--;
  }
  return units.map((u) => u / 10);
}

interface Trend {
  success: number[];
  volume: number[];
}

function volumeText(m: LogicMetrics): string {
  const amounts = m.volume.amounts.slice(0, 2).map((a) => formatMoney(a.amount, a.currency));
  return `${m.volume.count.toLocaleString()} txns${amounts.length ? ` · ${amounts.join(', ')}` : ''}`;
}

export function ActiveLogics() {
  // Two polls of GET /metrics: the figures (every 5 s) and the trends (eight slices, every minute).
  const live = useApiQuery(queryKeys.priorityLogic.metrics(), (signal) => metrics(undefined, undefined, signal), { refetchInterval: POLL_MS });
  const trends = useLogicTrends();
  const report: MetricsReport | null = live.data;
  const error = live.error;
  const updated = live.updatedAt ? new Date(live.updatedAt) : null;

  // Live configurations, and every other one that decided in the window (replaced inside it): the
  // Traffic % of all of them adds up to 100.
  const rows = (report?.logics ?? []).filter((m) => m.roles.length > 0 || m.decided > 0).sort((a, b) => rank(a) - rank(b) || b.traffic_percent - a.traffic_percent);
  const shares = shownShares(rows.map((m) => m.traffic_percent));
  const routing = report?.routing ?? null;
  const stagger = routing?.staggered_logic_id && routing.stagger_percentage ? routing.stagger_percentage : null;
  const nameOf = (id: string | null | undefined) => {
    const m = (report?.logics ?? []).find((l) => l.logic_id === id);
    return m?.name ?? id ?? '–';
  };

  return (
    <section className="card" aria-labelledby="active-title" data-testid="active-logics">
      <div className="card-header">
        <h2 id="active-title">Active Priority Logics</h2>
        {error ? (
          <span className="muted small live-indicator" data-testid="live-indicator" data-state="error">
            <span className="live-dot live-dot-error" aria-hidden="true" />
            Not updating{updated ? ` · last updated ${formatTime(updated)}` : ''}
          </span>
        ) : (
          <span className="muted small live-indicator" aria-live="off" data-testid="live-indicator" data-state="live">
            <span className="live-dot" aria-hidden="true" />
            Live · last 24 hours{updated ? ` · updated ${formatTime(updated)}` : ''}
          </span>
        )}
      </div>
      {error ? <ErrorState error={error} retrying={live.loading} onRetry={live.reload} /> : null}
      {!report && !error ? (
        <p className="muted" role="status">
          Loading…
        </p>
      ) : null}
      {report && rows.length === 0 ? <p className="empty">No active Priority Logic: payments use the default ordering of the merchant’s gateways.</p> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Configuration Name</th>
                <th scope="col">Role</th>
                <th scope="col" className="num">
                  Traffic %
                </th>
                <th scope="col" className="num">
                  Gateway Undecided
                </th>
                <th scope="col" className="num">
                  Success rate
                </th>
                <th scope="col">Volume</th>
                <th scope="col" className="num">
                  Latency p50 / p95
                </th>
                <th scope="col">Trend (24 h)</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m, i) => (
                <ActiveLogicRow key={m.logic_id} m={m} share={shares[i]} stagger={stagger} trend={trends[m.logic_id]} />
              ))}
            </tbody>
          </table>
          {stagger ? (
            <p className="small" style={{ marginTop: 8 }} data-testid="stagger-split">
              {`Staggered release: ${nameOf(routing?.active_logic_id)} ${100 - stagger}% · ${nameOf(routing?.staggered_logic_id)} ${stagger}% of new payments`}
            </p>
          ) : null}
          <p className="muted small" style={{ marginTop: 8 }}>
            Traffic %: share of all the decisions in the window, those of logics replaced in it included. Gateway Undecided: decisions that produced no gateway. Trend: success rate and volume per 3
            hours.
          </p>
        </div>
      ) : null}
    </section>
  );
}

/** The trends of every configuration: the last day in eight 3-hour slices (one request), refreshed each minute. */
function useLogicTrends(): Record<string, Trend> {
  const trendAnswer = useApiQuery(
    queryKeys.priorityLogic.metrics({ trendBuckets: TREND_WINDOWS }),
    (signal) => {
      const to = new Date();
      const from = new Date(to.getTime() - TREND_WINDOWS * TREND_HOURS * 3600_000);
      return metrics(from.toISOString(), to.toISOString(), signal, TREND_WINDOWS);
    },
    { refetchInterval: TREND_MS },
  );
  return useMemo(() => {
    const next: Record<string, Trend> = {};
    for (const m of trendAnswer.data?.logics ?? []) {
      if (!m.trend) continue;
      next[m.logic_id] = { success: m.trend.map((p) => p.success_rate ?? 0), volume: m.trend.map((p) => p.decided) };
    }
    return next;
  }, [trendAnswer.data]);
}

/** A configuration's row: its name (a link unless the default ordering), roles, figures and trend. */
function ActiveLogicRow({ m, share, stagger, trend: t }: { m: LogicMetrics; share: number | undefined; stagger: number | null; trend: Trend | undefined }) {
  const isDefault = m.logic_id === 'DEFAULT_ORDER';
  const live = m.roles.length > 0;
  const name = isDefault ? (live ? 'Default ordering (no active logic)' : 'Default ordering') : (m.name ?? m.logic_id);
  return (
    <tr data-testid={`active-row-${m.logic_id}`}>
      <td>{isDefault ? name : <Link to={`/priority-logic/${m.logic_id}`}>{name}</Link>}</td>
      <td>
        <span className="row" style={{ gap: 4 }}>
          {m.roles.map((r) => (
            <span key={r} className={`badge ${ROLE_BADGE[r] ?? ''}`}>
              {ROLE_TEXT[r] ?? r}
              {r === 'STAGGERED' && stagger ? ` ${stagger}%` : ''}
              {r === 'ACTIVE' && stagger ? ` ${100 - stagger}%` : ''}
            </span>
          ))}
          {live ? null : (
            <span className="badge badge-inactive" title="Decided payments earlier in this window; no longer live">
              Replaced
            </span>
          )}
        </span>
      </td>
      <td className="num" data-testid="traffic-percent">
        {pct(share)}
      </td>
      <td className="num">{pct(m.gateway_undecided_percent)}</td>
      <td className="num">{pct(m.success_rate)}</td>
      <td className="small">{volumeText(m)}</td>
      <td className="num">
        {ms(m.latency_ms.p50)} / {ms(m.latency_ms.p95)}
      </td>
      <td>
        {t?.volume.some((v) => v > 0) ? (
          <span className="trend-cell">
            <Sparkline values={t.success} width={64} height={22} label={`${name} success rate trend`} />
            <Sparkline values={t.volume} width={64} height={22} label={`${name} volume trend`} />
          </span>
        ) : (
          <span className="muted small">no traffic yet</span>
        )}
      </td>
    </tr>
  );
}
