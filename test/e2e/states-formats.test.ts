// Issue 16, findings 4, 5 (refund, outage, unsaved changes) and 6, and the shareable views: every
// error state in the seed's words with a working Retry (the server made to fail by a route
// intercept), a 503 from /v1/auth/me with a valid session, the confirmations, the unsaved-changes
// guard, money and dates on an INR and a JPY payment, CSV downloads and the URL state across a reload.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_USER_TOKENS, VISA_OK } from '../helpers/test-app.ts';
import { browserUnavailable, screenshot, signIn, startE2E, type E2E } from './harness.ts';
import { parseCsv } from '../../dashboard/src/format/csv.ts';

const skip = browserUnavailable();
if (skip) process.stderr.write(`states-formats end-to-end tests skipped: ${skip}\n`);

const ADMIN = 'admin@demo.junction.local';
const SEED_ERROR = 'Something went wrong. Please try again';
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

let e: E2E;
let context: BrowserContext;
let page: Page;

const admin = () => ({ authorization: `Bearer ${DEMO_USER_TOKENS.admin}` });

/** A card payment through the merchant API (order and transaction in one call). */
async function pay(order: string, amount: string, currency: string): Promise<void> {
  const r = await e.j.app.inject({
    method: 'POST',
    url: '/txns',
    headers: { authorization: e.j.basic, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      order_id: order,
      amount,
      currency,
      merchant_id: 'demo_merchant',
      payment_method_type: 'CARD',
      card_number: VISA_OK.card_number,
      card_exp_month: '12',
      card_exp_year: '2031',
      card_security_code: '123',
      'order.order_id': order,
      'order.amount': amount,
      'order.currency': currency,
    }).toString(),
  });
  assert.ok(r.statusCode < 300, r.body);
}

async function amountRefunded(order: string): Promise<number> {
  const r = await e.j.app.inject({ method: 'GET', url: `/orders/${order}`, headers: { authorization: e.j.basic } });
  return Number(r.json().amount_refunded ?? 0);
}

/** Clicks the button and reads the CSV file it downloads. */
async function download(button: ReturnType<Page['getByRole']>): Promise<{ name: string; rows: string[][] }> {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = await file.path();
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  return { name: file.suggestedFilename(), rows: parseCsv(text) };
}

const stamp = Date.now() % 1e9;
const INR_ORDER = `sf_inr_${stamp}`;
const JPY_ORDER = `sf_jpy_${stamp}`;

