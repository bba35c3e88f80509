import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImportLogicPage } from './ImportLogicPage';
import { mockFetch, renderWithSession, route } from './test-helpers';

const doc = { format: 'junction.priority-logic', formatVersion: 1, name: 'Imported', kind: 'DEFAULT', enforce: false, defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: {} };

describe('Import Rule', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('posts pasted JSON and shows the server’s errors by field', async () => {
    const { calls } = mockFetch(
      route('POST', '/v1/priority-logics/import', {
        status: 400,
        body: {
          error_message: 'Need at least 1',
          error_info: {
            code: 'DEFAULT_GATEWAYS_REQUIRED',
            fields: [
              { field_name: 'defaultGateways', reason: 'Need at least 1' },
              { field_name: 'definition.rules[0].colour', reason: 'definition.rules[0].colour: unknown key' },
            ],
          },
        },
      }),
    );
    const user = userEvent.setup();
    renderWithSession(<ImportLogicPage />, 'EDITOR');
    const editor = screen.getByLabelText('Rule JSON');
    await user.click(editor);
    await user.paste('{"broken": ');
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect((await screen.findByTestId('import-error')).textContent).toMatch(/not valid JSON/);
    await user.clear(editor);
    await user.paste(JSON.stringify(doc));
    await user.type(screen.getByLabelText('Name (optional)'), 'Renamed');
    await user.click(screen.getByRole('button', { name: 'Import' }));
    const error = await screen.findByTestId('import-error');
    await waitFor(() => expect(error.textContent).toContain('Default gateways: Need at least 1'));
    expect(error.textContent).toContain('Rule 1 › colour: unknown key');
    expect(calls[0]!.url).toBe('/v1/priority-logics/import?name=Renamed');
    expect(calls[0]!.body).toEqual(doc);
  });

  it('never says "was not imported:" with nothing after it: a name refusal gives its reason and a link to Name', async () => {
    mockFetch(
      route('POST', '/v1/priority-logics/import', {
        status: 409,
        body: { error_message: 'Configuration Name already exists', error_info: { code: 'NAME_ALREADY_EXISTS', fields: [{ field_name: 'name', reason: 'Configuration Name already exists' }] } },
      }),
    );
    const user = userEvent.setup();
    renderWithSession(<ImportLogicPage />, 'EDITOR');
    await user.click(screen.getByLabelText('Rule JSON'));
    await user.paste(JSON.stringify(doc));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    const error = await screen.findByTestId('import-error');
    await waitFor(() => expect(error.textContent).toBe('The Priority Logic was not imported: Configuration Name already exists (Name).'));
    await user.click(within(error).getByRole('link', { name: 'Name' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Name (optional)'));
  });

  it('a server error on import is said in the seed words', async () => {
    mockFetch(route('POST', '/v1/priority-logics/import', { status: 500, body: { error_message: 'db down' } }));
    const user = userEvent.setup();
    renderWithSession(<ImportLogicPage />, 'EDITOR');
    await user.click(screen.getByLabelText('Rule JSON'));
    await user.paste(JSON.stringify(doc));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect((await screen.findByTestId('import-error')).textContent).toBe('Something went wrong. Please try again');
  });

  it('uploads a JSON file as multipart and opens the new logic', async () => {
    window.history.replaceState(null, '', '/dashboard/priority-logic/import');
    const { calls } = mockFetch(route('POST', '/v1/priority-logics/import', { status: 201, body: { id: 'pl_imp', name: 'Imported' } }));
    const user = userEvent.setup();
    renderWithSession(<ImportLogicPage />, 'EDITOR');
    const file = new File([JSON.stringify(doc)], 'logic.json', { type: 'application/json' });
    await user.upload(screen.getByLabelText('Upload JSON file'), file);
    await waitFor(() => expect((screen.getByLabelText('Rule JSON') as HTMLTextAreaElement).value).toContain('Imported'));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(window.location.pathname).toBe('/dashboard/priority-logic/pl_imp'));
    expect(calls[0]!.body).toBeInstanceOf(FormData);
    expect(((calls[0]!.body as FormData).get('file') as File).name).toBe('logic.json');
  });
});
