// Issue 16, findings 1 and 8 (Chromium): every page usable on a phone (390 px: no sideways scroll,
// the navigation behind a menu button) and at 1440 px (the Active table fits), a skip link as the
// first Tab stop, and an automated accessibility check (axe-core, injected into the page; never in
// the dashboard's bundle) with no serious or critical violation on any page at either width, in
// the light and in the dark colour scheme (dark mode follows the system setting: a context with
// colorScheme 'dark').
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_USER_TOKENS, VISA_OK } from '../helpers/test-app.ts';
import { browserUnavailable, screenshot, signIn, startE2E, type E2E } from './harness.ts';

const skip = browserUnavailable();
if (skip) process.stderr.write(`layout and accessibility end-to-end tests skipped: ${skip}\n`);

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

let e: E2E;
let context: BrowserContext;
let page: Page;
let darkContext: BrowserContext;
let darkPage: Page;
let pages: { name: string; path: string; ready: string }[] = [];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Serious and critical violations on the page as it is now. */
async function axe(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> } };
    return (await w.axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

const describeViolations = (vs: AxeViolation[]): string =>
  vs
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    )
    .join('\n');

async function open(p: { path: string; ready: string }, on: Page = page): Promise<void> {
  const page = on;
  await page.goto(`/dashboard${p.path}`);
  await page.locator(p.ready).first().waitFor();
  // Let lazy chunks and charts settle.
  await page.waitForLoadState('networkidle').catch(() => undefined);
}

