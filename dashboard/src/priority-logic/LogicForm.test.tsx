import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CreateLogicPage } from './CreateLogicPage';
import { GATEWAYS, mockFetch, renderWithSession, route } from './test-helpers';
import type { Logic } from './types';

// CodeMirror is a lazy chunk; in jsdom a textarea stands in for it.
vi.mock('../components/CodeEditor', () => ({
  CodeEditor: ({ value, onChange, ariaLabel }: { value: string; onChange?: (v: string) => void; ariaLabel: string }) => (
    <textarea aria-label={ariaLabel} value={value} onChange={(e) => onChange?.(e.target.value)} />
  ),
}));

const gateways = route('GET', '/v1/dashboard/gateways', { body: GATEWAYS });

function savedLogic(body: Record<string, unknown>): Logic {
  return {
    id: 'pl_new',
    name: String(body.name),
    description: null,
    kind: body.kind as Logic['kind'],
    type: 'Default',
    status: 'INACTIVE',
    status_label: 'Inactive',
    is_fallback: false,
    stagger_percentage: null,
    enforce: false,
    ranking: { mode: 'OFF' },
    version: 1,
    row_version: 1,
    definition: { kind: 'DEFAULT', name: String(body.name), enforce: false, defaultGateways: [] },
    created_by: 'usr_1',
    approved_by: null,
    approved_at: null,
    copied_from: null,
    created: '2025-01-01T00:00:00Z',
    updated: '2025-01-01T00:00:00Z',
  };
}

const validation = (fields: { field_name: string; reason: string }[], code: string, message: string, status = 400) => ({
  status,
  body: { status: 'Bad Request', error_code: 'invalid_request_error', error_message: message, error_info: { code, category: 'USER_ERROR', request_id: 'req_1', fields } },
});

const nameField = () => screen.getByLabelText('Configuration Name').closest('.field') as HTMLElement;

async function choose(user: ReturnType<typeof userEvent.setup>, kind: string, name = 'My logic') {
  await user.click(screen.getByRole('radio', { name: kind }));
  await user.type(screen.getByLabelText('Configuration Name'), name);
}

