// The dashboard's one date-time formatter and the time zone it shows: the merchant's zone, UTC or
// the browser's, switchable in the sidebar and kept in localStorage. The API has no merchant time
// zone yet, so "merchant" is UTC until it does (the switcher says so).
import { useSyncExternalStore } from 'react';

export type ZoneChoice = 'merchant' | 'utc' | 'browser';
export const ZONE_CHOICES: readonly ZoneChoice[] = ['merchant', 'utc', 'browser'];
const STORAGE_KEY = 'junction.timeZone';

/** The merchant's IANA zone when the API gives one; none does yet, so UTC (the switch says so). */
const merchantZone: string | null = null;

function readChoice(): ZoneChoice {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'utc' || v === 'browser' || v === 'merchant' ? v : 'merchant';
  } catch {
    return 'merchant';
  }
}

let choice: ZoneChoice = readChoice();
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

export function getZoneChoice(): ZoneChoice {
  return choice;
}

export function setZoneChoice(next: ZoneChoice): void {
  choice = next;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // private mode: the choice lasts for this page only
  }
  emit();
}

/** True while the API gives no merchant zone (then "merchant" means UTC, and the switcher says so). */
export function merchantZoneMissing(): boolean {
  return merchantZone === null;
}

function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The IANA zone dates are shown in now. */
export function activeZone(c: ZoneChoice = choice): string {
  if (c === 'utc') return 'UTC';
  if (c === 'browser') return browserZone();
  return merchantZone ?? 'UTC';
}

export function zoneLabel(c: ZoneChoice): string {
  if (c === 'utc') return 'UTC';
  if (c === 'browser') return `Browser (${browserZone()})`;
  return `Merchant (${merchantZone ?? 'UTC'})`;
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
let version = 0;
listeners.add(() => version++);

/** Re-renders the caller when the zone changes; returns the choice. */
export function useZoneChoice(): ZoneChoice {
  useSyncExternalStore(
    subscribe,
    () => version,
    () => version,
  );
  return choice;
}

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, kind: 'datetime' | 'time'): Intl.DateTimeFormat {
  const key = `${zone}|${kind}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      ...(kind === 'datetime' ? { year: 'numeric', month: 'short', day: '2-digit' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    cache.set(key, f);
  }
  return f;
}

function parse(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "04 Dec 2026, 17:31:26 UTC" in the chosen zone (the zone always shown). */
export function formatDateTime(value: string | number | Date | null | undefined, zone = activeZone()): string {
  const d = parse(value);
  if (!d) return value === null || value === undefined || value === '' ? '–' : String(value);
  return formatter(zone, 'datetime').format(d);
}

/** "17:31:26 UTC" in the chosen zone. */
export function formatTime(value: string | number | Date | null | undefined, zone = activeZone()): string {
  const d = parse(value);
  if (!d) return value === null || value === undefined || value === '' ? '–' : String(value);
  return formatter(zone, 'time').format(d);
}
