// Issue 17, item 4 in the dashboard (Chromium): the Backtest tab of a logic's page runs the logic on
// the payments made while another logic was live, shows the job's progress, then the report: the
// estimate statement, the traffic that would move, the figures per gateway with intervals, and the
// moved payments with the decision that was made beside the logic's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createOrderOk, payByCard, setAllGateways } from '../helpers/api-helpers.ts';
import { DEMO_USER_TOKENS } from '../helpers/test-app.ts';
import { SCREENSHOT_DIR, browserUnavailable, screenshot, signIn, startSignedIn, type SignedIn } from './harness.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const skip = browserUnavailable();
if (skip) process.stderr.write(`backtest end-to-end tests skipped: ${skip}\n`);

let e: SignedIn;
let page: Page;

async function plCall(method: 'POST' | 'GET', url: string, payload?: unknown): Promise<any> {
  const r = await e.j.app.inject({ method, url, headers: { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` }, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
  assert.ok(r.statusCode < 300, r.body);
  return JSON.parse(r.body);
}

describe('backtest in the dashboard', { skip: skip ?? false }, () => {
  before(async () => {
    e = await startSignedIn('admin@demo.junction.local');
    page = e.page;
  });
  after(async () => {
    await e?.close();
  });

  test('Run on a draft: the estimate statement, the moved traffic and the moved payments side by side', async () => {
    setAllGateways(e.j, { baseSuccessRate: 1 });
    const suffix = Date.now() % 1e6;
    const live = await plCall('POST', '/v1/priority-logics', { name: `Live alpha ${suffix}`, kind: 'DEFAULT', defaultGateways: [{ gateway: 'SIM_ALPHA' }] });
    await plCall('POST', `/v1/priority-logics/${live.id}/activate`, { version: live.row_version });
    for (let i = 0; i < 6; i++) assert.equal((await payByCard(e.j, await createOrderOk(e.j))).status, 200);
    const draft = await plCall('POST', '/v1/priority-logics', { name: `Draft beta ${suffix}`, kind: 'DEFAULT', enforce: true, defaultGateways: [{ gateway: 'SIM_BETA' }] });

    await page.goto(`/dashboard/priority-logic/${draft.id}`);
    const tab = page.getByTestId('backtest');
    await tab.getByRole('heading', { name: 'Backtest' }).waitFor();
    await tab.getByRole('button', { name: 'Run backtest' }).click();
    const statement = tab.getByTestId('backtest-statement');
    await statement.waitFor();
    assert.match(await statement.innerText(), /estimates/);
    assert.match(await tab.getByTestId('backtest-summary').innerText(), /6 payments replayed; this logic routes 6 of them differently/);
    assert.match(await tab.getByTestId('backtest-flows').innerText(), /SIM_ALPHA → SIM_BETA: 6 \(100\.00%\)/);
    const betaRow = tab.getByTestId('backtest-gateways').getByRole('row', { name: /SIM_BETA/ });
    assert.match(await betaRow.innerText(), /6 \(100\.00%\)/);
    const moved = tab.getByTestId('backtest-moved');
    assert.equal(await moved.getByRole('row').count(), 7, 'a header and the six moved payments');
    assert.match(await moved.getByTestId('moved-actual').first().innerText(), new RegExp(`SIM_ALPHA[\\s\\S]*Live alpha ${suffix}`));
    assert.match(await moved.getByTestId('moved-draft').first().innerText(), new RegExp(`SIM_BETA[\\s\\S]*Draft beta ${suffix}`));
    await screenshot(page, 'backtest-report');
    await tab.screenshot({ path: join(SCREENSHOT_DIR, 'backtest-tab.png') });

    // Reopening the page shows the latest backtest again; on a phone the report neither makes the
    // page scroll sideways nor has a serious or critical accessibility problem (axe-core, injected:
    // this context lets the test past the dashboard's CSP).
    const phone = await e.browser.newContext({ baseURL: e.baseUrl, viewport: { width: 1440, height: 900 }, bypassCSP: true });
    try {
      const p = await phone.newPage();
      p.setDefaultTimeout(15_000);
      await signIn(p, 'admin@demo.junction.local');
      await p.setViewportSize({ width: 390, height: 844 });
      await p.goto(`/dashboard/priority-logic/${draft.id}`);
      await p.getByTestId('backtest').getByTestId('backtest-statement').waitFor();
      const [scrollWidth, innerWidth] = await p.evaluate(() => [document.scrollingElement!.scrollWidth, window.innerWidth]);
      assert.ok(scrollWidth <= innerWidth, `the page scrolls sideways (${scrollWidth} px wide in ${innerWidth})`);
      await p.addScriptTag({ content: AXE_SOURCE });
      const violations = await p.evaluate(async () => {
        const w = window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string }[] }> } };
        return (await w.axe.run(document, { resultTypes: ['violations'] })).violations;
      });
      assert.deepEqual(
        violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`),
        [],
      );
      await screenshot(p, 'phone-backtest-report');
    } finally {
      await phone.close();
    }
  });
});
