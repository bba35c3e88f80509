// Live gateway health: UP / FLUCTUATE / DOWN per gateway, polled every 3 s.
import { memo } from 'react';
import { HealthBadge, useGatewayHealth } from '../gateways/HealthBadge.tsx';
import { formatCount, formatRate, formatTime } from './format.ts';
import { ErrorState } from '../components/ErrorState.tsx';

/** Memoised: it has no props, so the page's range and filter changes never re-render it. */
export const GatewayHealthPanel = memo(function GatewayHealthPanel() {
  const { data, error, loading, reload } = useGatewayHealth(3000);
  const gateways = [...(data?.gateways ?? [])].sort((a, b) => a.gateway.localeCompare(b.gateway));
  return (
    <section className="card" aria-labelledby="health-heading">
      <h2 id="health-heading">Gateway health</h2>
      {error ? <ErrorState error={error} onRetry={reload} retrying={loading} /> : null}
      {loading && !data ? <p className="muted">Loading health…</p> : null}
      {data && gateways.length === 0 ? <p className="empty">No gateway has reported yet.</p> : null}
      {gateways.length > 0 ? (
        <ul className="health-list">
          {gateways.map((g) => (
            <li key={g.gateway} data-testid="gateway-health" data-gateway={g.gateway}>
              <strong>{g.gateway}</strong> <HealthBadge health={g.health} gateway={g.gateway} />
              <span className="muted">
                {' '}
                est. success {formatRate(g.mean)} · {formatCount(g.observations)} obs.
                {g.scheduled_outage ? ' · scheduled outage' : ''}
                {g.last_alarm_at ? ` · last alarm ${formatTime(g.last_alarm_at)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {data ? (
        <p className="muted small">
          DOWN below {formatRate(data.thresholds.down_below)}, FLUCTUATE below {formatRate(data.thresholds.fluctuate_below)} estimated success. Refreshed every 3 s.
        </p>
      ) : null}
    </section>
  );
});
