// The dashboard end to end, as a merchant uses it: the real service on a port, the built
// dashboard, headless Chromium (Debian's) driven by playwright-core. Each page is saved as a
// screenshot under test-artifacts/screenshots/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_USER_TOKENS, VISA_OK } from '../helpers/test-app.ts';
import { browserUnavailable, dragUntil, screenshot, signIn, startE2E, type E2E } from './harness.ts';

const skip = browserUnavailable();
if (skip) process.stderr.write(`dashboard end-to-end tests skipped: ${skip}\n`);

const ADMIN = 'admin@demo.junction.local';
const APPROVER = 'approver@demo.junction.local';
const VIEWER = 'viewer@demo.junction.local';

let e: E2E;
let page: Page;

interface LogicView {
  stagger_percentage: number | null;
  id: string;
  name: string;
  status: string;
  kind: string;
  row_version: number;
  definition: { defaultGateways?: Array<{ gateway: string }> } & Record<string, unknown>;
  enforce: boolean;
}

/** The service's own view of a logic, read with the admin's API token. */
async function logicNamed(name: string): Promise<LogicView> {
  const list = await e.j.app.inject({ method: 'GET', url: `/v1/priority-logics?search=${encodeURIComponent(name)}`, headers: { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` } });
  const hit = (list.json() as { logics: Array<{ id: string; name: string }> }).logics.find((l) => l.name === name);
  assert.ok(hit, `logic ${name} exists`);
  const one = await e.j.app.inject({ method: 'GET', url: `/v1/priority-logics/${hit.id}`, headers: { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` } });
  const body = one.json() as { logic?: LogicView } & LogicView;
  return body.logic ?? body;
}

/** A card payment through the merchant API (order and transaction in one call). */
async function pay(order: string, amount = '149.00'): Promise<void> {
  const r = await e.j.app.inject({
    method: 'POST',
    url: '/txns',
    headers: { authorization: e.j.basic, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      order_id: order,
      amount,
      currency: 'INR',
      merchant_id: 'demo_merchant',
      payment_method_type: 'CARD',
      card_number: VISA_OK.card_number,
      card_exp_month: '12',
      card_exp_year: '2031',
      card_security_code: '123',
      'order.order_id': order,
      'order.amount': amount,
      'order.currency': 'INR',
    }).toString(),
  });
  assert.ok(r.statusCode < 300, r.body);
}

async function listItems(page: Page, name: string): Promise<string[]> {
  return (await page.getByRole('list', { name }).getByRole('listitem').allInnerTexts()).map((t) => (/SIM_[A-Z]+/.exec(t) ?? [t])[0]!);
}

async function startCreate(kind: 'Rule-Based' | 'Code-Based' | 'Default Routing' | 'Volume-Based Routing', name: string): Promise<void> {
  await page.goto('/dashboard/priority-logic/new');
  await page.getByRole('radio', { name: kind }).check();
  await page.getByLabel('Configuration Name').fill(name);
}

async function addDefaultGateways(...gateways: string[]): Promise<void> {
  for (const g of gateways) await page.getByLabel('Add gateway to Default gateways').selectOption(g);
}

async function saveAndOpen(name: string): Promise<void> {
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
}

