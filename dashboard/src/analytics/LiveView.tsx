// The live view of the demo: attempts per gateway over the last 5 minutes (polled every 2 s) and,
// for roles allowed to, controls that put a simulated gateway into an outage and end it, so a
// merchant sees traffic leave the gateway and come back.
import { memo, useMemo } from 'react';
import { api } from '../api/client.ts';
import { can, type Role } from '../auth/permissions.ts';
import { pivot } from '../charts/series.ts';
import { ShareBar } from '../charts/ShareBar.tsx';
import { TimeSeriesChart } from '../charts/TimeSeriesChart.tsx';
import { normalizeAccounts, simulatedGateways } from '../gateways/types.ts';
import { errorText, formatCount, formatShare, formatTime } from './format.ts';
import { useApiQuery } from '../api/query.ts';
import { queryKeys } from '../api/query-keys.ts';
import { ErrorState, QueryError } from '../components/ErrorState.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { gatewayLabel, type LiveAnswer } from './types.ts';
import { useOutageControls, type OutageMode } from './use-outage-controls.ts';

const LIVE_SECONDS = 300;
const LIVE_STEP = 10;
/** The share table sums the last few steps (30 s), the newest step being still open. */
const RECENT_STEPS = 3;

/** Memoised: the page's range and filter changes never re-render it (it polls on its own). */
export const LiveView = memo(function LiveView({ role, pollMs = 2000 }: { role: Role | undefined; pollMs?: number }) {
  const live = useApiQuery(queryKeys.analytics.live(LIVE_SECONDS, LIVE_STEP), (signal) => api<LiveAnswer>('/v1/dashboard/live', { query: { seconds: LIVE_SECONDS, step: LIVE_STEP }, signal }), {
    refetchInterval: pollMs,
  });
  const step = live.data?.step_seconds || LIVE_STEP;
  const chart = useMemo(() => {
    const fromMs = live.data?.from ? Date.parse(live.data.from) : Date.now() - LIVE_SECONDS * 1000;
    const toMs = live.data?.to ? Date.parse(live.data.to) : Number.NaN;
    return pivot(live.data?.series ?? [], (p) => p.attempts, { missing: 0, step, from: Math.floor(fromMs / 1000), ...(Number.isNaN(toMs) ? {} : { to: Math.ceil(toMs / 1000) }) });
  }, [live.data, step]);

  const recent = useMemo(() => {
    const points = live.data?.series ?? [];
    const times = [...new Set(points.map((p) => Date.parse(p.t)))].sort((a, b) => b - a).slice(0, RECENT_STEPS);
    const inWindow = new Set(times);
    const byGateway = new Map<string, { attempts: number; charged: number }>();
    for (const p of points) {
      if (!inWindow.has(Date.parse(p.t))) continue;
      const name = gatewayLabel(p.gateway);
      const row = byGateway.get(name) ?? { attempts: 0, charged: 0 };
      row.attempts += p.attempts;
      row.charged += p.charged;
      byGateway.set(name, row);
    }
    const rows = [...byGateway.entries()].map(([gateway, r]) => ({ gateway, ...r })).sort((a, b) => a.gateway.localeCompare(b.gateway));
    return { rows, total: rows.reduce((s, r) => s + r.attempts, 0) };
  }, [live.data]);

  const canOutage = can(role, 'simulator.outage');
  const liveGateways = useMemo(() => [...new Set((live.data?.series ?? []).flatMap((p) => (p.gateway ? [p.gateway] : [])))], [live.data]);

  return (
    <section className="card live-view" aria-labelledby="live-heading">
      <h2 id="live-heading">Live traffic</h2>
      <p className="muted small">Attempts per gateway over the last 5 minutes, in {step}-second steps. Refreshed every 2 s.</p>
      <QueryError query={live} />
      {live.loading && !live.data ? <p className="muted">Loading live traffic…</p> : null}
      {live.data ? <TimeSeriesChart title="Attempts per gateway, last 5 minutes" x={chart.x} series={chart.series} stepped height={220} emptyText="No traffic in the last 5 minutes." /> : null}
      {live.data && recent.rows.length > 0 ? (
        <table className="table live-share" aria-label="Traffic share, last 30 seconds">
          <thead>
            <tr>
              <th scope="col">Gateway</th>
              <th scope="col" className="num">
                Attempts (30 s)
              </th>
              <th scope="col">Share</th>
              <th scope="col" className="num">
                Charged
              </th>
            </tr>
          </thead>
          <tbody>
            {recent.rows.map((r) => (
              <tr key={r.gateway} data-testid="live-share-row" data-gateway={r.gateway}>
                <th scope="row">{r.gateway}</th>
                <td className="num">{formatCount(r.attempts)}</td>
                <td>
                  {formatShare(r.attempts, recent.total)}
                  <ShareBar share={recent.total ? r.attempts / recent.total : 0} label={`${r.gateway} share ${formatShare(r.attempts, recent.total)}`} />
                </td>
                <td className="num">{formatShare(r.charged, r.attempts)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {canOutage ? <OutageControls fallbackGateways={liveGateways} /> : null}
    </section>
  );
});

function OutageControls({ fallbackGateways }: { fallbackGateways: readonly string[] }) {
  const accounts = useApiQuery(queryKeys.gateways.accounts(), async (signal) => normalizeAccounts(await api<unknown>('/v1/dashboard/gateways', { signal })));
  const fromAccounts = useMemo(() => simulatedGateways(accounts.data ?? []), [accounts.data]);
  // Without the account list (it failed to load), offer the simulated gateways seen in the traffic.
  const gateways = accounts.error ? fallbackGateways.filter((g) => g.startsWith('SIM_')).sort() : fromAccounts;

  const { setSelected, duration, setDuration, mode, setMode, busy, message, error, durationError, gateway, confirming, setConfirming, running, ask, start, end } = useOutageControls(gateways);

  return (
    <form className="outage-form" aria-labelledby="outage-heading" onSubmit={ask} noValidate>
      <ConfirmDialog
        open={confirming !== null}
        title={`Start an outage on ${confirming?.gateway ?? ''}?`}
        confirmLabel="Start outage"
        danger
        busy={busy}
        onCancel={() => setConfirming(null)}
        onConfirm={() => void start()}
      >
        <p>
          For {confirming?.seconds} s every payment routed to {confirming?.gateway} will {confirming?.mode === 'TIMEOUT' ? 'get no answer (timeout)' : 'be declined'}, until the outage ends or you end
          it.
        </p>
      </ConfirmDialog>
      <h3 id="outage-heading">Simulate an outage</h3>
      {accounts.error && gateways.length === 0 ? <ErrorState error={accounts.error} onRetry={accounts.reload} retrying={accounts.loading} /> : null}
      {!accounts.loading && gateways.length === 0 ? <p className="empty">No simulated gateway is configured for this merchant.</p> : null}
      {gateways.length > 0 ? (
        <div className="toolbar">
          <div className="field">
            <label htmlFor="outage-gateway">Simulated gateway</label>
            <select id="outage-gateway" value={gateway} onChange={(e) => setSelected(e.target.value)}>
              {gateways.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="outage-duration">Duration (seconds)</label>
            <input
              id="outage-duration"
              type="number"
              inputMode="numeric"
              min={1}
              max={3600}
              step={1}
              value={duration}
              onChange={(e) => setDuration(e.target.value)}
              aria-invalid={durationError ? true : undefined}
              aria-describedby={durationError ? 'outage-duration-error' : undefined}
            />
            {durationError ? (
              <p id="outage-duration-error" className="field-error">
                {durationError}
              </p>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="outage-mode">Mode</label>
            <select id="outage-mode" value={mode} onChange={(e) => setMode(e.target.value as OutageMode)}>
              <option value="DOWN">DOWN (declines)</option>
              <option value="TIMEOUT">TIMEOUT (no answer)</option>
            </select>
          </div>
          <button type="submit" className="btn btn-danger" disabled={busy}>
            Start outage
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => void end()}>
            End outage
          </button>
        </div>
      ) : null}
      {running.length > 0 ? (
        <p className="muted small" data-testid="active-outages">
          Started here: {running.map(([g, o]) => `${g} (${o.mode}) until ${formatTime(new Date(o.until).toISOString())}`).join(', ')}
        </p>
      ) : null}
      <div role="status" aria-live="polite">
        {message}
      </div>
      {error && !durationError ? (
        <p role="alert" className="field-error">
          {errorText(error)}
        </p>
      ) : null}
    </form>
  );
}
