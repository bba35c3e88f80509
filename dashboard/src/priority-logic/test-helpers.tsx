// Test helpers: a routed fetch mock and a render wrapper with a signed-in user.
import { act, fireEvent, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { SessionProvider } from '../auth/session';
import type { Role, SessionUser } from '../auth/permissions';
import { ToastProvider } from '../components/Toast';

export interface MockCall {
  method: string;
  url: string;
  body: unknown;
  headers: Record<string, string>;
}

type Handler = (call: MockCall) => { status?: number; body?: unknown } | undefined;

/** Stubs global fetch; handlers are tried in order, the first answer wins (404 otherwise). */
export function mockFetch(...handlers: Handler[]) {
  const calls: MockCall[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const method = (init?.method ?? 'GET').toUpperCase();
    let body: unknown = init?.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        /* keep the text */
      }
    }
    const call: MockCall = { method, url, body, headers: (init?.headers ?? {}) as Record<string, string> };
    calls.push(call);
    for (const h of handlers) {
      const answer = h(call);
      if (answer) {
        const status = answer.status ?? 200;
        return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status, headers: { 'content-type': 'application/json' } });
      }
    }
    return new Response(JSON.stringify({ error_message: 'not found' }), { status: 404 });
  });
  vi.stubGlobal('fetch', fn);
  return { fn, calls };
}

export const route =
  (method: string, path: string | RegExp, answer: { status?: number; body?: unknown } | ((call: MockCall) => { status?: number; body?: unknown })): Handler =>
  (call) => {
    const p = call.url.split('?')[0]!;
    const ok = call.method === method && (typeof path === 'string' ? p === path : path.test(p));
    if (!ok) return undefined;
    return typeof answer === 'function' ? answer(call) : answer;
  };

export const GATEWAYS = {
  gateways: [
    { gateway: 'SIM_ALPHA', account_id: 'acc_1', enabled: true },
    { gateway: 'SIM_BETA', account_id: 'acc_2', enabled: true },
    { gateway: 'SIM_GAMMA', account_id: 'acc_3', enabled: true },
  ],
};

export function user(role: Role = 'ADMIN'): SessionUser {
  return { id: 'usr_1', email: `${role.toLowerCase()}@demo.junction.local`, name: role, role, merchant_id: 'demo_merchant' };
}

export function renderWithSession(ui: ReactElement, role: Role = 'ADMIN') {
  return render(
    <SessionProvider initialUser={user(role)}>
      <ToastProvider>{ui}</ToastProvider>
    </SessionProvider>,
  );
}

/**
 * jsdom lays nothing out; dnd-kit's keyboard sensor moves by measured rectangles. Give every
 * sortable item a rectangle from its index in its list (40 px rows).
 */
export function layoutSortables() {
  const original = Element.prototype.getBoundingClientRect;
  Element.prototype.getBoundingClientRect = function (this: Element) {
    const li = this.closest('[data-sortable-index]');
    if (li) {
      const i = Number(li.getAttribute('data-sortable-index'));
      const top = i * 40;
      return { x: 0, y: top, top, left: 0, right: 300, bottom: top + 36, width: 300, height: 36, toJSON: () => ({}) } as DOMRect;
    }
    return original.call(this);
  };
  return () => {
    Element.prototype.getBoundingClientRect = original;
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/** dnd-kit keyboard drag: focus the handle, Space, ArrowDown (or ArrowUp) `steps` times, Space. */
export async function keyboardDrag(handle: HTMLElement, steps: number) {
  handle.focus();
  await act(async () => {
    fireEvent.keyDown(handle, { key: ' ', code: 'Space' });
    await tick();
  });
  for (let i = 0; i < Math.abs(steps); i++) {
    const code = steps > 0 ? 'ArrowDown' : 'ArrowUp';
    await act(async () => {
      fireEvent.keyDown(document, { key: code, code });
      await tick();
    });
  }
  await act(async () => {
    fireEvent.keyDown(document, { key: ' ', code: 'Space' });
    await tick();
  });
}
