// The outage simulation of the Live view: the gateway, duration and mode chosen, the confirmation
// asked before an outage starts, starting and ending it (POST / DELETE
// /v1/dashboard/gateways/{gateway}/outage), and the outages started here.
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client.ts';
import { useInvalidate } from '../api/query.ts';
import { queryKeys } from '../api/query-keys.ts';

interface ActiveOutage {
  mode: string;
  until: number;
}

export type OutageMode = 'DOWN' | 'TIMEOUT';

/** `gateways`: the simulated gateways offered (the first is chosen until another is). */
export function useOutageControls(gateways: readonly string[]) {
  const [selected, setSelected] = useState('');
  const [duration, setDuration] = useState('60');
  const [mode, setMode] = useState<OutageMode>('DOWN');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [durationError, setDurationError] = useState<string | null>(null);
  const [active, setActive] = useState<Record<string, ActiveOutage>>({});
  const gateway = selected || gateways[0] || '';
  const invalidate = useInvalidate();

  const path = (g: string) => `/v1/dashboard/gateways/${encodeURIComponent(g)}/outage`;

  const [confirming, setConfirming] = useState<{ gateway: string; seconds: number; mode: OutageMode } | null>(null);

  /** Clears the messages and reads the form: the outage's length in seconds, or null (with the field's error) when it cannot start. */
  function readForm(): number | null {
    setMessage(null);
    setError(null);
    setDurationError(null);
    const seconds = Number(duration);
    if (!/^\d+$/.test(duration.trim()) || seconds < 1 || seconds > 3600) {
      setDurationError('Enter a whole number of seconds from 1 to 3600');
      return null;
    }
    return gateway ? seconds : null;
  }

  /** Submit checks the form, then asks for confirmation: an outage fails real test traffic at once. */
  function ask(event: FormEvent) {
    event.preventDefault();
    const seconds = readForm();
    if (seconds === null) return;
    setConfirming({ gateway, seconds, mode });
  }

  async function start() {
    const seconds = readForm();
    if (seconds === null) return;
    setConfirming(null);
    setBusy(true);
    try {
      const answer = await api<{ ends_at?: string | null; mode?: string } | null>(path(gateway), { method: 'POST', body: { duration_seconds: seconds, mode } });
      const endsAt = answer?.ends_at ? Date.parse(answer.ends_at) : Number.NaN;
      setActive((a) => ({ ...a, [gateway]: { mode: answer?.mode ?? mode, until: Number.isNaN(endsAt) ? Date.now() + seconds * 1000 : endsAt } }));
      setMessage(`Outage started on ${gateway} (${mode}) for ${seconds} s.`);
      void invalidate(queryKeys.gateways.health());
    } catch (e) {
      setError(e);
      if (e instanceof ApiError) setDurationError(e.fieldReason('duration_seconds') ?? null);
    } finally {
      setBusy(false);
    }
  }

  async function end() {
    if (!gateway) return;
    setMessage(null);
    setError(null);
    setBusy(true);
    try {
      await api<unknown>(path(gateway), { method: 'DELETE' });
      setActive((a) => {
        const next = { ...a };
        delete next[gateway];
        return next;
      });
      setMessage(`Outage on ${gateway} ended.`);
      void invalidate(queryKeys.gateways.health());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const now = Date.now();
  const running = Object.entries(active).filter(([, o]) => o.until > now);

  return { selected, setSelected, duration, setDuration, mode, setMode, busy, message, error, durationError, gateway, confirming, setConfirming, running, ask, start, end };
}
