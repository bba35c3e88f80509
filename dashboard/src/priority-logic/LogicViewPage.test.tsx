import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogicViewPage } from './LogicViewPage';
import { mockFetch, renderWithSession, route, type MockCall } from './test-helpers';
import type { Logic, Routing } from './types';

vi.mock('../components/CodeEditor', () => ({ CodeEditor: ({ value, ariaLabel }: { value: string; ariaLabel: string }) => <textarea aria-label={ariaLabel} value={value} readOnly /> }));

const routing = (over: Partial<Routing> = {}): Routing => ({
  active_logic_id: 'pl_old',
  staggered_logic_id: null,
  stagger_percentage: null,
  fallback_logic_id: null,
  version: 7,
  updated: '2025-01-01T00:00:00Z',
  ...over,
});

function logic(over: Partial<Logic> = {}): Logic {
  return {
    id: 'pl_1',
    name: 'Cards to BETA',
    description: 'ICICI cards',
    kind: 'RULES',
    type: 'Rule Based',
    status: 'INACTIVE',
    status_label: 'Inactive',
    is_fallback: false,
    stagger_percentage: null,
    enforce: false,
    ranking: { mode: 'OFF' },
    version: 2,
    row_version: 5,
    definition: {
      kind: 'RULES',
      name: 'Cards to BETA',
      enforce: false,
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      rules: [
        {
          name: 'icici',
          condition: {
            all: [
              { dimension: 'card_issuer', operator: 'equal', value: 'ICICI Bank' },
              { dimension: 'amount', operator: 'greater_than', value: { amount: 50000, currency: 'INR' } },
            ],
          },
          output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_BETA' }, { gateway: 'SIM_ALPHA' }] },
        },
      ],
    },
    created_by: 'usr_9',
    approved_by: null,
    approved_at: null,
    copied_from: null,
    created: '2025-01-01T00:00:00Z',
    updated: '2025-01-02T00:00:00Z',
    ...over,
  };
}

const base = (l: Logic, r: Routing = routing()) => [
  route('GET', '/v1/priority-logics/pl_1', { body: l }),
  route('GET', '/v1/priority-logics/routing', { body: r }),
  route('GET', '/v1/priority-logics/audit', { body: { entries: [{ id: 'a1', logic_id: 'pl_1', actor_id: 'usr_9', actor_role: 'EDITOR', action: 'CREATE', created: '2025-01-01T00:00:00Z' }] } }),
];

/** The changes the page asked for (the rule check before a release only reads). */
const posts = (calls: MockCall[]) => calls.filter((c) => c.method !== 'GET' && c.url !== '/v1/priority-logics/analyze');