describe('error states, confirmations, formats and shareable views', { skip: skip ?? false }, () => {
  before(async () => {
    e = await startE2E();
    ({ context, page } = await e.newPage());
    await page.setViewportSize(DESKTOP);
    await pay(INR_ORDER, '534473.00', 'INR');
    await pay(JPY_ORDER, '123456', 'JPY');
    await signIn(page, ADMIN);
  });
  afterEach(async (t) => {
    await page.unrouteAll({ behavior: 'ignoreErrors' }).catch(() => undefined);
    if (page && (t as unknown as { passed?: boolean }).passed === false) await screenshot(page, `failed-states-${t.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  });
  after(async () => {
    await e?.close();
  });

  for (const size of [DESKTOP, PHONE]) {
    test(`formats at ${size.width}: INR with Indian grouping and ₹, JPY without decimals, one date format with the zone, switchable`, async () => {
      await page.setViewportSize(size);
      await page.goto(`/dashboard/payments/${INR_ORDER}`);
      assert.equal(await page.getByTestId('order-amount').innerText(), '₹5,34,473.00');
      await page.goto(`/dashboard/payments/${JPY_ORDER}`);
      assert.equal(await page.getByTestId('order-amount').innerText(), '¥123,456');
      await page.goto(`/dashboard/payments?q=sf_`);
      const inrRow = page.getByTestId('order-row').filter({ hasText: INR_ORDER });
      const jpyRow = page.getByTestId('order-row').filter({ hasText: JPY_ORDER });
      assert.match(await inrRow.innerText(), /₹5,34,473\.00/);
      assert.match(await jpyRow.innerText(), /¥123,456(?!\.)/);
      // Dates: one format, the zone always shown; the merchant has no zone yet, so UTC, and it says so.
      const zone = page.getByTestId('time-zone');
      if (await zone.isVisible()) {
        await zone.selectOption('merchant');
        assert.equal(await zone.locator('option:checked').innerText(), 'Merchant (UTC)');
        assert.equal(await page.getByTestId('time-zone-note').innerText(), 'No merchant time zone is set: UTC.');
        assert.match(await inrRow.innerText(), /\d{2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2} UTC/);
        await zone.selectOption('utc');
        assert.match(await inrRow.innerText(), / UTC/);
        // The choice is kept across a reload.
        await page.reload();
        assert.equal(await page.getByTestId('time-zone').inputValue(), 'utc');
        await page.getByTestId('time-zone').selectOption('merchant');
      }
      await screenshot(page, `states-formats-${size.width}`);
      await page.setViewportSize(DESKTOP);
    });
  }

  test('a server error on a list shows the seed words with Retry, and Retry loads the list', async () => {
    let fail = true;
    await page.route(
      (url) => url.pathname === '/v1/dashboard/orders',
      (route) => (fail ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error_message: 'boom', error_info: { code: 'INTERNAL' } }) }) : route.continue()),
    );
    await page.goto('/dashboard/payments');
    const error = page.getByTestId('error-state');
    await error.waitFor();
    assert.match(await error.innerText(), new RegExp(SEED_ERROR));
    assert.doesNotMatch(await error.innerText(), /Request failed|boom/);
    fail = false;
    await error.getByRole('button', { name: 'Retry' }).click();
    await page.getByTestId('order-row').first().waitFor();
    assert.equal(await page.getByTestId('error-state').count(), 0);
  });

  for (const [where, api, ready] of [
    ['/dashboard/analytics', '/v1/dashboard/analytics', 'total-attempts'],
    ['/dashboard/gateways', '/v1/dashboard/gateways', 'gateway-row'],
    ['/dashboard/risk?tab=audit', '/v1/risk/audit', 'No change yet.'],
    ['/dashboard/priority-logic', '/v1/priority-logics', 'all-logics'],
  ] as const) {
    test(`${where}: a 502 shows the shared error state in the seed words, and Retry loads the page`, async () => {
      let fail = true;
      await page.route(
        (url) => url.pathname === api,
        (route) => (fail ? route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }) : route.continue()),
      );
      await page.goto(where);
      const error = page.getByTestId('error-state').first();
      await error.waitFor();
      assert.match(await error.innerText(), new RegExp(SEED_ERROR));
      assert.doesNotMatch(await error.innerText(), /Request failed|Bad gateway/);
      fail = false;
      await error.getByRole('button', { name: 'Retry' }).click();
      await (ready.includes(' ') ? page.getByText(ready) : page.getByTestId(ready).first()).waitFor();
      // The page may show its content a moment before the last error state goes (on PostgreSQL the
      // second load answers later): wait for it to go, then none may remain.
      await page.getByTestId('error-state').first().waitFor({ state: 'detached', timeout: 10_000 });
      assert.equal(await page.getByTestId('error-state').count(), 0);
    });
  }

  test('no answer at all (network) on an order shows the seed words with Retry', async () => {
    let fail = true;
    await page.route(
      (url) => url.pathname === `/v1/dashboard/orders/${INR_ORDER}`,
      (route) => (fail ? route.abort('connectionrefused') : route.continue()),
    );
    await page.goto(`/dashboard/payments/${INR_ORDER}`);
    const error = page.getByTestId('error-state').first();
    await error.waitFor();
    assert.match(await error.innerText(), new RegExp(SEED_ERROR));
    fail = false;
    await error.getByRole('button', { name: 'Retry' }).click();
    await page.getByTestId('order-amount').waitFor();
  });

  test('the Live indicator turns to an error state while the figures fail, and back after Retry', async () => {
    let fail = true;
    await page.route(
      (url) => url.pathname === '/v1/priority-logics/metrics',
      (route) => (fail ? route.fulfill({ status: 503, contentType: 'application/json', body: '{}' }) : route.continue()),
    );
    await page.goto('/dashboard/priority-logic');
    const live = page.getByTestId('live-indicator');
    await page.locator('[data-testid="live-indicator"][data-state="error"]').waitFor();
    assert.match(await live.innerText(), /Not updating/);
    const error = page.getByTestId('active-logics').getByTestId('error-state');
    assert.match(await error.innerText(), new RegExp(SEED_ERROR));
    fail = false;
    await error.getByRole('button', { name: 'Retry' }).click();
    await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor();
    assert.match(await live.innerText(), /Live/);
  });

  test('a 503 from /v1/auth/me with a valid session shows the error with Retry, not the sign-in page', async () => {
    let fail = true;
    await page.route(
      (url) => url.pathname === '/v1/auth/me',
      (route) => (fail ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error_message: 'unavailable' }) }) : route.continue()),
    );
    await page.goto('/dashboard/analytics');
    const error = page.getByTestId('session-error');
    await error.waitFor();
    assert.match(await error.innerText(), new RegExp(SEED_ERROR));
    assert.equal(await page.getByLabel('Password').count(), 0);
    fail = false;
    await error.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('button', { name: /sign out/i }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Analytics' }).waitFor();
  });

  test('a refund asks for confirmation: Cancel refunds nothing, Refund refunds', async () => {
    await page.goto(`/dashboard/payments/${INR_ORDER}`);
    await page.getByLabel(/Refund amount/).fill('10.00');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Refund ₹10.00?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await amountRefunded(INR_ORDER), 0);
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByText(/Refund of ₹10\.00 requested/).waitFor();
    await page.getByTestId('refund-row').first().waitFor();
    assert.equal(await amountRefunded(INR_ORDER), 10);
  });

  test('an outage asks for confirmation: Cancel starts nothing, Start outage starts it', async () => {
    const outages = async () => {
      const r = await e.j.app.inject({ method: 'GET', url: '/v1/dashboard/gateways', headers: admin() });
      return JSON.stringify(r.json()).match(/"active_outages":\[(\{[^\]]+)\]/g)?.length ?? 0;
    };
    await page.goto('/dashboard/analytics');
    await page.getByLabel('Simulated gateway').selectOption('SIM_BETA');
    await page.getByRole('button', { name: 'Start outage' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start an outage on SIM_BETA?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await outages(), 0);
    await page.getByRole('button', { name: 'Start outage' }).click();
    await dialog.getByRole('button', { name: 'Start outage' }).click();
    await page.getByText(/Outage started on SIM_BETA/).waitFor();
    assert.equal(await outages(), 1);
    await page.getByRole('button', { name: 'End outage' }).click();
    await page.getByText('Outage on SIM_BETA ended.').waitFor();
  });

  test('leaving a filled form asks first: in-app links, Back and closing the tab', async () => {
    await page.goto('/dashboard/priority-logic');
    await page.getByRole('button', { name: 'Create Priority Logic' }).click();
    await page.getByRole('radio', { name: 'Default Routing' }).click();
    await page.getByLabel('Configuration Name').fill('Half written');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Payments' }).click();
    const dialog = page.getByRole('dialog', { name: 'Leave this page?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Stay on this page' }).click();
    assert.equal(await page.getByLabel('Configuration Name').inputValue(), 'Half written');
    assert.match(page.url(), /\/priority-logic\/new$/);
    // Back is held too.
    await page.goBack();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Stay on this page' }).click();
    assert.match(page.url(), /\/priority-logic\/new$/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Payments' }).click();
    await dialog.getByRole('button', { name: 'Leave without saving' }).click();
    await page.getByRole('heading', { level: 1, name: 'Payments' }).waitFor();

    // Closing or reloading the tab: the browser's own beforeunload prompt.
    const other = await context.newPage();
    await other.goto(`/dashboard/payments/${JPY_ORDER}`);
    await other.getByLabel(/Refund amount/).fill('5');
    let asked = '';
    other.once('dialog', (d) => {
      asked = d.type();
      void d.dismiss();
    });
    await other.close({ runBeforeUnload: true });
    for (let i = 0; i < 50 && !asked; i++) await page.waitForTimeout(20);
    assert.equal(asked, 'beforeunload');
    if (!other.isClosed()) {
      other.once('dialog', (d) => void d.accept());
      await other.close({ runBeforeUnload: true });
    }
  });

  test('the form banner names the fields, focus moves to the first, and it goes once they are fixed', async () => {
    await page.goto('/dashboard/priority-logic/new');
    await page.getByRole('radio', { name: 'Default Routing' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const banner = page.getByTestId('form-error');
    await banner.waitFor();
    assert.doesNotMatch(await banner.innerText(), /below/);
    assert.deepEqual(await banner.getByRole('link').allInnerTexts(), ['Configuration Name', 'Gateway priority (Default gateways)']);
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.getAttribute('id')), await page.getByLabel('Configuration Name').getAttribute('id'));
    await page.getByLabel('Configuration Name').fill(`Fixed ${stamp}`);
    await page.getByLabel('Add gateway to Default gateways').selectOption('SIM_ALPHA');
    await banner.waitFor({ state: 'detached' });
    // Leave without keeping the draft.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Payments' }).click();
    await page.getByRole('dialog', { name: 'Leave this page?' }).getByRole('button', { name: 'Leave without saving' }).click();
  });

  test('CSV exports: payments, Priority Logics and the analytics data', async () => {
    const created = await e.j.app.inject({
      method: 'POST',
      url: '/v1/priority-logics',
      headers: admin(),
      payload: { name: `Export me, "quoted" ${stamp}`, kind: 'DEFAULT', enforce: false, defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: {} },
    });
    assert.ok(created.statusCode < 300, created.body);
    await page.goto(`/dashboard/payments?q=${INR_ORDER}`);
    await page.getByTestId('order-row').first().waitFor();
    const payments = await download(page.getByRole('button', { name: 'Export CSV of payments' }));
    assert.match(payments.name, /^payments-.*\.csv$/);
    assert.deepEqual(payments.rows[0], ['order_id', 'status', 'amount', 'currency', 'customer_id', 'attempts', 'gateway', 'created_at_utc']);
    const row = payments.rows.find((r) => r[0] === INR_ORDER);
    assert.ok(row, JSON.stringify(payments.rows));
    assert.equal(row[2], '534473.00');
    assert.equal(row[3], 'INR');

    await page.goto('/dashboard/priority-logic');
    await page.getByRole('table', { name: 'All Priority Logics' }).waitFor();
    const logics = await download(page.getByRole('button', { name: 'Export CSV of Priority Logics' }));
    assert.deepEqual(logics.rows[0], ['id', 'name', 'description', 'status', 'type', 'created_utc', 'modified_utc']);
    assert.ok(
      logics.rows.some((r) => r[1] === `Export me, "quoted" ${stamp}`),
      JSON.stringify(logics.rows),
    );

    await page.goto('/dashboard/analytics');
    const series = await download(page.getByRole('button', { name: "Export CSV of the charts' data" }));
    assert.deepEqual(series.rows[0], ['bucket_start_utc', 'gateway', 'attempts', 'charged', 'success_rate_percent']);
    assert.ok(series.rows.length > 1);
  });

  test('filters, ranges, tabs and pages are in the URL and survive a reload', async () => {
    await page.goto('/dashboard/payments');
    await page.getByLabel('Search', { exact: true }).fill(JPY_ORDER);
    await page.getByLabel('Search', { exact: true }).press('Enter');
    await page.getByLabel('Status').selectOption('CHARGED');
    await page.waitForURL(/status=CHARGED/);
    assert.match(page.url(), new RegExp(`q=${JPY_ORDER}`));
    await page.reload();
    await page.getByTestId('order-row').first().waitFor();
    assert.equal(await page.getByLabel('Status').inputValue(), 'CHARGED');
    assert.equal(await page.getByLabel('Search', { exact: true }).inputValue(), JPY_ORDER);
    assert.deepEqual(
      (await page.getByTestId('order-row').allInnerTexts()).map((t) => t.includes(JPY_ORDER)),
      [true],
    );

    await page.goto('/dashboard/analytics');
    await page.getByLabel('Time range').selectOption('7d');
    await page.waitForURL(/range=7d/);
    await page.getByLabel('Gateway', { exact: true }).selectOption({ index: 1 });
    await page.waitForURL(/gateway=/);
    const gateway = await page.getByLabel('Gateway', { exact: true }).inputValue();
    await page.reload();
    await page.getByTestId('total-attempts').waitFor();
    assert.equal(await page.getByLabel('Time range').inputValue(), '7d');
    assert.equal(await page.getByLabel('Gateway', { exact: true }).inputValue(), gateway);

    // The Priority Logic list: type filter and search in the URL, kept across a reload.
    await page.goto('/dashboard/priority-logic');
    await page.getByRole('table', { name: 'All Priority Logics' }).waitFor();
    await page.getByLabel('Type', { exact: true }).selectOption('DEFAULT');
    await page.getByLabel('Search by name').fill(`${stamp}`);
    await page.waitForURL(new RegExp(`search=${stamp}`));
    assert.match(page.url(), /kind=DEFAULT/);
    await page.reload();
    await page.getByRole('table', { name: 'All Priority Logics' }).waitFor();
    assert.equal(await page.getByLabel('Type', { exact: true }).inputValue(), 'DEFAULT');
    assert.equal(await page.getByLabel('Search by name').inputValue(), `${stamp}`);
    assert.ok((await page.getByRole('table', { name: 'All Priority Logics' }).getByRole('row').count()) >= 2);

    await page.goto('/dashboard/risk');
    await page.getByRole('tab', { name: 'Lists' }).click();
    await page.waitForURL(/tab=lists/);
    await page.getByRole('combobox', { name: 'List', exact: true }).selectOption('allowlist');
    await page.waitForURL(/list=allowlist/);
    await page.reload();
    assert.equal(await page.getByRole('tab', { name: 'Lists' }).getAttribute('aria-selected'), 'true');
    assert.equal(await page.getByRole('combobox', { name: 'List', exact: true }).inputValue(), 'allowlist');
  });
});
