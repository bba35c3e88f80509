// Data hooks shared by the analytics, payments and gateways pages: a one-shot loader and a poller.
// Both cancel their request when the component unmounts or the inputs change.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  /** Loads again with the same inputs. */
  reload: () => void;
}

/**
 * Loads once per change of `deps` (and on reload()). Keeps the previous data while reloading.
 * With `enabled: false` nothing is requested and the previous data stays.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[], enabled = true): Loaded<T> {
  return useLoader(load, null, deps, enabled);
}

/**
 * Calls `load` now and then every `intervalMs` after the previous call settled (never two at once).
 * Skips a round while the tab is hidden. `enabled: false` stops polling.
 */
export function usePolling<T>(load: (signal: AbortSignal) => Promise<T>, intervalMs: number, deps: readonly unknown[], enabled = true): Loaded<T> {
  return useLoader(load, intervalMs, deps, enabled);
}

/** The one loader behind both: loads when the inputs change, then again every `intervalMs` when set. */
function useLoader<T>(load: (signal: AbortSignal) => Promise<T>, intervalMs: number | null, deps: readonly unknown[], enabled: boolean): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(enabled);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    if (!enabled) {
      setLoading(false);
      return;
    }
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | null = null;
    const next = () => {
      if (intervalMs !== null && !stopped) timer = setTimeout(round, intervalMs);
    };
    const round = async () => {
      if (stopped) return;
      if (intervalMs !== null && typeof document !== 'undefined' && document.visibilityState === 'hidden') {
        next();
        return;
      }
      controller = new AbortController();
      try {
        const value = await loadRef.current(controller.signal);
        if (stopped) return;
        setData(value);
        setError(null);
      } catch (e) {
        if (stopped) return;
        setError(e instanceof Error ? e : new Error(String(e)));
      }
      if (stopped) return;
      setLoading(false);
      next();
    };
    setLoading(true);
    void round();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      controller?.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, intervalMs, enabled, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}
