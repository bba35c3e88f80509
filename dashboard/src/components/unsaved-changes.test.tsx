import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Link, usePath } from '../router';
import { UnsavedChangesPrompt, hasUnsavedChanges, useUnsavedChanges } from './unsaved-changes';

function Form() {
  const [text, setText] = useState('');
  useUnsavedChanges(text !== '');
  return (
    <label>
      Note
      <input value={text} onChange={(e) => setText(e.target.value)} />
    </label>
  );
}

function Harness() {
  const path = usePath();
  return (
    <>
      <p data-testid="path">{path}</p>
      <Link to="/elsewhere">Elsewhere</Link>
      {path === '/form' ? <Form /> : null}
      <UnsavedChangesPrompt />
    </>
  );
}

describe('the unsaved-changes guard', () => {
  beforeEach(() => window.history.replaceState(null, '', '/dashboard/form'));
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('an untouched form leaves at once', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('link', { name: 'Elsewhere' }));
    expect(screen.getByTestId('path').textContent).toBe('/elsewhere');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('a filled form asks; Stay keeps it, Leave goes', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.type(screen.getByLabelText('Note'), 'half written');
    expect(hasUnsavedChanges()).toBe(true);
    await user.click(screen.getByRole('link', { name: 'Elsewhere' }));
    const dialog = screen.getByRole('dialog', { name: 'Leave this page?' });
    expect(screen.getByTestId('path').textContent).toBe('/form');
    await user.click(within(dialog).getByRole('button', { name: 'Stay on this page' }));
    expect((screen.getByLabelText('Note') as HTMLInputElement).value).toBe('half written');

    await user.click(screen.getByRole('link', { name: 'Elsewhere' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Leave without saving' }));
    expect(screen.getByTestId('path').textContent).toBe('/elsewhere');
    expect(hasUnsavedChanges()).toBe(false);
  });

  it('asks the browser before the tab is closed or reloaded', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.type(screen.getByLabelText('Note'), 'x');
    const event = new Event('beforeunload', { cancelable: true });
    act(() => {
      window.dispatchEvent(event);
    });
    expect(event.defaultPrevented).toBe(true);
  });
});
