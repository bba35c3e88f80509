// Issue 17, item 4 (Chromium): an admin starts a staggered release with a guard from the logic's
// page; real payments fail on the new logic's gateway; the guard's look rolls the release back; the
// logic's page shows the guard's state and evidence in plain words and the Priority Logic page a
// rollback banner linking to it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createOrderOk, payByCard, setGateway } from '../helpers/api-helpers.ts';
import { adminApi, browserUnavailable, screenshot, startSignedIn, type SignedIn } from './harness.ts';

const skip = browserUnavailable();
if (skip) process.stderr.write(`release guard end-to-end tests skipped: ${skip}\n`);

let e: SignedIn;
let page: Page;

const call = (method: 'GET' | 'POST', url: string, payload?: unknown) => adminApi(e.j, method, url, payload);

describe('guarded staggered release in the browser', { skip: skip ?? false }, () => {
  before(async () => {
    e = await startSignedIn('admin@demo.junction.local');
    page = e.page;
  });
  after(async () => {
    await e?.close();
  });

  test('start a guarded stagger, watch it, see the rollback and its banner', async () => {
    const stamp = Date.now() % 1e6;
    const live = await call('POST', '/v1/priority-logics', { name: `Live ${stamp}`, kind: 'DEFAULT', enforce: true, defaultGateways: [{ gateway: 'SIM_ALPHA' }] });
    const routing = await call('GET', '/v1/priority-logics/routing');
    await call('POST', `/v1/priority-logics/${live.id}/activate`, { version: live.row_version, routing_version: routing.version });
    const draft = await call('POST', '/v1/priority-logics', { name: `Draft ${stamp}`, kind: 'DEFAULT', enforce: true, defaultGateways: [{ gateway: 'SIM_GAMMA' }] });

    await page.goto(`/dashboard/priority-logic/${draft.id}`);
    const release = page.getByTestId('release');
    await release.getByLabel('Staggered release percentage').fill('50');
    await release.getByLabel(/Guard this release/).check();
    await release.getByLabel(/Tolerance \(points worse\)/).fill('0');
    await release.getByLabel(/Planned sample/).fill('2000');
    await screenshot(page, 'release-guard-settings');
    await release.getByRole('button', { name: 'Start staggered release' }).click();
    const dialog = page.getByRole('dialog');
    assert.match(await dialog.innerText(), /The guard rolls the release back/);
    await dialog.getByRole('button', { name: 'Stagger' }).click();
    await page.getByTestId('guard-status').getByText('Watching').waitFor();

    const [guard] = (await call('GET', `/v1/priority-logics/${draft.id}/guards`)).guards;
    assert.deepEqual([guard.state, guard.metric, guard.tolerance, guard.planned_sample, guard.stagger_percentage], ['RUNNING', 'SUCCESS_RATE', 0, 2000, 50]);

    // The new logic's gateway declines everything; the active one's charges. 520 orders put at
    // least the guard's minimum of 200 in the new logic's half (the split is random: 260 +- 11).
    setGateway(e.j, 'SIM_ALPHA', { baseSuccessRate: 1 });
    setGateway(e.j, 'SIM_GAMMA', { baseSuccessRate: 0 });
    const statuses = new Map<number, number>();
    for (let i = 0; i < 520; i++) {
      const orderId = await createOrderOk(e.j);
      const r = await payByCard(e.j, orderId);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
    assert.deepEqual([...statuses], [[200, 520]]);
    const looks = await e.j.releaseGuard.runOnce();
    assert.deepEqual(
      looks.map((l) => l.verdict),
      ['WORSE'],
    );

    await page.reload();
    const status = page.getByTestId('guard-status');
    await status.getByText('Rolled back', { exact: true }).waitFor();
    assert.match(await status.innerText(), /rolled this release back .*worse than the tolerance of 0 points/);
    assert.match(await page.getByTestId('guard-evidence').innerText(), /points worse .*rolled back/);
    await screenshot(page, 'release-guard-rolled-back');

    await page.goto('/dashboard/priority-logic');
    const banner = page.getByTestId('guard-rollback-banner');
    await banner.waitFor();
    assert.match(await banner.innerText(), /A release guard rolled back a staggered release/);
    await banner.getByRole('link', { name: 'See the logic' }).first().click();
    await page.waitForURL(new RegExp(`/dashboard/priority-logic/${draft.id}$`));
  });
});
