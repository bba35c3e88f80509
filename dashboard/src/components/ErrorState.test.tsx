import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { ErrorState } from './ErrorState';

describe('ErrorState', () => {
  it('a 5xx shows the seed words (never "Request failed") with a working Retry', async () => {
    const retry = vi.fn();
    render(<ErrorState error={new ApiError(500, null, 'Request failed (500)')} onRetry={retry} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Something went wrong. Please try again');
    expect(alert.textContent).not.toContain('Request failed');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Retry' }));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('a 4xx shows the server reason (or the page’s own words) and no Retry that cannot help', () => {
    render(<ErrorState error={new ApiError(404, { error_message: 'Order not found' }, 'x')} onRetry={() => undefined} message="Order ord_1 was not found." />);
    expect(screen.getByRole('alert').textContent).toBe('Order ord_1 was not found.');
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('a 403 says "You do not have access" as the server puts it', () => {
    render(<ErrorState error={new ApiError(403, { error_message: 'You do not have access' }, 'x')} onRetry={() => undefined} />);
    expect(screen.getByRole('alert').textContent).toBe('You do not have access');
  });
});
