import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { mockFetch, route, user as sessionUser } from '../priority-logic/test-helpers';

const pageRoutes = [
  route('GET', '/v1/priority-logics/metrics', { body: { from: '', to: '', total_decided: 0, routing: null, logics: [] } }),
  route('GET', '/v1/priority-logics', { body: { logics: [], total: 0, routing: null } }),
];

describe('the session check', () => {
  beforeEach(() => window.history.replaceState(null, '', '/dashboard/'));
  afterEach(() => vi.unstubAllGlobals());

  it('a 503 from /v1/auth/me is not "signed out": the error in the seed words with Retry, then the app', async () => {
    let down = true;
    const { calls } = mockFetch(
      route('GET', '/v1/auth/me', () =>
        down ? { status: 503, body: { error_message: 'database unavailable', error_info: { code: 'SERVICE_UNAVAILABLE' } } } : { body: { user: sessionUser('EDITOR'), csrf_token: 'c' } },
      ),
      ...pageRoutes,
    );
    const user = userEvent.setup();
    render(<App />);
    const error = await screen.findByTestId('session-error');
    expect(error.textContent).toContain('Something went wrong. Please try again');
    expect(error.textContent).not.toContain('database unavailable');
    expect(screen.queryByLabelText('Password')).toBeNull();
    down = false;
    await user.click(within(error).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Priority Logic' })).toBeTruthy();
    expect(calls.filter((c) => c.url.startsWith('/v1/auth/me'))).toHaveLength(2);
  });

  it('no answer at all (network) also offers Retry, not the sign-in page', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    render(<App />);
    const error = await screen.findByTestId('session-error');
    expect(error.textContent).toContain('Something went wrong. Please try again');
    expect(within(error).getByRole('button', { name: 'Retry' })).toBeTruthy();
    expect(screen.queryByLabelText('Password')).toBeNull();
  });

  it('only a 401 shows the sign-in page', async () => {
    mockFetch(route('GET', '/v1/auth/me', { status: 401, body: { error_info: { code: 'UNAUTHENTICATED' } } }));
    render(<App />);
    expect(await screen.findByLabelText('Password')).toBeTruthy();
    expect(screen.queryByTestId('session-error')).toBeNull();
  });
});
