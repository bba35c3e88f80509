// The dashboard's Risk page end to end: the real service on a port, the built dashboard, Debian's
// headless Chromium driven by playwright-core. An admin configures risk checks (a field error
// shown next to its field first), creates a rule with the Priority Logic condition editor, adds a
// blocklist entry, dry-runs a payment, sees a blocked payment with its reason, rejects a held
// review; a viewer can read but not change anything. Screenshots go to test-artifacts/screenshots/.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_USER_TOKENS, VISA_OK } from '../helpers/test-app.ts';
import { browserUnavailable, screenshot, signIn, startE2E, type E2E } from './harness.ts';

const skip = browserUnavailable();
if (skip) process.stderr.write(`risk page end-to-end tests skipped: ${skip}\n`);

const ADMIN = 'admin@demo.junction.local';
const VIEWER = 'viewer@demo.junction.local';

let e: E2E;
let page: Page;

/** The service's own answer, read with the admin's API token. */
async function service(url: string): Promise<Record<string, any>> {
  const r = await e.j.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` } });
  assert.equal(r.statusCode, 200, r.body);
  return r.json() as Record<string, any>;
}

/** An order and a card payment through the merchant API; answers the payment's status. */
async function pay(orderId: string, amount: string, email = 'shopper@example.com'): Promise<string> {
  const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: e.j.basic };
  const order = await e.j.app.inject({ method: 'POST', url: '/orders', headers: form, payload: new URLSearchParams({ order_id: orderId, amount, currency: 'INR', customer_email: email }).toString() });
  assert.equal(order.statusCode, 200, order.body);
  const txn = await e.j.app.inject({
    method: 'POST',
    url: '/txns',
    headers: form,
    payload: new URLSearchParams({ order_id: orderId, merchant_id: 'demo_merchant', format: 'json', ...VISA_OK }).toString(),
  });
  assert.ok(txn.statusCode < 300, txn.body);
  return (txn.json() as { status: string }).status;
}

async function openTab(p: Page, name: string): Promise<void> {
  await p.getByRole('tab', { name }).click();
}

describe('the Risk page in the browser', { skip: skip ?? false }, () => {
  before(async () => {
    e = await startE2E();
    ({ page } = await e.newPage());
  });
  afterEach(async (t) => {
    if (page && (t as unknown as { passed?: boolean }).passed === false) await screenshot(page, `risk-failed-${t.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  });
  after(async () => {
    await e?.close();
  });

  test('configure: a bad velocity window is named next to its field, then the configuration is saved', async () => {
    await signIn(page, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Risk' }).click();
    await page.getByRole('heading', { level: 1, name: 'Risk' }).waitFor();
    await page.getByText('No risk configuration').waitFor();
    await page.getByLabel('Risk checks on').check();
    await page.getByRole('button', { name: '+ Add velocity limit' }).click();
    await page.getByLabel('Velocity 1 window').fill('0');
    await page.getByRole('button', { name: 'Save configuration' }).click();
    await page.getByTestId('error-velocity[0].window_seconds').waitFor();
    assert.equal((await service('/v1/risk/config')).configured, false, 'nothing written after a refusal');
    await page.getByLabel('Velocity 1 window').fill('3600');
    await page.getByLabel('Velocity 1 limit').fill('100');
    await page.getByLabel('Mode').selectOption('sequential');
    await page.getByLabel('When a check fails').selectOption('closed');
    await page.getByRole('button', { name: 'Save configuration' }).click();
    await page.getByText('Risk configuration saved.').waitFor();
    await screenshot(page, 'risk-01-configuration');
    const saved = await service('/v1/risk/config');
    assert.equal(saved.configured, true);
    assert.equal(saved.config.mode, 'sequential');
    assert.equal(saved.config.fail_open, false);
    assert.deepEqual(
      saved.config.velocity.map((v: { window_seconds: number; limit: number }) => [v.window_seconds, v.limit]),
      [[3600, 100]],
    );
  });

  test('rules: a block rule and a review rule built with the Priority Logic condition editor', async () => {
    await openTab(page, 'Rules');
    await page.getByText('No risk rules.').waitFor();
    for (const rule of [
      { name: 'huge INR', action: 'block', over: '50000' },
      { name: 'mid INR', action: 'review', over: '500' },
    ]) {
      await page.getByRole('button', { name: '+ New rule' }).click();
      const form = page.getByRole('form', { name: 'New risk rule' });
      await form.getByLabel('Name').fill(rule.name);
      await form.getByLabel('Action').selectOption(rule.action);
      await form.getByLabel('Score (0 to 100)').fill('70');
      const leaf = form.getByTestId('cond-condition.all[0]');
      await leaf.getByLabel('Dimension').selectOption('amount');
      await leaf.getByLabel('Operator').selectOption('greater_than');
      // An empty value is refused next to the condition before anything is sent.
      await form.getByRole('button', { name: 'Create rule' }).click();
      await leaf.locator('.field-error').first().waitFor();
      await leaf.getByLabel('Value', { exact: true }).fill(rule.over);
      await leaf.getByLabel('Currency').selectOption('INR');
      await form.getByRole('button', { name: 'Create rule' }).click();
      await page.getByRole('row').filter({ hasText: rule.name }).first().waitFor();
    }
    await screenshot(page, 'risk-02-rules');
    const rules = (await service('/v1/risk/rules')).rules as Array<{ name: string; action: string; score: number; condition: unknown }>;
    assert.deepEqual(
      rules.map((r) => [r.name, r.action, r.score]),
      [
        ['huge INR', 'block', 70],
        ['mid INR', 'review', 70],
      ],
    );
    assert.match(JSON.stringify(rules[0]!.condition), /greater_than/);
  });

  test('lists: a blocklist email entry added, shown, and refused when invalid', async () => {
    await openTab(page, 'Lists');
    await page.getByText('No entries in the blocklist.').waitFor();
    await page.getByLabel('Entry kind').selectOption('ip');
    await page.getByLabel('Values (one a line or comma-separated)').fill('not-an-ip');
    await page.getByRole('button', { name: 'Add entries' }).click();
    await page.getByTestId('lists-field-errors').waitFor();
    await page.getByLabel('Entry kind').selectOption('email');
    await page.getByLabel('Values (one a line or comma-separated)').fill('fraud@example.com');
    await page.getByRole('button', { name: 'Add entries' }).click();
    await page.getByRole('row').filter({ hasText: 'fraud@example.com' }).waitFor();
    // A CSV file of IP networks: the header line is skipped and said so.
    await page.getByLabel('Entry kind').selectOption('ip');
    await page.getByLabel('Blocklist file').setInputFiles({ name: 'bad-ips.csv', mimeType: 'text/csv', buffer: Buffer.from('ip,comment\n198.51.100.7,seen twice\n203.0.113.0/24,botnet\n') });
    await page.getByRole('button', { name: 'Import file' }).click();
    await page.getByTestId('lists-message').getByText('Imported bad-ips.csv: 2 added of 2 values (a header line was skipped).').waitFor();
    await page.getByRole('row').filter({ hasText: '203.0.113.0/24' }).waitFor();
    await screenshot(page, 'risk-03-lists');
    // Removed again, after confirmation.
    await page.getByRole('button', { name: 'Remove ip 198.51.100.7' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await page.getByTestId('lists-message').getByText('Removed 198.51.100.7 from the blocklist.').waitFor();
    const entries = (await service('/v1/risk/lists/blocklist')).entries as Array<{ kind: string; value: string }>;
    assert.deepEqual(entries.map((x) => x.kind).sort(), ['email', 'ip']);
    assert.equal(entries.find((x) => x.kind === 'email')?.value, 'fraud@example.com');
  });

  test('dry run: the blocklisted email is blocked, each check answers', async () => {
    await openTab(page, 'Dry run');
    await page.getByLabel('Email').fill('fraud@example.com');
    await page.getByRole('button', { name: 'Run' }).click();
    assert.equal(await page.getByTestId('dry-run-verdict').innerText(), 'block');
    const blocklist = page.locator('[data-testid="dry-run-check"][data-check="blocklist"]');
    assert.match(await blocklist.innerText(), /block[\s\S]*fraud@example\.com/);
    await page.getByLabel('Email').fill('someone@example.com');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByTestId('dry-run-verdict').getByText('allow').waitFor();
    await screenshot(page, 'risk-04-dry-run');
  });

  test('blocked payments: a payment by the blocklisted email appears with its code and reason, linked to its order', async () => {
    assert.equal(await pay('risk_e2e_blocked', '100.00', 'fraud@example.com'), 'JUSPAY_DECLINED');
    await openTab(page, 'Blocked payments');
    const row = page.locator('[data-testid="blocked-row"][data-order-id="risk_e2e_blocked"]');
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /RISK_BLOCKLISTED/);
    assert.match(text, /fraud@example\.com/);
    assert.match(text, /₹100\.00/);
    await screenshot(page, 'risk-05-blocked');
    await openTab(page, 'Block rate');
    const rate = page.locator('[data-testid="block-rate-row"]').filter({ hasText: 'blocklist' });
    assert.match(await rate.innerText(), /blocklist\s+1/);
    await screenshot(page, 'risk-06-block-rate');
    await openTab(page, 'Blocked payments');
    await row.getByRole('link', { name: 'risk_e2e_blocked' }).click();
    await page.waitForURL(/\/dashboard\/payments\/risk_e2e_blocked$/);
    await page.goto('/dashboard/risk');
  });

  test('review queue: a held payment is rejected (voided) after confirmation', async () => {
    assert.equal(await pay('risk_e2e_review', '600.00'), 'AUTHORIZED');
    await openTab(page, 'Review queue');
    const row = page.locator('[data-testid="review-row"][data-order-id="risk_e2e_review"]');
    await row.waitFor();
    assert.match(await row.innerText(), /₹600\.00/);
    await row.getByRole('button', { name: 'Reject risk_e2e_review' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('voided').waitFor();
    await screenshot(page, 'risk-07-review-confirm');
    await dialog.getByRole('button', { name: 'Reject and void' }).click();
    await page
      .getByTestId('review-message')
      .getByText(/Rejected risk_e2e_review: VOIDED/)
      .waitFor();
    await page.getByText('No payment is waiting for review.').waitFor();
    const status = await e.j.app.inject({ method: 'GET', url: '/orders/risk_e2e_review', headers: { authorization: e.j.basic } });
    assert.equal((status.json() as { status: string }).status, 'VOIDED');
  });

  test('audit trail: the changes made above, who made them', async () => {
    await openTab(page, 'Audit trail');
    await page.getByTestId('audit-row').first().waitFor();
    const text = await page.getByRole('table', { name: 'Risk audit trail' }).innerText();
    for (const action of ['config.put', 'rule.create', 'list.add', 'review.decide']) assert.ok(text.includes(action), `${action} in ${text}`);
    await screenshot(page, 'risk-08-audit');
  });

  test('a viewer reads the Risk page but cannot change it; the service refuses too', async () => {
    const viewer = await e.newPage();
    const p = viewer.page;
    await signIn(p, VIEWER);
    await p.goto('/dashboard/risk');
    await p.getByText('Read only for your role.').waitFor();
    assert.equal(await p.getByRole('button', { name: 'Save configuration' }).count(), 0);
    assert.equal(await p.getByLabel('Mode').isDisabled(), true);
    await openTab(p, 'Rules');
    await p.getByRole('row').filter({ hasText: 'huge INR' }).waitFor();
    assert.equal(await p.getByRole('button', { name: '+ New rule' }).count(), 0);
    assert.equal(await p.getByRole('button', { name: /^Edit rule/ }).count(), 0);
    await openTab(p, 'Lists');
    await p.getByRole('row').filter({ hasText: 'fraud@example.com' }).waitFor();
    assert.equal(await p.getByRole('button', { name: 'Add entries' }).count(), 0);
    assert.equal(await p.getByRole('button', { name: /^Remove / }).count(), 0);
    assert.equal(await pay('risk_e2e_viewer', '700.00'), 'AUTHORIZED');
    await openTab(p, 'Review queue');
    await p.locator('[data-testid="review-row"][data-order-id="risk_e2e_viewer"]').waitFor();
    assert.equal(await p.getByRole('button', { name: /^(Approve|Reject) / }).count(), 0);
    await screenshot(p, 'risk-09-viewer');
    const answer = await p.evaluate(async () => {
      const me = await (await fetch('/v1/auth/me')).json();
      const res = await fetch('/v1/risk/lists/blocklist', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf_token },
        body: JSON.stringify({ kind: 'email', value: 'viewer@example.com' }),
      });
      return { status: res.status, body: await res.json() };
    });
    assert.equal(answer.status, 403);
    assert.match(answer.body.error_message, /EDITOR or ADMIN/);
    await viewer.context.close();
  });

  test('review queue: an admin approves the held payment (captured) after confirmation', async () => {
    await page.goto('/dashboard/risk');
    await openTab(page, 'Review queue');
    const row = page.locator('[data-testid="review-row"][data-order-id="risk_e2e_viewer"]');
    await row.getByRole('button', { name: 'Approve risk_e2e_viewer' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Approve and capture' }).click();
    await page
      .getByTestId('review-message')
      .getByText(/Approved risk_e2e_viewer: CHARGED/)
      .waitFor();
    const status = await e.j.app.inject({ method: 'GET', url: '/orders/risk_e2e_viewer', headers: { authorization: e.j.basic } });
    assert.equal((status.json() as { status: string }).status, 'CHARGED');
  });
});
