// Issue 16, findings 2 and 3 (Chromium): the catch-all "Otherwise" rule built in the rule builder,
// activated, and routing a payment no other rule matches; volume split sliders that always add up
// to 100, a new gateway with an even share, and the "+ Add a gateway…" control that arrow keys
// only choose from.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_USER_TOKENS, VISA_OK } from '../helpers/test-app.ts';
import { browserUnavailable, startSignedIn, type SignedIn } from './harness.ts';

const skip = browserUnavailable();
if (skip) process.stderr.write(`logic editing end-to-end tests skipped: ${skip}\n`);

let e: SignedIn;
let page: Page;

async function weights(): Promise<number[]> {
  const fields = page.getByTestId('volume-split').getByRole('spinbutton');
  const out: number[] = [];
  for (let i = 0; i < (await fields.count()); i++) out.push(Number(await fields.nth(i).inputValue()));
  return out;
}

describe('volume split editing in the browser', { skip: skip ?? false }, () => {
  before(async () => {
    e = await startSignedIn('admin@demo.junction.local');
    page = e.page;
  });
  after(async () => {
    await e?.close();
  });

  test('an “Otherwise” rule built in the browser routes the payments no other rule matches', async () => {
    const name = `Otherwise ${Date.now() % 1e6}`;
    await page.goto('/dashboard/priority-logic/new');
    await page.getByRole('radio', { name: 'Rule-Based' }).click();
    await page.getByLabel('Configuration Name').fill(name);
    const first = page.getByTestId('rule-0');
    await first.getByRole('combobox', { name: 'Dimension' }).first().selectOption('card_brand');
    await first.getByLabel('Value', { exact: true }).first().fill('AMEX');
    await first
      .getByRole('combobox', { name: /Add gateway/ })
      .first()
      .selectOption('SIM_BETA');
    await page.getByRole('button', { name: '+ Add “Otherwise” rule' }).click();
    const otherwise = page.getByTestId('rule-1');
    await otherwise.getByTestId('otherwise-1').waitFor();
    await otherwise
      .getByRole('combobox', { name: /Add gateway/ })
      .first()
      .selectOption('SIM_GAMMA');
    await page.getByRole('combobox', { name: 'Add gateway to Default gateways' }).selectOption('SIM_ALPHA');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('release').waitFor();
    assert.match(await page.getByTestId('view-rule-1').innerText(), /Otherwise/);
    // Activate it, then a VISA payment (no other rule matches) goes to the Otherwise rule's gateway.
    await page.getByTestId('release').getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Activate' }).click();
    await page.getByTestId('release').getByRole('button', { name: 'Deactivate' }).waitFor();
    const order = `otherwise_${Date.now() % 1e9}`;
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
    const view = await e.j.app.inject({ method: 'GET', url: `/v1/dashboard/orders/${order}`, headers: { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` } });
    assert.equal(view.statusCode, 200, view.body);
    const attempt = view.json().attempts[0];
    assert.deepEqual(attempt.routing_decision.matched_rule, { name: 'Otherwise', index: 1 });
    assert.equal(attempt.gateway, 'SIM_GAMMA');
    // Leave no active logic behind for the next test.
    await page.getByTestId('release').getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
    await page.getByTestId('release').getByRole('button', { name: 'Activate' }).waitFor();
  });

  test('sliders always sum to 100; a new gateway gets an even share; arrow keys on the adder add nothing until Enter', async () => {
    await page.goto('/dashboard/priority-logic/new');
    await page.getByRole('radio', { name: 'Volume-Based Routing' }).click();
    const volume = page.getByTestId('volume-split');
    const adder = volume.getByRole('combobox', { name: 'Add gateway to Volume split' });
    await adder.selectOption('SIM_ALPHA');
    await adder.selectOption('SIM_BETA');
    assert.deepEqual(await weights(), [50, 50]);
    // Keyboard: arrows move through the options without adding each one; Enter adds one.
    await adder.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal((await weights()).length, 2, 'arrow keys added gateways');
    await page.keyboard.press('Enter');
    const three = await weights();
    assert.equal(three.length, 3);
    assert.equal(
      three.reduce((a, b) => a + b, 0),
      100,
    );
    assert.equal(three[2], 33);
    // The first slider moved by keyboard ten steps: the others make room, the total stays 100.
    const slider = volume.getByRole('slider', { name: 'Weight slider for SIM_ALPHA' });
    await slider.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    const moved = await weights();
    assert.equal(moved[0], three[0]! + 10);
    assert.equal(
      moved.reduce((a, b) => a + b, 0),
      100,
    );
    assert.equal(await page.getByTestId('volume-split-total').innerText(), 'Total: 100%');
    for (let i = 0; i < 150; i++) await page.keyboard.press('ArrowRight');
    assert.deepEqual((await weights()).slice(0, 1), [100]);
    assert.equal(
      (await weights()).reduce((a, b) => a + b, 0),
      100,
    );
  });
});
