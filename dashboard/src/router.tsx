// A small client-side router over the History API. The service answers every /dashboard/* path
// with index.html, so deep links and reloads work.
import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

export const BASE = '/dashboard';

/** The path inside the dashboard, e.g. `/payments/ord_1` for `/dashboard/payments/ord_1`. */
function currentPath(): string {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : window.location.pathname;
  return path === '' ? '/' : path;
}

const listeners = new Set<() => void>();

/**
 * Asked before every in-app navigation (links, navigate(), the browser's Back): answers true to
 * hold it (e.g. a filled form asks first) and later calls `proceed` to let it go on.
 */
type NavigationBlocker = (proceed: () => void) => boolean;
let blocker: NavigationBlocker | null = null;
let shownUrl = typeof window === 'undefined' ? '' : window.location.href;

export function setNavigationBlocker(next: NavigationBlocker | null): () => void {
  blocker = next;
  return () => {
    if (blocker === next) blocker = null;
  };
}

export function navigate(path: string, options: { replace?: boolean; force?: boolean } = {}): void {
  if (!options.force && blocker && blocker(() => navigate(path, { ...options, force: true }))) return;
  const url = `${BASE}${path.startsWith('/') ? path : `/${path}`}`;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  shownUrl = window.location.href;
  for (const l of listeners) l();
}

/** The current query string as an object (filters, ranges and pages live in the URL so a view can be shared). */
export function useQueryParams(): [URLSearchParams, (changes: Record<string, string | number | null | undefined>) => void] {
  usePath();
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = () => setTick((n) => n + 1);
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  const params = new URLSearchParams(window.location.search);
  const set = (changes: Record<string, string | number | null | undefined>) => {
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    const qs = next.toString();
    const url = `${window.location.pathname}${qs ? `?${qs}` : ''}${window.location.hash}`;
    if (url === `${window.location.pathname}${window.location.search}${window.location.hash}`) return;
    window.history.replaceState(null, '', url);
    shownUrl = window.location.href;
    for (const l of listeners) l();
  };
  return [params, set];
}

/** A stack of page cursors kept in the URL (`?<name>=["c1","c2"]`): the page a shared link shows. */
export function useCursorParam(name: string): [string[], (next: string[]) => void] {
  const [params, setParams] = useQueryParams();
  let cursors: string[] = [];
  try {
    const parsed: unknown = JSON.parse(params.get(name) ?? '[]');
    if (Array.isArray(parsed) && parsed.every((c) => typeof c === 'string')) cursors = parsed;
  } catch {
    cursors = [];
  }
  return [cursors, (next) => setParams({ [name]: next.length ? JSON.stringify(next) : null })];
}

if (typeof window !== 'undefined') {
  // Registered before any page's listener: a held Back puts the page's URL back and asks first.
  window.addEventListener('popstate', (event) => {
    const target = window.location.href;
    if (blocker && target !== shownUrl) {
      const held = blocker(() => {
        window.history.pushState(null, '', target);
        shownUrl = target;
        for (const l of listeners) l();
      });
      if (held) {
        event.stopImmediatePropagation();
        window.history.pushState(null, '', shownUrl);
        return;
      }
    }
    shownUrl = target;
  });
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return path;
}

/** Matches `/payments/:orderId` against a path; returns the params or null. */
export function matchRoute(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i]!;
    const seg = s[i]!;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(seg);
    else if (part !== seg) return null;
  }
  return params;
}

export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  return (
    <a
      {...rest}
      href={`${BASE}${to}`}
      onClick={(event: MouseEvent<HTMLAnchorElement>) => {
        onClick?.(event);
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(to);
      }}
    />
  );
}
