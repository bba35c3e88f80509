// The data layer's own rules: retries (never on a 4xx), polling, keeping data on a failed poll,
// and invalidation by resource prefix.
import { act, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api } from './client';
import { queryKeys } from './query-keys';
import { shouldRetry, useApiQuery, useInvalidate } from './query';
import { json, stubFetch } from '../analytics/test-fetch';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function Probe({ path, poll }: { path: string; poll?: number }) {
  const q = useApiQuery(['probe', path], (signal) => api<{ n: number }>(path, { signal }), { refetchInterval: poll ?? false });
  const invalidate = useInvalidate();
  return (
    <div>
      <span data-testid="data">{q.data ? String(q.data.n) : 'none'}</span>
      <span data-testid="error">{q.error ? q.error.message : 'none'}</span>
      <button type="button" onClick={q.reload}>
        reload
      </button>
      <button type="button" onClick={() => void invalidate(['probe'])}>
        invalidate
      </button>
    </div>
  );
}

describe('shouldRetry', () => {
  it('never retries a 4xx, retries a 5xx or no answer once', () => {
    for (const status of [400, 401, 403, 404, 409, 422, 429]) expect(shouldRetry(0, new ApiError(status, null, 'x'))).toBe(false);
    for (const status of [0, 500, 502, 503]) {
      expect(shouldRetry(0, new ApiError(status, null, 'x'))).toBe(true);
      expect(shouldRetry(1, new ApiError(status, null, 'x'))).toBe(false);
    }
    expect(shouldRetry(0, new DOMException('aborted', 'AbortError'))).toBe(false);
  });
});

describe('useApiQuery', () => {
  it('asks once for a 404 and shows the error', async () => {
    const stub = stubFetch([{ path: '/x', handle: json({ error_message: 'No such thing' }, 404) }]);
    render(<Probe path="/x" />);
    await waitFor(() => expect(screen.getByTestId('error').textContent).toBe('No such thing'));
    expect(stub.to('/x')).toHaveLength(1);
  });

  it('asks again once after a 503, then shows the seed words; Retry loads', async () => {
    let down = true;
    const stub = stubFetch([{ path: '/x', handle: () => (down ? json({}, 503) : json({ n: 7 })) }]);
    render(<Probe path="/x" />);
    await waitFor(() => expect(screen.getByTestId('error').textContent).toBe('Something went wrong. Please try again'), { timeout: 3000 });
    expect(stub.to('/x')).toHaveLength(2);
    down = false;
    act(() => screen.getByText('reload').click());
    await waitFor(() => expect(screen.getByTestId('data').textContent).toBe('7'));
    expect(screen.getByTestId('error').textContent).toBe('none');
  });

  it('polls, and a failed round keeps the data shown with the error until the next answer', async () => {
    let n = 0;
    let fail = false;
    stubFetch([{ path: '/p', handle: () => (fail ? json({ error_message: 'refused' }, 400) : json({ n: ++n })) }]);
    render(<Probe path="/p" poll={40} />);
    await waitFor(() => expect(Number(screen.getByTestId('data').textContent)).toBeGreaterThanOrEqual(2));
    fail = true;
    await waitFor(() => expect(screen.getByTestId('error').textContent).toBe('refused'));
    expect(screen.getByTestId('data').textContent).not.toBe('none');
    fail = false;
    await waitFor(() => expect(screen.getByTestId('error').textContent).toBe('none'));
  });

  it('invalidating a resource prefix loads the shown query again', async () => {
    let n = 0;
    const stub = stubFetch([{ path: '/i', handle: () => json({ n: ++n }) }]);
    render(<Probe path="/i" />);
    await waitFor(() => expect(screen.getByTestId('data').textContent).toBe('1'));
    act(() => screen.getByText('invalidate').click());
    await waitFor(() => expect(screen.getByTestId('data').textContent).toBe('2'));
    expect(stub.to('/i')).toHaveLength(2);
  });
});

describe('queryKeys', () => {
  it('every key starts with its resource, so a prefix invalidates all its views', () => {
    expect(queryKeys.priorityLogic.list({ status: 'ACTIVE' }).slice(0, 1)).toEqual([...queryKeys.priorityLogic.all]);
    expect(queryKeys.priorityLogic.logic('pl_1').slice(0, 1)).toEqual([...queryKeys.priorityLogic.all]);
    expect(queryKeys.priorityLogic.routing().slice(0, 1)).toEqual([...queryKeys.priorityLogic.all]);
    expect(queryKeys.payments.webhooks('o1').slice(0, 3)).toEqual([...queryKeys.payments.order('o1')]);
    expect(queryKeys.priorityLogic.gateways().slice(0, 1)).toEqual([...queryKeys.gateways.all]);
  });
});
