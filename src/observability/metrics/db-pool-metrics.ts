// The database pool, read at scrape time.
import { Gauge } from 'prom-client';
import type { DbPoolSample, MetricFamilyContext } from './types.ts';

export function registerDbPoolGauges({ registry, prefix: p, sources }: MetricFamilyContext): void {
  const poolGauge = (name: string, help: string, pick: (s: DbPoolSample) => number) =>
    new Gauge({
      name: `${p}${name}`,
      help,
      labelNames: ['engine'],
      registers: [registry],
      collect() {
        this.reset();
        const s = sources().dbPool?.();
        if (s) this.set({ engine: s.engine }, pick(s));
      },
    });
  poolGauge('db_pool_connections', 'Database connections open (PGlite: 1).', (s) => s.size);
  poolGauge('db_pool_connections_idle', 'Database connections idle.', (s) => s.idle);
  poolGauge('db_pool_waiting', 'Queries or transactions waiting for a connection.', (s) => s.waiting);
}
