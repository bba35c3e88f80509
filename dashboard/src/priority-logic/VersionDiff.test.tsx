import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveLogicDiff } from './LiveLogicDiff';
import { LogicViewPage } from './LogicViewPage';
import { codeLineDiff, diffHunks } from './logic-diff';
import { mockFetch, renderWithSession, route } from './test-helpers';
import type { AuditEntry } from './api';
import type { Logic, LogicDefinition, Routing } from './types';
import { ActivateLiveDiff, VersionDiff } from './VersionDiff';

vi.mock('../components/CodeEditor', () => ({ CodeEditor: ({ value, ariaLabel }: { value: string; ariaLabel: string }) => <textarea aria-label={ariaLabel} value={value} readOnly /> }));

const rule = (name: string, brand: string, gateway: string) => ({
  name,
  condition: { dimension: 'card_brand', operator: 'equal' as const, value: brand },
  output: { type: 'PRIORITY' as const, gateways: [{ gateway }] },
});

function logic(id: string, version: number, copiedFrom: string | null, definition: Partial<LogicDefinition> = {}, over: Partial<Logic> = {}): Logic {
  const def = { kind: 'RULES', name: `Cards ${id}`, enforce: false, defaultGateways: [{ gateway: 'SIM_ALPHA' }], rules: [rule('visa', 'VISA', 'SIM_BETA')], ...definition } as LogicDefinition;
  return {
    id,
    name: def.name,
    description: null,
    kind: def.kind,
    type: 'Rule Based',
    status: 'INACTIVE',
    status_label: 'Inactive',
    is_fallback: false,
    stagger_percentage: null,
    enforce: def.enforce,
    ranking: { mode: 'OFF' },
    version,
    row_version: 1,
    definition: def,
    created_by: 'usr_1',
    approved_by: null,
    approved_at: null,
    copied_from: copiedFrom,
    created: `2025-01-0${version}T00:00:00Z`,
    updated: `2025-01-0${version}T00:00:00Z`,
    ...over,
  };
}

// A lineage: v1 → v2 (this) → v3, and v3 → v4; an unrelated logic's copy is not part of it.
const v1 = logic('pl_v1', 1, null);
const v2 = logic('pl_v2', 2, 'pl_v1', { enforce: true, rules: [rule('visa', 'VISA', 'SIM_GAMMA'), rule('master', 'MASTERCARD', 'SIM_BETA')] });
const v3 = logic('pl_v3', 3, 'pl_v2', { defaultGateways: [{ gateway: 'SIM_BETA' }, { gateway: 'SIM_ALPHA' }] });
const v4 = logic('pl_v4', 4, 'pl_v3', {
  kind: 'VOLUME',
  rules: undefined,
  splits: [
    { gateway: 'SIM_ALPHA', weight: 60 },
    { gateway: 'SIM_BETA', weight: 40 },
  ],
});
const other = logic('pl_other', 2, 'pl_x');
const all = new Map([v1, v2, v3, v4, other].map((l) => [l.id, l]));
const copy = (id: string, from: string): AuditEntry => ({
  id: `a_${id}`,
  logic_id: id,
  actor_id: 'usr_1',
  actor_role: 'EDITOR',
  action: 'COPY',
  created: '2025-01-05T00:00:00Z',
  after: { copied_from: from },
});
const history: AuditEntry[] = [copy('pl_v4', 'pl_v3'), copy('pl_other', 'pl_x'), copy('pl_v3', 'pl_v2'), copy('pl_v2', 'pl_v1'), { ...copy('pl_v1', ''), action: 'CREATE', after: {} }];
const fetchLogic = async (id: string) => {
  const l = all.get(id);
  if (!l) throw new Error('not found');
  return l;
};

describe('codeLineDiff', () => {
  it('marks the added and removed lines with their numbers, and keeps two lines of context', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n');
    const after = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h', 'i'].join('\n');
    const lines = codeLineDiff(before, after);
    expect(lines.filter((l) => l.kind !== 'same')).toEqual([
      { kind: 'removed', text: 'e', before: 5 },
      { kind: 'added', text: 'E', after: 5 },
      { kind: 'added', text: 'i', after: 9 },
    ]);
    const hunks = diffHunks(lines);
    expect(hunks.map((l) => (l === null ? '…' : l.text))).toEqual(['c', 'd', 'e', 'E', 'f', 'g', 'h', 'i']);
    expect(diffHunks(codeLineDiff('1\n2\n3\n4\n5\n6\n7\n8\n9', '0\n2\n3\n4\n5\n6\n7\n8\nX')).map((l) => (l === null ? '…' : l.text))).toEqual(
      ['1', '0', '2', '3', null, '7', '8', '9', 'X'].map((t) => (t === null ? '…' : t)),
    );
  });
});

