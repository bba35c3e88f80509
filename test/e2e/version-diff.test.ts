// Issue 16, "a diff view of two versions of a logic" (Chromium): on a logic's page, History
// compares any two versions of its lineage (the logics it was copied from and the copies made from
// it): rules, gateways, splits, enforce, code line by line; the Activate confirmation shows what
// the copy changes against the live logic before it is released.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_USER_TOKENS } from '../helpers/test-app.ts';
import { browserUnavailable, screenshot, startSignedIn, type SignedIn } from './harness.ts';

const skip = browserUnavailable();
if (skip) process.stderr.write(`version diff end-to-end tests skipped: ${skip}\n`);

let e: SignedIn;
let page: Page;

async function call(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<any> {
  const r = await e.j.app.inject({ method, url, headers: { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` }, ...(payload ? { payload } : {}) });
  assert.ok(r.statusCode < 300, `${url}: ${r.body}`);
  return r.json();
}

const rule = (name: string, brand: string, gateways: string[]) => ({
  name,
  condition: { dimension: 'card_brand', operator: 'equal', value: brand },
  output: { type: 'PRIORITY', gateways: gateways.map((gateway) => ({ gateway })) },
});

/** The diff table's rows as "label | before | after". */
async function rows(testId: string): Promise<string[]> {
  return page
    .getByTestId(testId)
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) =>
        Array.from(tr.children)
          .map((c) => (c.textContent ?? '').trim())
          .join(' | '),
      ),
    );
}

describe('version diff in the browser', { skip: skip ?? false }, () => {
  before(async () => {
    e = await startSignedIn('admin@demo.junction.local');
    page = e.page;
  });
  after(async () => {
    await e?.close();
  });

  test('History compares any two versions, and Activate shows the changes against the live logic', async () => {
    const stamp = Date.now() % 1e6;
    // v1 (live) → v2 (enforce, a new rule, a changed output) → v3 (other default gateways, a split).
    const v1 = await call('POST', '/v1/priority-logics', {
      name: `Cards ${stamp}`,
      kind: 'RULES',
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      definition: { rules: [rule('visa', 'VISA', ['SIM_BETA'])] },
    });
    const routing = await call('GET', '/v1/priority-logics/routing');
    await call('POST', `/v1/priority-logics/${v1.id}/activate`, { version: v1.row_version, routing_version: routing.version });
    const v2 = await call('POST', `/v1/priority-logics/${v1.id}/copy`, {
      name: `Cards ${stamp} v2`,
      kind: 'RULES',
      enforce: true,
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      definition: { rules: [rule('visa', 'VISA', ['SIM_GAMMA', 'SIM_BETA']), rule('master', 'MASTERCARD', ['SIM_BETA'])] },
    });
    const v3 = await call('POST', `/v1/priority-logics/${v2.id}/copy`, {
      name: `Cards ${stamp} v3`,
      kind: 'RULES',
      enforce: true,
      defaultGateways: [{ gateway: 'SIM_BETA' }, { gateway: 'SIM_ALPHA' }],
      definition: {
        rules: [
          rule('visa', 'VISA', ['SIM_GAMMA', 'SIM_BETA']),
          {
            name: 'master',
            condition: { dimension: 'card_brand', operator: 'equal', value: 'MASTERCARD' },
            output: {
              type: 'VOLUME_SPLIT',
              splits: [
                { gateway: 'SIM_BETA', weight: 70 },
                { gateway: 'SIM_GAMMA', weight: 30 },
              ],
            },
          },
        ],
      },
    });
    assert.deepEqual([v1.version, v2.version, v3.version], [1, 2, 3]);

    await page.goto(`/dashboard/priority-logic/${v2.id}`);
    const panel = page.getByTestId('version-diff-panel');
    await panel.getByRole('button', { name: 'Compare versions' }).click();
    await panel.getByTestId('version-diff').waitFor();
    const from = panel.getByLabel('Compare version');
    const to = panel.getByLabel('with version');
    // By default: the version it was copied from against this one; every version of the lineage offered.
    assert.equal(await from.inputValue(), v1.id);
    assert.equal(await to.inputValue(), v2.id);
    assert.deepEqual(await from.locator('option').allTextContents(), [`v1 · Cards ${stamp} (Active)`, `v2 · Cards ${stamp} v2 (Inactive) · this logic`, `v3 · Cards ${stamp} v3 (Inactive)`]);
    const v1v2 = await rows('version-diff');
    assert.equal(v1v2.length, 3, v1v2.join('\n'));
    assert.equal(v1v2[0], 'Enforce | off | on');
    assert.equal(v1v2[1], 'Rule 1 (visa): output | SIM_BETA | SIM_GAMMA → SIM_BETA');
    assert.match(v1v2[2]!, /^Rule 2 \(master\): added \| \(none\) \| If .*MASTERCARD.* then SIM_BETA$/);

    // Any two: v1 against v3, then v3 against v2.
    await to.selectOption(v3.id);
    const v1v3 = await rows('version-diff');
    assert.ok(v1v3.includes('Default gateways | SIM_ALPHA | SIM_BETA → SIM_ALPHA'), v1v3.join('\n'));
    assert.ok(
      v1v3.some((r) => /^Rule 2 \(master\): added \| \(none\) \| If .*MASTERCARD.* then 70% SIM_BETA, 30% SIM_GAMMA$/.test(r)),
      v1v3.join('\n'),
    );
    await from.selectOption(v3.id);
    await to.selectOption(v2.id);
    assert.deepEqual(await rows('version-diff'), ['Default gateways | SIM_BETA → SIM_ALPHA | SIM_ALPHA', 'Rule 2 (master): output | 70% SIM_BETA, 30% SIM_GAMMA | SIM_BETA']);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'version-diff');
    await page.setViewportSize({ width: 390, height: 844 });
    const [phoneScroll, phoneWidth] = await page.evaluate(() => [document.scrollingElement!.scrollWidth, window.innerWidth]);
    assert.ok(phoneScroll <= phoneWidth, `with the comparison open the page is ${phoneScroll} px wide in ${phoneWidth}`);
    await page.setViewportSize({ width: 1440, height: 900 });

    // Before activating the copy: what it changes against the live logic (v1), then the release goes ahead.
    await page.getByTestId('release').getByRole('button', { name: 'Activate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Activate' });
    const diff = dialog.getByTestId('activate-diff');
    await diff.waitFor();
    const dialogRows = await rows('activate-diff');
    assert.ok(dialogRows.includes('Enforce | off | on'), dialogRows.join('\n'));
    assert.ok(
      dialogRows.some((r) => /^Rule 2 \(master\): added/.test(r)),
      dialogRows.join('\n'),
    );
    assert.deepEqual(await diff.locator('thead th').allTextContents(), ['What', `Live: Cards ${stamp}`, 'This logic']);
    await screenshot(page, 'activate-diff');
    // On a phone the confirmation and its table fit the screen; the table scrolls in its own box.
    await page.setViewportSize({ width: 390, height: 844 });
    const [scrollWidth, innerWidth] = await page.evaluate(() => [document.scrollingElement!.scrollWidth, window.innerWidth]);
    assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth} px wide in ${innerWidth}`);
    const box = (await dialog.boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= 390 && box.height <= 844, JSON.stringify(box));
    await page.setViewportSize({ width: 1440, height: 900 });
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await page.getByTestId('release').getByRole('button', { name: 'Deactivate' }).waitFor();
    assert.equal((await call('GET', '/v1/priority-logics/routing')).active_logic_id, v2.id);
  });

  test('a code-based copy: the code differences line by line, in dark mode too', async () => {
    const stamp = Date.now() % 1e6;
    const c1 = await call('POST', '/v1/priority-logics', {
      name: `Code ${stamp}`,
      kind: 'CODE',
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      definition: { code: 'const big = amount > 5000;\nsetGatewayPriority(["SIM_ALPHA"]);' },
    });
    const c2 = await call('POST', `/v1/priority-logics/${c1.id}/copy`, {
      name: `Code ${stamp} v2`,
      kind: 'CODE',
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      definition: { code: 'const big = amount > 5000;\nsetGatewayPriority(big ? ["SIM_BETA", "SIM_ALPHA"] : ["SIM_ALPHA"]);' },
    });
    await page.goto(`/dashboard/priority-logic/${c2.id}`);
    await page.getByTestId('version-diff-panel').getByRole('button', { name: 'Compare versions' }).click();
    const code = page.getByTestId('version-diff-code');
    await code.waitFor();
    const removed = code.locator('li.removed');
    const added = code.locator('li.added');
    assert.equal(await removed.count(), 1);
    assert.equal(await added.count(), 1);
    assert.match(await removed.innerText(), /setGatewayPriority\(\["SIM_ALPHA"\]\);/);
    assert.match(await added.innerText(), /setGatewayPriority\(big \? \["SIM_BETA", "SIM_ALPHA"\] : \["SIM_ALPHA"\]\);/);
    assert.deepEqual(await rows('version-diff'), ['Code | 2 lines | 2 lines']);
    // Dark mode: the added and removed lines keep their own, dark, backgrounds.
    await page.emulateMedia({ colorScheme: 'dark' });
    const [addedBg, bodyBg] = await Promise.all([added.evaluate((el) => getComputedStyle(el).backgroundColor), page.evaluate(() => getComputedStyle(document.body).backgroundColor)]);
    assert.equal(addedBg, 'rgb(15, 43, 29)');
    assert.equal(bodyBg, 'rgb(11, 18, 32)');
    await page.getByTestId('version-diff-panel').scrollIntoViewIfNeeded();
    await screenshot(page, 'dark-version-diff-code');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
