// Issue 17, item 3 in the dashboard (Chromium): the rule analysis' warnings next to the rule while a
// rule-based logic is built, "Check the rules" on a stored logic's page, and the rule check in the
// Activate confirmation (which never blocks the release).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_USER_TOKENS } from '../helpers/test-app.ts';
import { browserUnavailable, screenshot, startSignedIn, type SignedIn } from './harness.ts';

const skip = browserUnavailable();
if (skip) process.stderr.write(`rule analysis end-to-end tests skipped: ${skip}\n`);

let e: SignedIn;
let page: Page;

const to = (...gateways: string[]) => ({ type: 'PRIORITY', gateways: gateways.map((gateway) => ({ gateway })) });

describe('rule analysis in the dashboard', { skip: skip ?? false }, () => {
  before(async () => {
    e = await startSignedIn('admin@demo.junction.local');
    page = e.page;
  });
  after(async () => {
    await e?.close();
  });

  test('building a rule whose conditions contradict each other shows the warning next to it', async () => {
    await page.goto('/dashboard/priority-logic/new');
    await page.getByRole('radio', { name: 'Rule-Based' }).click();
    await page.getByLabel('Configuration Name').fill(`Contradiction ${Date.now() % 1e6}`);
    const rule = page.getByTestId('rule-0');
    // Amount above 500 and below 100: two conditions in the rule's AND group.
    const addCondition = rule.getByRole('button', { name: /Add condition/ }).first();
    const dims = rule.getByRole('combobox', { name: /dimension/i });
    if ((await dims.count()) === 0) await addCondition.click();
    await dims.first().selectOption('amount');
    await rule
      .getByRole('combobox', { name: /operator/i })
      .first()
      .selectOption('greater_than');
    await rule.getByRole('textbox', { name: /value/i }).first().fill('500');
    await addCondition.click();
    await dims.nth(1).selectOption('amount');
    await rule
      .getByRole('combobox', { name: /operator/i })
      .nth(1)
      .selectOption('less_than');
    await rule.getByRole('textbox', { name: /value/i }).nth(1).fill('100');
    await rule
      .getByRole('combobox', { name: /Add gateway/ })
      .first()
      .selectOption('SIM_BETA');
    await page.getByRole('combobox', { name: 'Add gateway to Default gateways' }).selectOption('SIM_ALPHA');
    const warning = rule.getByTestId('rule-warnings');
    await warning.waitFor();
    assert.match(await warning.innerText(), /Never matches/);
    await screenshot(page, 'rule-analysis-builder');
  });

  test('a stored logic: "Check the rules" lists the warnings by rule, and Activate shows them before releasing', async () => {
    const create = await e.j.app.inject({
      method: 'POST',
      url: '/v1/priority-logics',
      headers: { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` },
      payload: {
        name: `Shadowed ${Date.now() % 1e6}`,
        kind: 'RULES',
        defaultGateways: [{ gateway: 'SIM_ALPHA' }],
        definition: {
          rules: [
            { name: 'big', condition: { dimension: 'amount', operator: 'greater_than_equal', value: 100000 }, output: to('SIM_ALPHA') },
            { name: 'bigger', condition: { dimension: 'amount', operator: 'greater_than', value: 500000 }, output: to('SIM_GAMMA') },
          ],
        },
      },
    });
    assert.equal(create.statusCode, 201, create.body);
    const id = create.json().id as string;
    await page.goto(`/dashboard/priority-logic/${id}`);
    const panel = page.getByTestId('rule-analysis');
    await panel.getByRole('button', { name: 'Check the rules' }).click();
    await panel.getByText('Rule 2 (bigger)').waitFor();
    assert.match(await panel.innerText(), /Shadowed by an earlier rule/);
    await page.getByRole('button', { name: 'Activate' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('release-rule-check').waitFor();
    assert.match(await dialog.getByTestId('release-rule-check').innerText(), /Rule check: 1 warning/);
    await screenshot(page, 'rule-analysis-activate');
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('button', { name: 'Deactivate' }).waitFor();
  });
});