describe('Priority Logic view page', () => {
  beforeEach(() => window.history.replaceState(null, '', '/dashboard/priority-logic/pl_1'));
  afterEach(() => vi.unstubAllGlobals());

  it('shows the definition in words and the history', async () => {
    mockFetch(...base(logic()));
    renderWithSession(<LogicViewPage id="pl_1" />);
    expect(await screen.findByRole('heading', { level: 1, name: /Cards to BETA/ })).toBeTruthy();
    expect(screen.getByTestId('view-rule-0').textContent).toContain('Card issuer (bank) equals ICICI Bank AND Amount is greater than ₹500.00');
    expect(await screen.findByRole('cell', { name: 'CREATE' })).toBeTruthy();
  });

  it('"Created … by" shows the email History shows, not the user id', async () => {
    mockFetch(
      route('GET', '/v1/priority-logics/audit', {
        body: { entries: [{ id: 'a1', logic_id: 'pl_1', actor_id: 'usr_9', actor_email: 'editor@demo.junction.local', actor_role: 'EDITOR', action: 'CREATE', created: '2025-01-01T00:00:00Z' }] },
      }),
      ...base(logic()),
    );
    renderWithSession(<LogicViewPage id="pl_1" />);
    const created = (await screen.findByText('Created')).nextElementSibling as HTMLElement;
    await waitFor(() => expect(created.textContent).toContain('by editor@demo.junction.local'));
    expect(created.textContent).not.toContain('usr_9');
    expect(created.textContent).toContain('01 Jan 2025, 00:00:00 UTC');
  });

  it('the Activate confirmation shows the rule check, and the release still goes ahead', async () => {
    const warning = { code: 'RULE_SHADOWED', rule_index: 0, rule_name: 'icici', other_rule_index: null, message: 'rule 1 ("icici") can never match.' };
    const { calls } = mockFetch(
      ...base(logic()),
      route('POST', '/v1/priority-logics/analyze', { body: { logic_id: 'pl_1', kind: 'RULES', analysed: true, warnings: [warning] } }),
      route('POST', '/v1/priority-logics/pl_1/activate', {
        body: { logic: logic({ status: 'ACTIVE', status_label: 'Active', row_version: 6 }), routing: routing({ active_logic_id: 'pl_1', version: 8 }) },
      }),
    );
    const user = userEvent.setup();
    renderWithSession(<LogicViewPage id="pl_1" />);
    await user.click(await screen.findByRole('button', { name: 'Activate' }));
    const dialog = screen.getByRole('dialog');
    await waitFor(() => expect(within(dialog).getByTestId('release-rule-check').textContent).toContain('Rule check: 1 warning.'));
    expect(within(dialog).getByText(/can never match/)).toBeTruthy();
    expect(calls.find((c) => c.url === '/v1/priority-logics/analyze')?.body).toEqual({ logic_id: 'pl_1' });
    await user.click(within(dialog).getByRole('button', { name: 'Activate' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Deactivate' })).toBeTruthy());
  });

  it('Activate sends the row version and the routing version', async () => {
    const { calls } = mockFetch(
      ...base(logic()),
      route('POST', '/v1/priority-logics/pl_1/activate', {
        body: { logic: logic({ status: 'ACTIVE', status_label: 'Active', row_version: 6 }), routing: routing({ active_logic_id: 'pl_1', version: 8 }) },
      }),
    );
    const user = userEvent.setup();
    renderWithSession(<LogicViewPage id="pl_1" />);
    await user.click(await screen.findByRole('button', { name: 'Activate' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Activate' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Deactivate' })).toBeTruthy());
    expect(posts(calls)[0]).toMatchObject({ url: '/v1/priority-logics/pl_1/activate', body: { version: 5, routing_version: 7 } });
  });

  it('Stagger at a percentage; then raise, Promote to full and Revoke', async () => {
    const staggered = logic({ status: 'STAGGERED', status_label: 'Staggered', stagger_percentage: 10, row_version: 6 });
    const { calls } = mockFetch(
      ...base(logic()),
      route('POST', '/v1/priority-logics/pl_1/stagger', (c) => ({
        body: { logic: { ...staggered, stagger_percentage: (c.body as { percentage: number }).percentage }, routing: routing({ staggered_logic_id: 'pl_1', version: 8 }) },
      })),
      route('POST', '/v1/priority-logics/pl_1/revoke', { body: { logic: logic({ row_version: 8 }), routing: routing({ version: 9 }) } }),
    );
    const user = userEvent.setup();
    renderWithSession(<LogicViewPage id="pl_1" />);
    const pct = await screen.findByLabelText('Staggered release percentage');
    await user.clear(pct);
    await user.type(pct, '20');
    await user.click(screen.getByRole('button', { name: 'Start staggered release' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Stagger' }));
    expect(await screen.findByRole('button', { name: 'Promote to full' })).toBeTruthy();
    expect(posts(calls)[0]).toMatchObject({ url: '/v1/priority-logics/pl_1/stagger', body: { percentage: 20, version: 5, routing_version: 7 } });
    const raise = screen.getByLabelText('Staggered release percentage');
    await user.clear(raise);
    await user.type(raise, '50');
    await user.click(screen.getByRole('button', { name: 'Update percentage' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Update percentage' }));
    await waitFor(() => expect(posts(calls)).toHaveLength(2));
    expect(posts(calls)[1]).toMatchObject({ body: { percentage: 50, version: 6, routing_version: 8 } });
    await user.click(screen.getByRole('button', { name: 'Revoke' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke' }));
    expect(await screen.findByRole('button', { name: 'Activate' })).toBeTruthy();
  });

  it('a stale version answers "Error! Try Syncing again" with a Sync button', async () => {
    let current = logic();
    mockFetch(
      route('GET', '/v1/priority-logics/pl_1', () => ({ body: current })),
      ...base(current).slice(1),
      route('POST', '/v1/priority-logics/pl_1/fallback', { status: 409, body: { error_message: 'Error! Try Syncing again', error_info: { code: 'SYNC_CONFLICT' } } }),
    );
    const user = userEvent.setup();
    renderWithSession(<LogicViewPage id="pl_1" />);
    await user.click(await screen.findByRole('button', { name: 'Set as fallback' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Set as fallback' }));
    expect(await screen.findByText('Error! Try Syncing again')).toBeTruthy();
    current = logic({ row_version: 9 });
    await user.click(screen.getByRole('button', { name: 'Sync' }));
    await waitFor(() => expect(screen.queryByText('Error! Try Syncing again')).toBeNull());
    expect(screen.getByText('(row version 9)')).toBeTruthy();
  });

  it('Delete is not offered on a live logic: disabled, with the reason', async () => {
    mockFetch(...base(logic({ status: 'ACTIVE', status_label: 'Active' })));
    renderWithSession(<LogicViewPage id="pl_1" />);
    const del = await screen.findByRole('button', { name: 'Delete' });
    expect((del as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('delete-blocked').textContent).toBe('Active Priority Logics cannot be deleted. Deactivate them first or Revoke in case of a staggered release.');
    expect(del.getAttribute('aria-describedby')).toBe('delete-blocked');
  });

  it('a logic made live meanwhile: the server’s refusal is shown once, in the dialog', async () => {
    const message = 'Active Priority Logics cannot be deleted. Deactivate them first or Revoke in case of a staggered release.';
    mockFetch(...base(logic()), route('DELETE', '/v1/priority-logics/pl_1', { status: 400, body: { error_message: message, error_info: { code: 'LOGIC_IS_LIVE' } } }));
    const user = userEvent.setup();
    renderWithSession(<LogicViewPage id="pl_1" />);
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete Priority Logic' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await within(dialog).findByText(message)).toBeTruthy();
    expect(screen.getAllByText(message)).toHaveLength(1);
    expect(within(dialog).queryByRole('button', { name: 'Delete' })).toBeNull();
  });

  it('Enforce: Change opens a copy to edit', async () => {
    mockFetch(...base(logic()));
    const user = userEvent.setup();
    renderWithSession(<LogicViewPage id="pl_1" />);
    await user.click(await screen.findByRole('button', { name: /Change Enforce Rule/ }));
    expect(window.location.pathname).toBe('/dashboard/priority-logic/pl_1/copy');
  });

  it('roles: a viewer sees no actions; an approver approves a pending code logic', async () => {
    const pending = logic({
      kind: 'CODE',
      status: 'PENDING_APPROVAL',
      status_label: 'Pending Approval',
      definition: { kind: 'CODE', name: 'c', enforce: false, defaultGateways: [{ gateway: 'SIM_ALPHA' }], code: 'setGatewayPriority(["SIM_ALPHA"]);' },
    });
    mockFetch(
      ...base(pending),
      route('POST', '/v1/priority-logics/pl_1/approve', { body: { logic: { ...pending, status: 'INACTIVE', status_label: 'Inactive', approved_by: 'usr_1' }, routing: routing() } }),
    );
    const user = userEvent.setup();
    const view = renderWithSession(<LogicViewPage id="pl_1" />, 'VIEWER');
    await screen.findByRole('heading', { level: 1, name: /Cards to BETA/ });
    for (const name of ['Approve', 'Activate', 'Delete', 'Copy to edit', 'Run test']) expect(screen.queryByRole('button', { name })).toBeNull();
    expect(screen.getByRole('button', { name: 'Download JSON' })).toBeTruthy();
    view.unmount();
    renderWithSession(<LogicViewPage id="pl_1" />, 'APPROVER');
    await user.click(await screen.findByRole('button', { name: 'Approve' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull());
  });

  it('an approver tests a pending code logic, and rejects it with a reason that the page then shows', async () => {
    const pending = logic({
      kind: 'CODE',
      status: 'PENDING_APPROVAL',
      status_label: 'Pending Approval',
      definition: { kind: 'CODE', name: 'c', enforce: false, defaultGateways: [{ gateway: 'SIM_ALPHA' }], code: 'setGatewayPriority(["SIM_ALPHA"]);' },
    });
    const rejected = { ...pending, status: 'REJECTED' as const, status_label: 'Rejected', row_version: 6 };
    let audited = false;
    const { calls } = mockFetch(
      route('GET', '/v1/priority-logics/audit', () => ({
        body: {
          entries: audited
            ? [
                {
                  id: 'a2',
                  logic_id: 'pl_1',
                  actor_id: 'usr_3',
                  actor_email: 'approver@demo.junction.local',
                  actor_role: 'APPROVER',
                  action: 'REJECT',
                  created: '2025-01-02T00:00:00Z',
                  after: { reason: 'Too risky for UPI' },
                },
              ]
            : [],
        },
      })),
      ...base(pending),
      route('POST', '/v1/priority-logics/pl_1/reject', () => {
        audited = true;
        return { body: { logic: rejected, routing: routing() } };
      }),
    );
    const user = userEvent.setup();
    renderWithSession(<LogicViewPage id="pl_1" />, 'APPROVER');
    expect(await screen.findByRole('button', { name: 'Run test' })).toBeTruthy();
    await user.click(await screen.findByRole('button', { name: 'Reject' }));
    const dialog = screen.getByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(within(dialog).getByRole('alert').textContent).toContain('Say why');
    expect(posts(calls)).toHaveLength(0);
    await user.type(within(dialog).getByLabelText('Reason (required)'), 'Too risky for UPI');
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(screen.getByTestId('rejected').textContent).toContain('Rejected by approver@demo.junction.local'));
    expect(screen.getByTestId('rejected').textContent).toContain('Too risky for UPI');
    expect(posts(calls)[0]).toMatchObject({ url: '/v1/priority-logics/pl_1/reject', body: { version: 5, reason: 'Too risky for UPI' } });
    expect(screen.queryByRole('button', { name: 'Activate' })).toBeNull();
  });

  it('shows what the logic changes against the live logic', async () => {
    const live = logic({
      id: 'pl_live',
      name: 'Live rules',
      status: 'ACTIVE',
      status_label: 'Active',
      enforce: true,
      definition: { ...logic().definition, enforce: true, defaultGateways: [{ gateway: 'SIM_BETA' }] },
    });
    mockFetch(...base(logic(), routing({ active_logic_id: 'pl_live' })), route('GET', '/v1/priority-logics/pl_live', { body: live }));
    renderWithSession(<LogicViewPage id="pl_1" />, 'APPROVER');
    const table = await screen.findByTestId('live-diff');
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) => [...r.children].map((c) => c.textContent));
    expect(rows).toEqual([
      ['Enforce', 'on', 'off'],
      ['Default gateways', 'SIM_BETA', 'SIM_ALPHA'],
    ]);
    expect(within(table).getByRole('columnheader', { name: 'Live: Live rules' })).toBeTruthy();
  });

  it('Share Rule: Copy JSON puts the export on the clipboard and shows it', async () => {
    const doc = { format: 'junction.priority-logic', formatVersion: 1, name: 'Cards to BETA' };
    mockFetch(...base(logic()), route('GET', '/v1/priority-logics/pl_1/export', { body: doc }));
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const user = userEvent.setup();
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderWithSession(<LogicViewPage id="pl_1" />);
    await user.click(await screen.findByRole('button', { name: 'Copy JSON' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(JSON.stringify(doc, null, 2)));
    expect((screen.getByLabelText('Rule JSON') as HTMLTextAreaElement).value).toContain('junction.priority-logic');
  });
});
