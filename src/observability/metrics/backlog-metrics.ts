// The webhook outbox and status sync backlogs, read at scrape time.
import { Gauge } from 'prom-client';
import type { BacklogSample, MetricFamilyContext } from './types.ts';

export function registerBacklogGauges({ registry, prefix: p, sources }: MetricFamilyContext): void {
  // Every backlog gauge comes from one read per scrape.
  let backlogRead: Promise<BacklogSample | null> | null = null;
  const readBacklog = (): Promise<BacklogSample | null> =>
    (backlogRead ??= (sources().backlog?.() ?? Promise.resolve(null)).catch(() => null).finally(() => setTimeout(() => (backlogRead = null), 0).unref()));
  const backlogGauge = (name: string, help: string, labelNames: string[], pick: (b: BacklogSample, set: (labels: Record<string, string>, v: number) => void) => void) =>
    new Gauge({
      name: `${p}${name}`,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const b = await readBacklog();
        this.reset();
        if (b) pick(b, (labels, v) => this.set(labels, v));
      },
    });
  backlogGauge('webhook_outbox_events', 'Webhook outbox events not delivered, by state (PENDING: waiting or retrying; FAILED: retries exhausted).', ['state'], (b, set) => {
    set({ state: 'PENDING' }, b.outbox.pending);
    set({ state: 'FAILED' }, b.outbox.failed);
  });
  backlogGauge('webhook_outbox_oldest_pending_age_seconds', 'Age of the oldest undelivered PENDING outbox event (0 when none): the delivery lag now.', [], (b, set) =>
    set({}, b.outbox.oldestPendingAgeSeconds),
  );
  backlogGauge('status_sync_backlog', 'Payment attempts whose outcome is not settled yet (the status sync works them off).', [], (b, set) => set({}, b.statusSync.unsettled));
  backlogGauge('status_sync_oldest_age_seconds', 'Age of the oldest unsettled payment attempt since its last update (0 when none).', [], (b, set) => set({}, b.statusSync.oldestAgeSeconds));
}