describe('VersionDiff', () => {
  it('compares the version this one was copied from with it by default, and any two versions picked', async () => {
    const user = userEvent.setup();
    let asked = 0;
    render(<VersionDiff logic={v2} fetchVersions={async () => (asked++, [v1, v2, v3, v4])} />);
    // Nothing is loaded until the comparison is asked for.
    expect(asked).toBe(0);
    await user.click(screen.getByRole('button', { name: 'Compare versions' }));
    const from = await screen.findByLabelText('Compare version');
    expect(asked).toBe(1);
    const to = screen.getByLabelText('with version');
    expect((from as HTMLSelectElement).value).toBe('pl_v1');
    expect((to as HTMLSelectElement).value).toBe('pl_v2');
    expect(
      within(from)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['v1 · Cards pl_v1 (Inactive)', 'v2 · Cards pl_v2 (Inactive) · this logic', 'v3 · Cards pl_v3 (Inactive)', 'v4 · Cards pl_v4 (Inactive)']);
    const table = screen.getByTestId('version-diff');
    const rows = () =>
      within(screen.getByTestId('version-diff'))
        .getAllByRole('row')
        .slice(1)
        .map((r) => Array.from(r.children).map((c) => c.textContent));
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['What', 'v1: Cards pl_v1', 'v2: Cards pl_v2']);
    expect(rows()).toEqual([
      ['Enforce', 'off', 'on'],
      ['Rule 1 (visa): output', 'SIM_BETA', 'SIM_GAMMA'],
      ['Rule 2 (master): added', '(none)', expect.stringMatching(/^If .*MASTERCARD.* then SIM_BETA$/)],
    ]);
    // Any two: v3 against v4 (a change of type: the rules go, a volume split comes).
    await user.selectOptions(from, 'pl_v3');
    await user.selectOptions(to, 'pl_v4');
    expect(rows().map((r) => r[0])).toEqual(['Type', 'Default gateways', 'Volume split', 'Rule 1 (visa): removed']);
    expect(rows().find((r) => r[0] === 'Volume split')).toEqual(['Volume split', '(none)', '60% SIM_ALPHA, 40% SIM_BETA']);
    // Swap turns the comparison round.
    await user.click(screen.getByRole('button', { name: 'Swap' }));
    expect((screen.getByLabelText('Compare version') as HTMLSelectElement).value).toBe('pl_v4');
    expect(rows().find((r) => r[0] === 'Volume split')).toEqual(['Volume split', '60% SIM_ALPHA, 40% SIM_BETA', '(none)']);
    // The same version twice, and two versions that route alike.
    await user.selectOptions(screen.getByLabelText('with version'), 'pl_v4');
    expect(screen.getByText('Pick two different versions.')).toBeTruthy();
  });

  it('shows a code change line by line', async () => {
    const c1 = logic('pl_c1', 1, null, { kind: 'CODE', rules: undefined, code: 'const a = 1;\nreturn ["SIM_ALPHA"];' });
    const c2 = logic('pl_c2', 2, 'pl_c1', { kind: 'CODE', rules: undefined, code: 'const a = 1;\nreturn ["SIM_BETA", "SIM_ALPHA"];' });
    const byId = new Map([c1, c2].map((l) => [l.id, l]));
    render(<VersionDiff logic={c2} fetchVersions={async () => [...byId.values()]} />);
    await userEvent.click(screen.getByRole('button', { name: 'Compare versions' }));
    const code = await screen.findByTestId('version-diff-code');
    const items = within(code).getAllByRole('listitem');
    expect(items.map((li) => li.className)).toEqual(['code-diff-line same', 'code-diff-line removed', 'code-diff-line added']);
    expect(items[1]!.textContent).toContain('removed line 2: − return ["SIM_ALPHA"];');
    expect(items[2]!.textContent).toContain('added line 2: + return ["SIM_BETA", "SIM_ALPHA"];');
  });

  it('says so when the logic is the only version, or two versions route alike', async () => {
    const { unmount } = render(<VersionDiff logic={v1} fetchVersions={async () => [v1]} />);
    await userEvent.click(screen.getByRole('button', { name: 'Compare versions' }));
    expect((await screen.findByTestId('version-diff-single')).textContent).toMatch(/only version/);
    const same = logic('pl_same', 2, 'pl_v1');
    all.set('pl_same', same);
    unmount();
    render(<VersionDiff logic={same} fetchVersions={async () => [v1, same]} />);
    await userEvent.click(screen.getByRole('button', { name: 'Compare versions' }));
    expect((await screen.findByTestId('version-diff-same')).textContent).toBe('v1 and v2 route exactly the same way.');
  });
});

