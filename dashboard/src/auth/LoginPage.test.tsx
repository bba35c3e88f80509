import { screen, waitFor, render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { mockFetch, route, user as sessionUser } from '../priority-logic/test-helpers';

const GATEWAYS_PAGE = /GatewaysPage|Gateways/;

describe('sign-in and the app shell', () => {
  beforeEach(() => window.history.replaceState(null, '', '/dashboard/'));
  afterEach(() => vi.unstubAllGlobals());

  it('shows "Invalid email or password", then signs in and keeps the CSRF token', async () => {
    const { calls } = mockFetch(
      route('GET', '/v1/auth/me', { status: 401, body: { error_message: 'Unauthenticated', error_info: { code: 'UNAUTHENTICATED' } } }),
      route('POST', '/v1/auth/login', (c) =>
        (c.body as { password: string }).password === 'right'
          ? { body: { user: sessionUser('EDITOR'), csrf_token: 'csrf_123' } }
          : { status: 401, body: { error_message: 'Invalid email or password', error_info: { code: 'UNAUTHENTICATED' } } },
      ),
      route('GET', '/v1/priority-logics/metrics', { body: { from: '', to: '', total_decided: 0, routing: null, logics: [] } }),
      route('GET', '/v1/priority-logics', { body: { logics: [], total: 0, routing: null } }),
      route('POST', '/v1/auth/logout', { status: 204 }),
    );
    const user = userEvent.setup();
    render(<App />);
    await user.type(await screen.findByLabelText('Email'), 'editor@demo.junction.local');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Invalid email or password')).toBeTruthy();

    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), 'right');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Priority Logic' })).toBeTruthy();
    expect(screen.getByTestId('current-user').textContent).toContain('editor@demo.junction.local');
    expect(screen.getByTestId('current-user').textContent).toContain('Editor');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    for (const name of ['Priority Logic', 'Analytics', 'Payments', 'Gateways']) expect(screen.getAllByRole('link', { name }).length).toBeGreaterThan(0);
    expect(nav.querySelector('[aria-current="page"]')?.textContent).toBe('Priority Logic');

    await user.click(screen.getByRole('link', { name: 'Gateways' }));
    await waitFor(() => expect(window.location.pathname).toBe('/dashboard/gateways'));
    expect(nav.querySelector('[aria-current="page"]')?.textContent).toMatch(GATEWAYS_PAGE);

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
    const logout = calls.find((c) => c.url === '/v1/auth/logout')!;
    expect(logout.headers['x-csrf-token']).toBe('csrf_123');
  });

  it('an expired session (401 on any call) returns to the sign-in page', async () => {
    mockFetch(
      route('GET', '/v1/auth/me', { body: { user: sessionUser('ADMIN'), csrf_token: 't' } }),
      route('GET', '/v1/priority-logics/metrics', { status: 401, body: { error_message: 'Unauthenticated' } }),
      route('GET', '/v1/priority-logics', { body: { logics: [], total: 0, routing: null } }),
    );
    render(<App />);
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('routes /priority-logic/new, /priority-logic/import and unknown paths', async () => {
    mockFetch(route('GET', '/v1/auth/me', { body: { user: sessionUser('ADMIN'), csrf_token: 't' } }), route('GET', '/v1/dashboard/gateways', { body: { gateways: [] } }));
    window.history.replaceState(null, '', '/dashboard/priority-logic/new');
    const view = render(<App />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Create Priority Logic' })).toBeTruthy();
    view.unmount();
    window.history.replaceState(null, '', '/dashboard/priority-logic/import');
    const v2 = render(<App />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Import Rule' })).toBeTruthy();
    v2.unmount();
    window.history.replaceState(null, '', '/dashboard/nowhere');
    render(<App />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
  });
});
