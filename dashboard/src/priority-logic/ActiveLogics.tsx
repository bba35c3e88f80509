// 1.1 Active Priority Logics: the live configurations (active, staggered, fallback, or the default
// ordering when nothing is active) with Traffic %, Gateway Undecided and performance indicators,
// refreshed every 5 seconds. Trends: the last day in eight 3-hour slices (one request), refreshed each minute.
import { useEffect, useRef, useState } from 'react';
import { Sparkline } from '../charts/Sparkline';
import { Link } from '../router';
import { metrics } from './api';
import { fromMinor } from './model';
import type { LogicMetrics, MetricsReport } from './types';

export const POLL_MS = 5000;
const TREND_MS = 60_000;
const TREND_WINDOWS = 8;
const TREND_HOURS = 3;

const pct = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${n.toFixed(n % 1 === 0 ? 0 : 1)}%`);
const ms = (n: number | null) => (n === null ? '—' : `${n} ms`);

const ROLE_BADGE: Record<string, string> = { ACTIVE: 'badge-active', STAGGERED: 'badge-staggered', FALLBACK: 'badge-fallback', DEFAULT_ORDER: 'badge-inactive' };
const ROLE_TEXT: Record<string, string> = { ACTIVE: 'Active', STAGGERED: 'Staggered', FALLBACK: 'Fallback', DEFAULT_ORDER: 'Default ordering' };

interface Trend {
  success: number[];
  volume: number[];
}

function volumeText(m: LogicMetrics): string {
  const amounts = m.volume.amounts.slice(0, 2).map((a) => `${fromMinor(a.amount, a.currency)} ${a.currency}`);
  return `${m.volume.count.toLocaleString()} txns${amounts.length ? ` · ${amounts.join(', ')}` : ''}`;
}

export function ActiveLogics() {
  const [report, setReport] = useState<MetricsReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [updated, setUpdated] = useState<Date | null>(null);
  const [trends, setTrends] = useState<Record<string, Trend>>({});
  const inFlight = useRef(false);

  useEffect(() => {
    let live = true;
    const controller = new AbortController();
    const load = async () => {
      if (inFlight.current || (typeof document !== 'undefined' && document.hidden)) return;
      inFlight.current = true;
      try {
        const r = await metrics(undefined, undefined, controller.signal);
        if (!live) return;
        setReport(r);
        setError(null);
        setUpdated(new Date());
      } catch (e) {
        if (live && !(e instanceof DOMException && e.name === 'AbortError')) setError(e instanceof Error ? e.message : 'Could not load the figures');
      } finally {
        inFlight.current = false;
      }
    };
    const loadTrends = async () => {
      const to = new Date();
      const from = new Date(to.getTime() - TREND_WINDOWS * TREND_HOURS * 3600_000);
      const r = await metrics(from.toISOString(), to.toISOString(), controller.signal, TREND_WINDOWS).catch(() => null);
      if (!live || !r) return;
      const next: Record<string, Trend> = {};
      for (const m of r.logics) {
        if (!m.trend) continue;
        next[m.logic_id] = { success: m.trend.map((p) => p.success_rate ?? 0), volume: m.trend.map((p) => p.decided) };
      }
      setTrends(next);
    };
    void load();
    void loadTrends();
    const poll = setInterval(() => void load(), POLL_MS);
    const trend = setInterval(() => void loadTrends(), TREND_MS);
    return () => {
      live = false;
      controller.abort();
      clearInterval(poll);
      clearInterval(trend);
    };
  }, []);

  const rows = (report?.logics ?? []).filter((m) => m.roles.length > 0).sort((a, b) => b.traffic_percent - a.traffic_percent);

  return (
    <section className="card" aria-labelledby="active-title" data-testid="active-logics">
      <div className="card-header">
        <h2 id="active-title">Active Priority Logics</h2>
        <span className="muted small" aria-live="off">
          <span className="live-dot" aria-hidden="true" />
          Live · last 24 hours{updated ? ` · updated ${updated.toLocaleTimeString()}` : ''}
        </span>
      </div>
      {error ? (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
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
              {rows.map((m) => {
                const isDefault = m.logic_id === 'DEFAULT_ORDER';
                const name = isDefault ? 'Default ordering (no active logic)' : (m.name ?? m.logic_id);
                const t = trends[m.logic_id];
                return (
                  <tr key={m.logic_id} data-testid={`active-row-${m.logic_id}`}>
                    <td>{isDefault ? name : <Link to={`/priority-logic/${m.logic_id}`}>{name}</Link>}</td>
                    <td>
                      <span className="row" style={{ gap: 4 }}>
                        {m.roles.map((r) => (
                          <span key={r} className={`badge ${ROLE_BADGE[r] ?? ''}`}>
                            {ROLE_TEXT[r] ?? r}
                            {r === 'STAGGERED' && report?.routing.stagger_percentage ? ` ${report.routing.stagger_percentage}%` : ''}
                          </span>
                        ))}
                      </span>
                    </td>
                    <td className="num">{pct(m.traffic_percent)}</td>
                    <td className="num">{pct(m.gateway_undecided_percent)}</td>
                    <td className="num">{pct(m.success_rate)}</td>
                    <td className="small">{volumeText(m)}</td>
                    <td className="num">
                      {ms(m.latency_ms.p50)} / {ms(m.latency_ms.p95)}
                    </td>
                    <td>
                      {t && t.volume.some((v) => v > 0) ? (
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
              })}
            </tbody>
          </table>
          <p className="muted small" style={{ marginTop: 8 }}>
            Traffic %: share of the decided transactions. Gateway Undecided: decisions that produced no gateway. Trend: success rate and volume per 3 hours.
          </p>
        </div>
      ) : null}
    </section>
  );
}