describe('dashboard in the browser', { skip: skip ?? false }, () => {
  before(async () => {
    e = await startE2E();
    ({ page } = await e.newPage());
  });
  afterEach(async (t) => {
    // A failed step leaves a picture of the page behind for whoever reads the CI log.
    if (page && (t as unknown as { passed?: boolean }).passed === false) await screenshot(page, `failed-${t.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  });
  after(async () => {
    await e?.close();
  });

  test('sign in: a wrong password is refused, the right one opens the Priority Logic page', async () => {
    await page.goto('/dashboard/');
    await page.getByLabel('Email').fill(ADMIN);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.getByText('Invalid email or password').waitFor();
    await screenshot(page, '01-sign-in');
    await signIn(page, ADMIN);
    await page.getByRole('heading', { name: 'Active Priority Logics' }).waitFor();
    assert.match(await page.getByTestId('current-user').innerText(), /admin@demo\.junction\.local/);
  });

  test('Default Routing: "Need at least 1", then gateways ordered by dragging', async () => {
    await startCreate('Default Routing', 'E2E default');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('default-gateways').getByText('Need at least 1').first().waitFor();
    await addDefaultGateways('SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA');
    assert.deepEqual(await listItems(page, 'Default gateways'), ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA']);
    await dragUntil(
      page,
      page.getByRole('button', { name: 'Drag SIM_GAMMA' }),
      page.getByRole('button', { name: 'Drag SIM_ALPHA' }),
      async () => (await listItems(page, 'Default gateways'))[0] === 'SIM_GAMMA',
    );
    assert.deepEqual(await listItems(page, 'Default gateways'), ['SIM_GAMMA', 'SIM_ALPHA', 'SIM_BETA']);
    await screenshot(page, '02-create-default-routing');
    await saveAndOpen('E2E default');
    const saved = await logicNamed('E2E default');
    assert.equal(saved.kind, 'DEFAULT');
    assert.deepEqual(
      saved.definition.defaultGateways?.map((g) => g.gateway),
      ['SIM_GAMMA', 'SIM_ALPHA', 'SIM_BETA'],
      JSON.stringify(saved.definition),
    );
    await screenshot(page, '03-logic-view');
  });

  test('"Configuration Name already exists" appears next to the name', async () => {
    await startCreate('Default Routing', 'E2E default');
    await addDefaultGateways('SIM_ALPHA');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('name-errors').getByText('Configuration Name already exists').waitFor();
  });

  test('Volume-Based Routing: weights must sum to 100', async () => {
    await startCreate('Volume-Based Routing', 'E2E volume');
    const split = page.getByTestId('volume-split');
    await split.getByLabel('Add gateway to Volume split').selectOption('SIM_ALPHA');
    await split.getByLabel('Add gateway to Volume split').selectOption('SIM_BETA');
    await split.getByLabel('Weight of SIM_ALPHA (%)').fill('70');
    await split.getByLabel('Weight of SIM_BETA (%)').fill('20');
    assert.match(await page.getByTestId('volume-split-total').innerText(), /90/);
    await split.getByLabel('Weight of SIM_BETA (%)').fill('30');
    assert.match(await page.getByTestId('volume-split-total').innerText(), /100/);
    await addDefaultGateways('SIM_GAMMA');
    await screenshot(page, '04-create-volume');
    await saveAndOpen('E2E volume');
    const saved = await logicNamed('E2E volume');
    assert.equal(saved.kind, 'VOLUME');
    assert.match(JSON.stringify(saved.definition), /SIM_ALPHA[^}]*70|70[^}]*SIM_ALPHA/);
  });

  test('Rule-Based: conditions, the gateway errors, and a rule dragged into first place', async () => {
    await startCreate('Rule-Based', 'E2E rules');
    await addDefaultGateways('SIM_ALPHA');
    // Rule 1: UPI payments go to SIM_DELTA, which takes no UPI: GATEWAY_NOT_SUPPORTED.
    const rule1 = page.getByTestId('rule-0');
    await rule1.getByLabel('Rule 1 name').fill('UPI');
    const leaf1 = page.getByTestId('cond-rules[0].condition.all[0]');
    await leaf1.getByLabel('Dimension').selectOption('payment_method_type');
    await leaf1.getByLabel('Value', { exact: true }).fill('UPI');
    await rule1.getByLabel('Add gateway to Rule 1 gateways').selectOption('SIM_DELTA');
    // Rule 2: amount between with an empty end (Invalid Conditions) and no gateway (No Gateway Selected).
    await page.getByRole('button', { name: '+ Add rule' }).click();
    const rule2 = page.getByTestId('rule-1');
    await rule2.getByLabel('Rule 2 name').fill('Big amounts');
    const leaf2 = page.getByTestId('cond-rules[1].condition.all[0]');
    await leaf2.getByLabel('Dimension').selectOption('amount');
    await leaf2.getByLabel('Operator').selectOption('between');
    await leaf2.getByLabel('Range start').fill('1000');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await rule2.getByText('No Gateway Selected').first().waitFor();
    await leaf2
      .getByText(/Invalid Conditions/)
      .first()
      .waitFor();
    await screenshot(page, '05-rule-errors');
    // Complete rule 2; rule 1 still sends UPI to a gateway without UPI: GATEWAY_NOT_SUPPORTED there.
    await leaf2.getByLabel('Range end').fill('50000');
    await rule2.getByLabel('Add gateway to Rule 2 gateways').selectOption('SIM_BETA');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await rule1
      .getByText(/GATEWAY_NOT_SUPPORTED|does not support/)
      .first()
      .waitFor();
    await rule1.getByRole('button', { name: 'Remove SIM_DELTA from Rule 1 gateways' }).click();
    await rule1.getByLabel('Add gateway to Rule 1 gateways').selectOption('SIM_GAMMA');
    // Drag rule 2 above rule 1.
    const firstRuleName = () => page.getByTestId('rule-0').getByLabel('Rule 1 name').inputValue();
    await dragUntil(page, page.getByRole('button', { name: /^Drag rule 2/ }), page.getByRole('button', { name: /^Drag rule 1/ }), async () => (await firstRuleName()) === 'Big amounts');
    assert.equal(await page.getByTestId('rule-0').getByLabel('Rule 1 name').inputValue(), 'Big amounts');
    await screenshot(page, '06-create-rule-based');
    await saveAndOpen('E2E rules');
    const saved = await logicNamed('E2E rules');
    const rules = (saved.definition as { rules: Array<{ name: string }> }).rules;
    assert.deepEqual(
      rules.map((r) => r.name),
      ['Big amounts', 'UPI'],
    );
    // The dry run on the saved logic shows which rule matched.
    const dry = page.getByTestId('dry-run');
    await dry
      .getByLabel('Payment method type')
      .selectOption('UPI')
      .catch(async () => dry.getByLabel('Payment method type').fill('UPI'));
    await dry.getByRole('button', { name: 'Run test' }).click();
    await page.getByTestId('dry-run-matched').waitFor();
    assert.match(await page.getByTestId('dry-run-matched').innerText(), /UPI|Rule/);
    await screenshot(page, '07-dry-run');
  });

  test('Code-Based: "Please provide Code field", COMPILATION_ERROR, CODE_TOO_LARGE, then saved and approved', async () => {
    await startCreate('Code-Based', 'E2E code');
    await addDefaultGateways('SIM_ALPHA');
    const editor = page.getByRole('textbox', { name: 'Code editor' });
    await editor.fill('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('code-errors').getByText('Please provide Code field').waitFor();
    await editor.fill('setGatewayPriority(["SIM_ALPHA"]);\nif (order.amount > 10 {\n  x\n');
    await page.getByRole('button', { name: 'Compile check' }).click();
    await page
      .getByTestId('compile-result')
      .getByText(/COMPILATION_ERROR at line \d+, column \d+/)
      .waitFor();
    await screenshot(page, '08-code-compile-error');
    await editor.fill(`// ${'x'.repeat(70 * 1024)}\nsetGatewayPriority(["SIM_ALPHA"]);`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page
      .getByTestId('code-errors')
      .getByText(/CODE_TOO_LARGE/)
      .waitFor();
    await editor.fill('if (payment.paymentMethodType === "UPI") setGatewayPriority(["SIM_BETA"]);\nelse setGatewayPriority(["SIM_ALPHA", "SIM_GAMMA"]);');
    await saveAndOpen('E2E code');
    assert.equal((await logicNamed('E2E code')).status, 'PENDING_APPROVAL');
    // A second user with the approver role approves it.
    const approver = await e.newPage();
    await signIn(approver.page, APPROVER);
    await approver.page.goto(page.url());
    await approver.page.getByRole('button', { name: 'Approve' }).click();
    await approver.page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    await approver.page.getByText('INACTIVE').first().waitFor();
    await approver.context.close();
    assert.equal((await logicNamed('E2E code')).status, 'INACTIVE');
  });

  test('full release, then a staggered release raised and promoted; an active logic cannot be deleted', async () => {
    const volume = await logicNamed('E2E volume');
    await page.goto(`/dashboard/priority-logic/${volume.id}`);
    await page.getByTestId('release').getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Activate' }).click();
    await page.getByTestId('release').getByRole('button', { name: 'Deactivate' }).waitFor();
    assert.equal((await logicNamed('E2E volume')).status, 'ACTIVE');
    const logic = await logicNamed('E2E default');
    await page.goto(`/dashboard/priority-logic/${logic.id}`);
    const release = page.getByTestId('release');
    await release.getByLabel('Staggered release percentage').fill('20');
    await release.getByRole('button', { name: 'Start staggered release' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Stagger' }).click();
    await release.getByRole('button', { name: 'Promote to full' }).waitFor();
    assert.equal((await logicNamed('E2E default')).status, 'STAGGERED');
    // Raise the share, then promote.
    await release.getByLabel('Staggered release percentage').fill('50');
    await release.getByRole('button', { name: 'Update percentage' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Update percentage' }).click();
    await release.getByText('50%').waitFor();
    assert.equal((await logicNamed('E2E default')).stagger_percentage, 50);
    await screenshot(page, '09-staggered');
    await release.getByRole('button', { name: 'Promote to full' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Promote to full' }).click();
    await release.getByRole('button', { name: 'Deactivate' }).waitFor();
    assert.equal((await logicNamed('E2E default')).status, 'ACTIVE');
    // Delete is not offered on the active logic: disabled, the reason next to it.
    assert.equal(await page.getByRole('button', { name: 'Delete', exact: true }).first().isDisabled(), true);
    assert.match(await page.getByTestId('delete-blocked').innerText(), /^Active Priority Logics cannot be deleted/);
  });

  test('"Error! Try Syncing again" when another user changed the logic first', async () => {
    const logic = await logicNamed('E2E code');
    await page.goto(`/dashboard/priority-logic/${logic.id}`);
    await page.getByTestId('release').getByRole('button', { name: 'Set as fallback' }).waitFor();
    // Someone else changes it meanwhile.
    const other = await e.j.app.inject({
      method: 'POST',
      url: `/v1/priority-logics/${logic.id}/activate`,
      headers: { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` },
      payload: { version: logic.row_version },
    });
    assert.equal(other.statusCode, 200, other.body);
    await page.getByTestId('release').getByRole('button', { name: 'Set as fallback' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Set as fallback' }).click();
    await page.getByText('Error! Try Syncing again').first().waitFor();
    await screenshot(page, '10-sync-conflict');
    await page.getByRole('button', { name: 'Sync' }).click();
  });

  test('Share Rule and Import Rule: download the JSON and import it back, losslessly; INVALID_GATEWAY on import', async () => {
    const logic = await logicNamed('E2E rules');
    await page.goto(`/dashboard/priority-logic/${logic.id}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
    const file = await download.path();
    assert.ok(file);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    await page.getByRole('button', { name: 'Copy JSON' }).click();
    await page.getByLabel('Rule JSON').waitFor();
    await screenshot(page, '11-share');
    await page.goto('/dashboard/priority-logic/import');
    await page.getByLabel('Upload JSON file').setInputFiles(file);
    await page.getByLabel('Name (optional)').fill('E2E rules imported');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: /E2E rules imported/ }).waitFor();
    const imported = await logicNamed('E2E rules imported');
    // Everything but the new name comes back as it was exported.
    assert.deepEqual({ ...imported.definition, name: logic.name }, logic.definition);
    assert.equal(imported.kind, logic.kind);
    assert.equal(imported.enforce, logic.enforce);
    assert.ok(exported);
    // A gateway the merchant does not have: INVALID_GATEWAY.
    await page.goto('/dashboard/priority-logic/import');
    const bad = JSON.stringify(exported).replaceAll('SIM_BETA', 'NOT_A_GATEWAY');
    await page.getByLabel('Rule JSON').fill(bad);
    await page.getByLabel('Name (optional)').fill('E2E bad import');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page
      .getByTestId('import-error')
      .getByText(/INVALID_GATEWAY|not a gateway/)
      .first()
      .waitFor();
    await screenshot(page, '12-import-error');
  });

  test('"Something went wrong. Please try again" is shown as the service words it', async () => {
    // The service cannot be made to fail on purpose; answer one save with its exact 500 body.
    await page.route('**/v1/priority-logics', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      await route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({
          status: 'Internal Server Error',
          error_code: 'internal_error',
          error_message: 'Something went wrong. Please try again',
          error_info: {
            code: 'INTERNAL_ERROR',
            category: 'SYSTEM_ERROR',
            request_id: 'req-e2e',
            developer_message: 'Something went wrong. Please try again',
            user_message: 'Something went wrong. Please try again',
            href: '',
            fields: [],
          },
        }),
      });
    });
    await startCreate('Default Routing', 'E2E went wrong');
    await addDefaultGateways('SIM_ALPHA');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('form-error').getByText('Something went wrong. Please try again').waitFor();
    await page.unroute('**/v1/priority-logics');
  });

  test('a payment made through the API shows up with its routing trace; analytics and gateways render', async () => {
    const order = `e2e_${Date.now() % 1e9}`;
    await pay(order);
    for (let i = 0; i < 40; i++) await pay(`bg${i}_${Date.now() % 1e9}`, i % 3 === 0 ? '2999.00' : '149.00');
    await page.goto('/dashboard/payments');
    await page.getByLabel('Search', { exact: true }).fill(order);
    await page.getByLabel('Search', { exact: true }).press('Enter');
    await page.getByRole('link', { name: order }).click();
    await page.getByTestId('attempt-row').first().waitFor();
    await page.getByTestId('routing-trace').first().waitFor();
    assert.match(await page.getByTestId('routing-trace').first().innerText(), /SIM_[A-Z]+/);
    // A refund larger than the order is refused next to the amount; a partial one goes through.
    await page.getByLabel(/Refund amount/).fill('500.00');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Refund', exact: true }).click(); // a refund asks first
    await page.getByTestId('refund-amount-error').waitFor();
    await page.getByLabel(/Refund amount/).fill('49.00');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByTestId('refund-row').first().waitFor();
    const refunded = await e.j.app.inject({ method: 'GET', url: `/orders/${order}`, headers: { authorization: e.j.basic } });
    assert.equal(refunded.json().amount_refunded, 49);
    await screenshot(page, '13-order');
    await page.goto('/dashboard/payments');
    await page.getByTestId('order-row').first().waitFor();
    await screenshot(page, '14-payments');
    await page.goto('/dashboard/analytics');
    await page.getByTestId('gateway-health').first().waitFor();
    await page.waitForTimeout(1500);
    await screenshot(page, '15-analytics');
    await page.goto('/dashboard/gateways');
    await page.getByTestId('gateway-row').first().waitFor();
    await screenshot(page, '16-gateways');
    await page.goto('/dashboard/priority-logic');
    await page.getByRole('table', { name: 'All Priority Logics' }).waitFor();
    await screenshot(page, '00-priority-logic');
    // Dark mode follows the system setting: the same pages dark, for the README.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300); // the buttons' colour transitions end
    await screenshot(page, 'dark-00-priority-logic');
    await page.goto('/dashboard/analytics');
    await page.getByTestId('gateway-health').first().waitFor();
    await page.waitForTimeout(1500);
    await screenshot(page, 'dark-15-analytics');
    await page.emulateMedia({ colorScheme: null });
  });

  test('live view: an outage injected from the page moves traffic to another gateway, and back', async () => {
    const admin = { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` };
    const settings = await e.j.app.inject({ method: 'PUT', url: '/v1/routing/settings', headers: admin, payload: { max_attempts: 3, ranking_mode: 'WITHIN_LOGIC' } });
    assert.equal(settings.statusCode, 200, settings.body);
    await page.goto('/dashboard/analytics');
    await page.getByLabel('Simulated gateway').selectOption('SIM_ALPHA');
    await page.getByRole('button', { name: 'Start outage' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Start outage' }).click(); // an outage asks first
    await page.waitForTimeout(300);
    const started = new Date();
    for (let i = 0; i < 30; i++) await pay(`live${i}_${Date.now() % 1e9}`);
    const moved = await e.j.db.query<{ gateway: string; n: number }>("SELECT gateway, count(*)::int AS n FROM txns WHERE status = 'CHARGED' AND created_at >= $1 GROUP BY gateway", [started]);
    assert.ok(
      moved.some((r) => r.gateway !== 'SIM_ALPHA' && r.n >= 25),
      JSON.stringify(moved),
    );
    // The live table shows the other gateway taking the traffic.
    await page.getByTestId('live-share-row').filter({ hasText: 'SIM_GAMMA' }).first().waitFor();
    await screenshot(page, '18-live-outage');
    // Switched to dark while open: the charts redraw in the dark palette.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300);
    await screenshot(page, 'dark-18-live-outage');
    await page.emulateMedia({ colorScheme: null });
    await page.getByRole('button', { name: 'End outage' }).click();
  });

  test('a viewer sees no editing actions and is refused with "You do not have access"', async () => {
    const viewer = await e.newPage();
    const p = viewer.page;
    await signIn(p, VIEWER);
    await p.getByRole('table', { name: 'All Priority Logics' }).waitFor();
    assert.equal(await p.getByRole('button', { name: 'Create Priority Logic' }).count(), 0);
    await p.goto('/dashboard/priority-logic/new');
    await p.getByText('You do not have access').first().waitFor();
    await screenshot(p, '17-viewer-refused');
    // Called anyway, with a valid session and CSRF token, the service refuses too.
    const answer = await p.evaluate(async () => {
      const me = await (await fetch('/v1/auth/me')).json();
      const res = await fetch('/v1/priority-logics', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf_token },
        body: JSON.stringify({ name: 'viewer try', kind: 'DEFAULT', defaultGateways: [{ gateway: 'SIM_ALPHA' }] }),
      });
      return { status: res.status, body: await res.json() };
    });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error_message, 'You do not have access');
    await viewer.context.close();
  });
});