describe('layout and accessibility', { skip: skip ?? false }, () => {
  before(async () => {
    e = await startE2E();
    // The dashboard's CSP forbids inline scripts; this context lets the test inject axe-core.
    context = await e.browser.newContext({ baseURL: e.baseUrl, viewport: DESKTOP, bypassCSP: true });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // Something on every page: a payment (an order page) and a logic (its page).
    const order = `a11y_${Date.now() % 1e9}`;
    const paid = await e.j.app.inject({
      method: 'POST',
      url: '/txns',
      headers: { authorization: e.j.basic, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        order_id: order,
        amount: '100.00',
        currency: 'INR',
        merchant_id: 'demo_merchant',
        payment_method_type: 'CARD',
        card_number: VISA_OK.card_number,
        card_exp_month: '12',
        card_exp_year: '2031',
        card_security_code: '123',
        'order.order_id': order,
        'order.amount': '100.00',
        'order.currency': 'INR',
      }).toString(),
    });
    assert.ok(paid.statusCode < 300, paid.body);
    const logic = await e.j.app.inject({
      method: 'POST',
      url: '/v1/priority-logics',
      headers: { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` },
      payload: {
        name: `A11y ${Date.now() % 1e6}`,
        kind: 'RULES',
        defaultGateways: [{ gateway: 'SIM_ALPHA' }],
        definition: { rules: [{ name: 'visa', condition: { dimension: 'card_brand', operator: 'equal', value: 'VISA' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_BETA' }] } }] },
      },
    });
    assert.equal(logic.statusCode, 201, logic.body);
    const admin = { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` };
    const routing = await e.j.app.inject({ method: 'GET', url: '/v1/priority-logics/routing', headers: admin });
    const activated = await e.j.app.inject({
      method: 'POST',
      url: `/v1/priority-logics/${logic.json().id}/activate`,
      headers: admin,
      payload: { version: logic.json().row_version, routing_version: routing.json().version },
    });
    assert.equal(activated.statusCode, 200, activated.body);
    pages = [
      { name: 'priority logic list', path: '/priority-logic', ready: 'h1' },
      { name: 'create logic', path: '/priority-logic/new', ready: '[data-testid="rule-builder"], h1' },
      { name: 'logic view', path: `/priority-logic/${logic.json().id}`, ready: '[data-testid="release"]' },
      { name: 'import', path: '/priority-logic/import', ready: 'h1' },
      { name: 'analytics', path: '/analytics', ready: 'h1' },
      { name: 'payments', path: '/payments', ready: 'h1' },
      { name: 'order', path: `/payments/${order}`, ready: 'h1' },
      { name: 'gateways', path: '/gateways', ready: 'h1' },
      { name: 'risk', path: '/risk', ready: 'h1' },
    ];
    await signIn(page, 'admin@demo.junction.local');
    darkContext = await e.browser.newContext({ baseURL: e.baseUrl, viewport: DESKTOP, bypassCSP: true, colorScheme: 'dark' });
    darkPage = await darkContext.newPage();
    darkPage.setDefaultTimeout(15_000);
    await signIn(darkPage, 'admin@demo.junction.local');
  });
  after(async () => {
    await darkContext?.close();
    await context?.close();
    await e?.close();
  });

  /** Every page at `size` on `on`: no sideways scroll, nothing serious or critical from axe. */
  async function checkEveryPage(on: Page, size: { width: number; height: number }, scheme: 'light' | 'dark'): Promise<string[]> {
    await on.setViewportSize(size);
    const problems: string[] = [];
    for (const p of pages) {
      await open(p, on);
      const [scrollWidth, innerWidth] = await on.evaluate(() => [document.scrollingElement!.scrollWidth, window.innerWidth]);
      if (scrollWidth > innerWidth) problems.push(`${p.name}: the page scrolls sideways (${scrollWidth} px wide in ${innerWidth})`);
      const violations = await axe(on);
      if (violations.length) problems.push(`${p.name}:\n${describeViolations(violations)}`);
      const shot = p.name.replace(/ /g, '-');
      if (scheme === 'light' && size === PHONE && (p.name === 'create logic' || p.name === 'order' || p.name === 'analytics')) await screenshot(on, `phone-${shot}`);
      if (scheme === 'dark' && (p.name === 'priority logic list' || p.name === 'analytics' || p.name === 'logic view' || p.name === 'create logic'))
        await screenshot(on, `dark-${size === PHONE ? 'phone-' : ''}${shot}`);
    }
    return problems;
  }

  for (const size of [DESKTOP, PHONE]) {
    test(`${size.width}x${size.height}: no page scrolls sideways, and axe finds nothing serious or critical`, async () => {
      assert.deepEqual(await checkEveryPage(page, size, 'light'), []);
    });
  }

  for (const size of [DESKTOP, PHONE]) {
    test(`dark mode, ${size.width}x${size.height}: every page is dark, no page scrolls sideways, and axe finds nothing serious or critical`, async () => {
      assert.deepEqual(await checkEveryPage(darkPage, size, 'dark'), []);
      // The scheme really applies: the page background is dark and the text light.
      const [bg, fg] = await darkPage.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]);
      const luminance = (rgb: string) => {
        const [r, g, b] = (rgb.match(/\d+/g) ?? [])
          .map(Number)
          .map((c) => c / 255)
          .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      assert.ok(luminance(bg) < 0.05, `the dark page background is ${bg}`);
      assert.ok(luminance(fg) > 0.6, `the dark page text is ${fg}`);
    });
  }

  test('dark mode: the charts and the code editor take their colours from the dark scheme', async () => {
    await darkPage.setViewportSize(DESKTOP);
    await open({ path: '/priority-logic/new', ready: 'h1' }, darkPage);
    await darkPage.getByRole('radio', { name: 'Code-Based' }).click();
    const editor = darkPage.locator('.cm-editor').first();
    await editor.waitFor();
    const editorBg = await editor.evaluate((el) => getComputedStyle(el).backgroundColor);
    const lightEditorBg = 'rgb(255, 255, 255)';
    assert.notEqual(editorBg, lightEditorBg, 'the code editor is not white in dark mode');
    // uPlot draws on a canvas with colours resolved from the stylesheet: the legend's markers carry
    // the dark palette (--chart-1 … in the dark scheme), not the light one.
    await open(pages.find((p) => p.name === 'analytics')!, darkPage);
    // The legend's first row is the time (x); the second is the first series.
    const marker = darkPage.locator('.ts-chart .u-legend .u-series').nth(1).locator('.u-marker');
    await marker.waitFor();
    const markerColor = await marker.evaluate((el) => getComputedStyle(el).borderColor);
    const darkPalette = ['#60a5fa', '#f87171', '#4ade80', '#fbbf24', '#a78bfa', '#22d3ee', '#f472b6', '#a3e635', '#94a3b8', '#fb923c', '#f1f5f9'].map(
      (h) => `rgb(${parseInt(h.slice(1, 3), 16)}, ${parseInt(h.slice(3, 5), 16)}, ${parseInt(h.slice(5, 7), 16)})`,
    );
    assert.ok(darkPalette.includes(markerColor), `the chart's first series is drawn in ${markerColor}`);
  });

  test('390 px: the navigation opens from the menu button, and closes on a choice or Escape', async () => {
    await page.setViewportSize(PHONE);
    await open(pages[0]!);
    const menu = page.getByRole('button', { name: 'Menu' });
    const analytics = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' });
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.equal(await analytics.isVisible(), false);
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    await analytics.click();
    await page.waitForURL('**/dashboard/analytics');
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.equal(await analytics.isVisible(), false);
    await menu.click();
    await page.keyboard.press('Escape');
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  });

  test('1440 px: the Active logics table fits without scrolling sideways', async () => {
    await page.setViewportSize(DESKTOP);
    await open(pages[0]!);
    const table = page.locator('section[aria-labelledby="active-title"] table');
    await table.locator('tbody tr').first().waitFor();
    const [scrollWidth, clientWidth] = await page.locator('section[aria-labelledby="active-title"] .table-wrap').evaluate((el) => [el.scrollWidth, el.clientWidth]);
    assert.ok(scrollWidth <= clientWidth, `the Active table is ${scrollWidth} px wide in ${clientWidth}`);
  });

  test('the skip link is the first Tab stop and moves focus to the page', async () => {
    await page.setViewportSize(DESKTOP);
    await open(pages[0]!);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main-content');
  });
});
