// Test helper (not a test): a fetch stub that answers by method and path and records the calls.
import { vi } from 'vitest';

export interface Call {
  method: string;
  url: URL;
  body: unknown;
  headers: Record<string, string>;
}

export type Handler = (call: Call) => { status?: number; body?: unknown } | undefined;

export interface Route {
  method?: string;
  path: string | RegExp;
  handle: Handler | { status?: number; body?: unknown };
}

export function json(body: unknown, status = 200): { status: number; body: unknown } {
  return { status, body };
}

/** An API error body as the service answers it. */
export function apiError(status: number, code: string, message: string, fields: Array<{ field_name: string; reason: string }> = []) {
  return { status, body: { status: 'error', error_code: code, error_message: message, error_info: { code, user_message: message, fields } } };
}

export function stubFetch(routes: Route[]) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    let body: unknown;
    if (typeof init?.body === 'string') body = JSON.parse(init.body);
    const call: Call = { method, url, body, headers: (init?.headers ?? {}) as Record<string, string> };
    calls.push(call);
    const route = routes.find((r) => (r.method ?? 'GET') === method && (typeof r.path === 'string' ? r.path === url.pathname : r.path.test(url.pathname)));
    const answer = route ? (typeof route.handle === 'function' ? route.handle(call) : route.handle) : { status: 404, body: { error_message: `no stub for ${method} ${url.pathname}` } };
    const status = answer?.status ?? 200;
    return new Response(answer?.body === undefined ? null : JSON.stringify(answer.body), { status, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    calls,
    fetchMock,
    /** Calls to one path (and method). */
    to(path: string, method = 'GET') {
      return calls.filter((c) => c.url.pathname === path && c.method === method);
    },
  };
}
