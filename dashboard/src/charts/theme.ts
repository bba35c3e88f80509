// Chart colours come from the stylesheet's custom properties (--chart-1 … --chart-10, --chart-axis,
// --chart-grid; styles.css defines them for the light and the dark scheme). uPlot draws on a canvas,
// which cannot read `var(...)`, so a chart resolves them when it is built, and rebuilds when the
// system switches between light and dark.
import { useSyncExternalStore } from 'react';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** Light-scheme values, used where no stylesheet is loaded (component tests). */
const FALLBACK: Record<string, string> = {
  '--chart-1': '#2563eb',
  '--chart-2': '#dc2626',
  '--chart-3': '#16a34a',
  '--chart-4': '#d97706',
  '--chart-5': '#7c3aed',
  '--chart-6': '#0891b2',
  '--chart-7': '#db2777',
  '--chart-8': '#65a30d',
  '--chart-9': '#475569',
  '--chart-10': '#ea580c',
  '--chart-total': '#111827',
  '--chart-axis': '#475569',
  '--chart-grid': 'rgba(15, 23, 42, 0.08)',
};

/** `var(--name)` or a plain colour: the colour the canvas should draw with, read from `el`'s styles. */
export function resolveColor(color: string, el: Element | null = typeof document === 'undefined' ? null : document.documentElement): string {
  const m = /^var\((--[\w-]+)\)$/.exec(color.trim());
  if (!m) return color;
  const name = m[1]!;
  const value = el && typeof getComputedStyle === 'function' ? getComputedStyle(el).getPropertyValue(name).trim() : '';
  return value || FALLBACK[name] || '#64748b';
}

function subscribe(onChange: () => void): () => void {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return () => undefined;
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

function current(): 'light' | 'dark' {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return 'light';
  return window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light';
}

/** The system's colour scheme, re-rendering when it changes. */
export function useColorScheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, current, () => 'light');
}