describe('ActivateLiveDiff', () => {
  it('shows what the logic changes against the live one, or that nothing is live', async () => {
    render(<ActivateLiveDiff logic={v3} liveId="pl_v2" fetchLogic={fetchLogic} />);
    const table = await screen.findByTestId('activate-diff');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['What', 'Live: Cards pl_v2', 'This logic']);
    expect(within(table).getByRole('rowheader', { name: 'Enforce' })).toBeTruthy();
    render(<ActivateLiveDiff logic={v3} liveId={null} fetchLogic={fetchLogic} />);
    expect(screen.getByTestId('activate-diff-none').textContent).toMatch(/No logic is live now/);
  });
});

describe('LiveLogicDiff (the approver)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows a pending code change against the live code line by line', async () => {
    const live = logic('pl_live', 1, null, { kind: 'CODE', rules: undefined, code: 'setGatewayPriority(["SIM_ALPHA"]);' }, { status: 'ACTIVE', status_label: 'Active' });
    const pending = logic('pl_new', 2, 'pl_live', { kind: 'CODE', rules: undefined, code: 'setGatewayPriority(["SIM_BETA"]);' }, { status: 'PENDING_APPROVAL', status_label: 'Pending Approval' });
    mockFetch(route('GET', '/v1/priority-logics/pl_live', { body: live }));
    render(<LiveLogicDiff logic={pending} liveId="pl_live" />);
    const code = await screen.findByTestId('live-diff-code');
    expect(
      within(code)
        .getAllByRole('listitem')
        .map((li) => li.className),
    ).toEqual(['code-diff-line removed', 'code-diff-line added']);
    expect(within(screen.getByTestId('live-diff')).getByRole('rowheader', { name: 'Code' })).toBeTruthy();
  });
});

describe('on the logic page', () => {
  const routing: Routing = { active_logic_id: 'pl_v1', staggered_logic_id: null, stagger_percentage: null, fallback_logic_id: null, version: 3, updated: '2025-01-01T00:00:00Z' };
  beforeEach(() => window.history.replaceState(null, '', '/dashboard/priority-logic/pl_v2'));
  afterEach(() => vi.unstubAllGlobals());

  it('History compares the versions, and the Activate confirmation shows the changes against the live logic', async () => {
    mockFetch(
      route('GET', '/v1/priority-logics/pl_v2', { body: v2 }),
      route('GET', '/v1/priority-logics/pl_v1', { body: v1 }),
      route('GET', '/v1/priority-logics/pl_v3', { body: v3 }),
      route('GET', '/v1/priority-logics/pl_v4', { body: v4 }),
      route('GET', '/v1/priority-logics/routing', { body: routing }),
      route('GET', '/v1/priority-logics/audit', { body: { entries: history } }),
      route('GET', '/v1/priority-logics/pl_v2/versions', { body: { versions: [v1, v2, v3, v4] } }),
      route('POST', '/v1/priority-logics/analyze', { body: { logic_id: 'pl_v2', kind: 'RULES', analysed: true, warnings: [] } }),
    );
    const user = userEvent.setup();
    renderWithSession(<LogicViewPage id="pl_v2" />);
    const history_ = await screen.findByRole('region', { name: 'History' });
    await user.click(within(history_).getByRole('button', { name: 'Compare versions' }));
    await waitFor(() => expect(within(history_).getByTestId('version-diff')).toBeTruthy());
    expect(within(within(history_).getByLabelText('Compare version')).getAllByRole('option')).toHaveLength(4);
    await user.click(await screen.findByRole('button', { name: 'Activate' }));
    const dialog = screen.getByRole('dialog');
    const diff = await within(dialog).findByTestId('activate-diff');
    expect(within(diff).getByRole('rowheader', { name: 'Rule 2 (master): added' })).toBeTruthy();
  });
});
