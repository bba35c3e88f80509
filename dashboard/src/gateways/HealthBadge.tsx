// UP / FLUCTUATE / DOWN as a coloured badge (classes from the shell's styles.css).
import { api } from '../api/client.ts';
import { useApiQuery } from '../api/query.ts';
import { queryKeys } from '../api/query-keys.ts';
import type { Health, HealthAnswer } from '../analytics/types.ts';

const CLASS: Record<string, string> = { UP: 'badge-up', FLUCTUATE: 'badge-fluctuate', DOWN: 'badge-down' } satisfies Record<Health, string>;

export function HealthBadge({ health, gateway }: { health: string | null | undefined; gateway?: string }) {
  if (!health)
    return (
      <span className="badge muted" data-testid="health-badge">
        UNKNOWN
      </span>
    );
  return (
    <span className={`badge ${CLASS[health] ?? ''}`} data-testid="health-badge" data-health={health} title={gateway ? `${gateway} is ${health}` : undefined}>
      {health}
    </span>
  );
}

/** Gateway health from GET /v1/routing/health, polled (every 3 s by default). */
export function useGatewayHealth(intervalMs = 3000, enabled = true) {
  return useApiQuery(queryKeys.gateways.health(), (signal) => api<HealthAnswer>('/v1/routing/health', { signal }), { refetchInterval: intervalMs, enabled });
}