describe('Create Priority Logic form', () => {
  beforeEach(() => {
    window.history.replaceState(null, '', '/dashboard/priority-logic/new');
  });
  afterEach(() => vi.unstubAllGlobals());

  it('Default Routing: needs at least one gateway, then posts the ordered list', async () => {
    const { calls } = mockFetch(
      gateways,
      route('POST', '/v1/priority-logics', (c) =>
        (c.body as { defaultGateways: unknown[] }).defaultGateways.length === 0
          ? validation([{ field_name: 'defaultGateways', reason: 'Need at least 1' }], 'DEFAULT_GATEWAYS_REQUIRED', 'Need at least 1')
          : { status: 201, body: savedLogic(c.body as Record<string, unknown>) },
      ),
    );
    const user = userEvent.setup();
    renderWithSession(<CreateLogicPage />);
    await choose(user, 'Default Routing');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const defaults = screen.getByTestId('default-gateways');
    expect(await within(defaults).findByText('Need at least 1')).toBeTruthy();
    expect(screen.getAllByText('Need at least 1')).toHaveLength(1);

    const add = await screen.findByRole('combobox', { name: 'Add gateway to Default gateways' });
    await user.selectOptions(add, 'SIM_BETA');
    await user.selectOptions(add, 'SIM_ALPHA');
    expect(within(defaults).queryByText('Need at least 1')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(window.location.pathname).toBe('/dashboard/priority-logic/pl_new'));
    const post = calls.filter((c) => c.method === 'POST').at(-1)!;
    expect(post.body).toEqual({ name: 'My logic', kind: 'DEFAULT', enforce: false, defaultGateways: [{ gateway: 'SIM_BETA' }, { gateway: 'SIM_ALPHA' }], definition: {} });
  });

  it('shows the server’s field errors next to their fields', async () => {
    mockFetch(
      gateways,
      route(
        'POST',
        '/v1/priority-logics',
        validation(
          [
            { field_name: 'name', reason: 'Configuration Name already exists' },
            { field_name: 'defaultGateways', reason: 'Need at least 1' },
          ],
          'NAME_ALREADY_EXISTS',
          'Configuration Name already exists',
          409,
        ),
      ),
    );
    const user = userEvent.setup();
    renderWithSession(<CreateLogicPage />);
    await choose(user, 'Default Routing', 'Taken');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await within(nameField()).findByText('Configuration Name already exists')).toBeTruthy();
    expect(screen.getAllByText('Configuration Name already exists')).toHaveLength(1);
    expect(screen.getByLabelText('Configuration Name').getAttribute('aria-invalid')).toBe('true');
    expect(within(screen.getByTestId('default-gateways')).getAllByText('Need at least 1')).toHaveLength(1);
    expect(screen.getByTestId('form-error').textContent).toMatch(/not saved/);
  });

  it('the banner names the fields as links, focus moves to the first, and the banner goes once they are fixed', async () => {
    mockFetch(
      gateways,
      route(
        'POST',
        '/v1/priority-logics',
        validation(
          [
            { field_name: 'name', reason: 'Configuration Name already exists' },
            { field_name: 'defaultGateways', reason: 'Need at least 1' },
          ],
          'NAME_ALREADY_EXISTS',
          'Configuration Name already exists',
          409,
        ),
      ),
    );
    const user = userEvent.setup();
    renderWithSession(<CreateLogicPage />);
    await choose(user, 'Default Routing', 'Taken');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const banner = await screen.findByTestId('form-error');
    expect(banner.textContent).not.toMatch(/below/);
    // The first invalid field in page order gets the focus.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Configuration Name')));
    const links = within(banner).getAllByRole('link');
    expect(links.map((l) => l.textContent)).toEqual(['Configuration Name', 'Gateway priority (Default gateways)']);
    expect(banner.textContent).toContain('Gateway priority (Default gateways): Need at least 1');
    // A link focuses its field.
    await user.click(links[1]!);
    expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'Add gateway to Default gateways' }));
    // Fixing both fields removes the banner.
    await user.type(screen.getByLabelText('Configuration Name'), ' 2');
    await waitFor(() => expect(within(screen.getByTestId('form-error')).getAllByRole('link')).toHaveLength(1));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Add gateway to Default gateways' }), 'SIM_BETA');
    await waitFor(() => expect(screen.queryByTestId('form-error')).toBeNull());
  });

  it('INVALID_GATEWAY lands on the gateway it names; unknown fields go to the banner', async () => {
    mockFetch(
      gateways,
      route(
        'POST',
        '/v1/priority-logics',
        validation(
          [
            { field_name: 'defaultGateways[1]', reason: "Invalid Gateway: defaultGateways[1]: 'SIM_ALPHA' is not a gateway configured for this merchant" },
            { field_name: 'body', reason: 'something else' },
          ],
          'INVALID_GATEWAY',
          'INVALID_GATEWAY',
        ),
      ),
    );
    const user = userEvent.setup();
    renderWithSession(<CreateLogicPage />);
    await choose(user, 'Default Routing');
    const add = await screen.findByRole('combobox', { name: 'Add gateway to Default gateways' });
    await user.selectOptions(add, 'SIM_BETA');
    await user.selectOptions(add, 'SIM_ALPHA');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const items = within(screen.getByRole('list', { name: 'Default gateways' })).getAllByRole('listitem');
    expect(await within(items[1]!).findByText("INVALID_GATEWAY: Default gateway 2: 'SIM_ALPHA' is not a gateway configured for this merchant")).toBeTruthy();
    expect(within(items[0]!).queryByText(/INVALID_GATEWAY/)).toBeNull();
    expect(within(screen.getByTestId('form-error')).getByText('Document: something else')).toBeTruthy();
  });

  it("Rule-Based: the rule analysis's warnings appear next to their rule while editing, and the draft is what is analysed", async () => {
    const { calls } = mockFetch(
      gateways,
      route('POST', '/v1/priority-logics/analyze', {
        body: {
          logic_id: null,
          kind: 'RULES',
          analysed: true,
          warnings: [
            { code: 'RULE_NEVER_MATCHES', rule_index: 0, rule_name: 'Rule 1', message: 'rule 1 can never match: no payment satisfies its conditions together.' },
            {
              code: 'ENFORCED_NO_GATEWAY',
              rule_index: null,
              rule_name: null,
              message: 'With enforce on, some payments that match no rule have no eligible gateway.',
              witness: [{ dimension: 'payment_method_type', value: 'UPI', description: 'UPI' }],
            },
          ],
        },
      }),
    );
    const user = userEvent.setup();
    renderWithSession(<CreateLogicPage />);
    await choose(user, 'Rule-Based', 'Rules with a problem');
    const rule = await screen.findByTestId('rule-0');
    await waitFor(() => expect(within(rule).getByText(/can never match/)).toBeTruthy(), { timeout: 3000 });
    expect(within(rule).getByText('Never matches')).toBeTruthy();
    expect(screen.getByText(/For example: payment_method_type: UPI/)).toBeTruthy();
    const analysed = calls.filter((c) => c.url === '/v1/priority-logics/analyze');
    expect((analysed.at(-1)!.body as { logic: { kind: string; name: string } }).logic).toMatchObject({ kind: 'RULES', name: 'Rules with a problem' });
  });

  it('Volume-Based: the weights must sum to 100 (client and server)', async () => {
    const { calls } = mockFetch(
      gateways,
      route(
        'POST',
        '/v1/priority-logics',
        validation([{ field_name: 'definition.splits', reason: 'Invalid Volume Split: splits: weights sum to 90, they must sum to 100' }], 'INVALID_VOLUME_SPLIT', 'Invalid Volume Split'),
      ),
    );
    const user = userEvent.setup();
    renderWithSession(<CreateLogicPage />);
    await choose(user, 'Volume-Based Routing');
    const volume = screen.getByTestId('volume-split');
    const add = await within(volume).findByRole('combobox', { name: 'Add gateway to Volume split' });
    await user.selectOptions(add, 'SIM_ALPHA');
    await user.selectOptions(add, 'SIM_BETA');
    const alpha = within(volume).getByRole('spinbutton', { name: 'Weight of SIM_ALPHA (%)' });
    await user.clear(alpha);
    await user.type(alpha, '60');
    const beta = within(volume).getByRole('spinbutton', { name: 'Weight of SIM_BETA (%)' });
    await user.clear(beta);
    await user.type(beta, '30');
    expect(screen.getByTestId('volume-split-total').textContent).toBe('Total: 90%');
    expect(within(volume).getByText('The weights must sum to 100% (now 90%).')).toBeTruthy();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Add gateway to Default gateways' }), 'SIM_ALPHA');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await within(screen.getByTestId('volume-split-errors')).findByText('Invalid Volume Split: weights sum to 90, they must sum to 100')).toBeTruthy();
    const post = calls.find((c) => c.method === 'POST')!;
    expect((post.body as { definition: unknown }).definition).toEqual({
      splits: [
        { gateway: 'SIM_ALPHA', weight: 60 },
        { gateway: 'SIM_BETA', weight: 30 },
      ],
    });
    // The slider moves the same weight.
    const slider = within(volume).getByRole('slider', { name: 'Weight slider for SIM_BETA' });
    expect((slider as HTMLInputElement).value).toBe('30');
  });

  it('Code-Based: "Please provide Code field", compile errors with line and column', async () => {
    const { calls } = mockFetch(
      gateways,
      route('POST', '/v1/priority-logics/dry-run', {
        body: {
          logic_id: null,
          validation_errors: [],
          matched_rule: null,
          rules: [],
          consistent: true,
          decision: {
            logic: { id: 'draft', name: 'x', version: 0, kind: 'CODE', role: 'PRIMARY' },
            primary: { name: 'x', status: 'FAILURE', failure_reason: 'COMPILATION_ERROR', message: "SyntaxError: expecting ')' (line 2, column 5)" },
            evaluationStatus: 'LOGIC_FAILED',
            producedList: [],
            enforced: false,
            eligibilityDrops: [],
            finalGateways: [],
          },
        },
      }),
      route('POST', '/v1/priority-logics', (c) =>
        (c.body as { definition: { code: string } }).definition.code.trim() === ''
          ? validation([{ field_name: 'definition.code', reason: 'Please provide Code field' }], 'CODE_REQUIRED', 'Please provide Code field')
          : validation([{ field_name: 'definition.code', reason: "COMPILATION_ERROR: SyntaxError: expecting ')' (line 2, column 5)" }], 'COMPILATION_ERROR', 'COMPILATION_ERROR'),
      ),
    );
    const user = userEvent.setup();
    renderWithSession(<CreateLogicPage />);
    await choose(user, 'Code-Based');
    const code = await screen.findByLabelText('Code editor');
    expect((code as HTMLTextAreaElement).value).toContain('setGatewayPriority');
    expect(screen.getByRole('complementary', { name: 'Code reference' }).textContent).toContain('enforceGatewayPriority');
    await user.clear(code);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await within(screen.getByTestId('code-errors')).findByText('Please provide Code field')).toBeTruthy();
    expect(screen.getAllByText('Please provide Code field')).toHaveLength(1);

    await user.type(code, 'if (x {{}');
    await user.click(screen.getByRole('button', { name: 'Compile check' }));
    expect(await screen.findByText(/at line 2, column 5/)).toBeTruthy();
    const dry = calls.find((c) => c.url.endsWith('/dry-run'))!;
    expect((dry.body as { logic: { kind: string; definition: { code: string } } }).logic).toMatchObject({ kind: 'CODE', definition: { code: 'if (x {}' } });

    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await within(screen.getByTestId('code-errors')).findByText("COMPILATION_ERROR: SyntaxError: expecting ')' (line 2, column 5)")).toBeTruthy();
  });

  it('general errors: "You do not have access" and "Something went wrong. Please try again"', async () => {
    let status = 403;
    mockFetch(
      gateways,
      route('POST', '/v1/priority-logics', () =>
        status === 403
          ? { status, body: { error_message: 'You do not have access', error_info: { code: 'UNAUTHORIZED' } } }
          : { status: 500, body: { error_message: 'boom', error_info: { code: 'INTERNAL_ERROR', user_message: 'Something went wrong. Please try again' } } },
      ),
    );
    const user = userEvent.setup();
    renderWithSession(<CreateLogicPage />);
    await choose(user, 'Default Routing');
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Add gateway to Default gateways' }), 'SIM_ALPHA');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByTestId('form-error')).textContent).toBe('You do not have access');
    status = 500;
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByTestId('form-error').textContent).toBe('Something went wrong. Please try again'));
  });

  it('copy to edit: prefilled from the source, SYNC_CONFLICT offers Sync', async () => {
    const source: Logic = {
      ...savedLogic({ name: 'Cards', kind: 'RULES' }),
      id: 'pl_src',
      row_version: 3,
      kind: 'RULES',
      definition: {
        kind: 'RULES',
        name: 'Cards',
        enforce: true,
        defaultGateways: [{ gateway: 'SIM_ALPHA' }],
        rules: [{ name: 'visa', condition: { dimension: 'card_brand', operator: 'equal', value: 'VISA' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_BETA' }] } }],
      },
    };
    let version = 3;
    const { calls } = mockFetch(
      gateways,
      route('GET', '/v1/priority-logics/pl_src', () => ({ body: { ...source, row_version: version } })),
      route('POST', '/v1/priority-logics/pl_src/copy', (c) =>
        (c.body as { version: number }).version === 4
          ? { status: 201, body: savedLogic(c.body as Record<string, unknown>) }
          : {
              status: 409,
              body: { error_message: 'Error! Try Syncing again', error_info: { code: 'SYNC_CONFLICT', fields: [{ field_name: 'version', reason: 'the logic is at version 4, not 3' }] } },
            },
      ),
    );
    const user = userEvent.setup();
    renderWithSession(<CreateLogicPage copyFromId="pl_src" />);
    expect(await screen.findByDisplayValue('Cards (copy)')).toBeTruthy();
    expect(screen.getByRole('switch', { name: 'Enforce Rule' })).toHaveProperty('checked', true);
    expect(within(screen.getByTestId('cond-rules[0].condition.all[0]')).getByLabelText('Value')).toHaveProperty('value', 'VISA');
    version = 4;
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Error! Try Syncing again')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Sync' }));
    await waitFor(() => expect(screen.queryByText('Error! Try Syncing again')).toBeNull());
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(window.location.pathname).toBe('/dashboard/priority-logic/pl_new'));
    const copies = calls.filter((c) => c.url.endsWith('/copy'));
    expect(copies.map((c) => (c.body as { version: number }).version)).toEqual([3, 4]);
    expect(copies[1]!.body).toMatchObject({ name: 'Cards (copy)', kind: 'RULES', enforce: true, ranking: { mode: 'OFF' } });
  });
});
