// The dashboard in Firefox (Debian's firefox-esr, driven over WebDriver BiDi): sign in, create a
// logic through the form, and every page renders its content. The full end-to-end suite runs in
// Chromium (dashboard.test.ts); this proves the same build works in the other engine.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEMO_USER_PASSWORD, DEMO_USER_TOKENS, VISA_OK, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { Firefox, PAGE_HELPERS, firefoxPath } from './firefox-bidi.ts';
import { SCREENSHOT_DIR } from './harness.ts';

function unavailable(): string | null {
  if (firefoxPath()) return null;
  const reason = 'Firefox is not installed (apt-get install -y firefox-esr)';
  if (process.env.CI) throw new Error(`${reason}: browser tests must run on CI`);
  return reason;
}

const skip = unavailable();
if (skip) process.stderr.write(`dashboard Firefox tests skipped: ${skip}\n`);

let j: TestApp;
let ff: Firefox;
let base = '';

async function shot(name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  writeFileSync(join(SCREENSHOT_DIR, `firefox-${name}.png`), await ff.screenshot());
}

describe('dashboard in Firefox', { skip: skip ?? false }, () => {
  before(async () => {
    j = await startTestApp({ demo: { userPassword: DEMO_USER_PASSWORD } });
    await j.app.listen({ port: 0, host: '127.0.0.1' });
    const address = j.app.server.address();
    base = `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}`;
    ff = await Firefox.launch(firefoxPath()!);
  });
  after(async () => {
    await ff?.close();
    await j?.close();
  });

  test('sign in', async () => {
    await ff.goto(`${base}/dashboard/`);
    await ff.waitForText('Sign in');
    await ff.eval(`${PAGE_HELPERS}
      setValue(byLabel('Email'), 'admin@demo.junction.local');
      setValue(byLabel('Password'), ${JSON.stringify(DEMO_USER_PASSWORD)});
      button('Sign in').click();`);
    await ff.waitForText('All Priority Logics');
    await ff.waitForText('admin@demo.junction.local');
    await shot('priority-logic');
  });

  test('create a Default Routing logic through the form', async () => {
    await ff.goto(`${base}/dashboard/priority-logic/new`);
    await ff.waitForText('Configuration Name');
    await ff.eval(`${PAGE_HELPERS} button('Default Routing').click();`);
    // The form renders after the click: wait for its fields rather than racing them on a busy machine.
    const addGateway = `document.querySelector('[aria-label="Add gateway to Default gateways"]')`;
    await ff.waitFor(`${PAGE_HELPERS} return byLabel('Configuration Name') && ${addGateway};`, 'the Default Routing form');
    await ff.eval(`${PAGE_HELPERS}
      setValue(byLabel('Configuration Name'), 'Firefox default');
      setValue(${addGateway}, 'SIM_BETA');`);
    await ff.waitFor(`return ${addGateway};`, 'the gateway picker after the first gateway');
    await ff.eval(`${PAGE_HELPERS} setValue(${addGateway}, 'SIM_ALPHA');`);
    await ff.eval(`${PAGE_HELPERS} button('Save').click();`);
    await ff.waitForText('Share Rule');
    const list = await j.app.inject({ method: 'GET', url: '/v1/priority-logics?search=Firefox', headers: { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` } });
    const logic = (list.json() as { logics: Array<{ name: string; definition: { defaultGateways: Array<{ gateway: string }> } }> }).logics[0];
    assert.equal(logic?.name, 'Firefox default');
    assert.deepEqual(
      logic.definition.defaultGateways.map((g) => g.gateway),
      ['SIM_BETA', 'SIM_ALPHA'],
    );
    await shot('logic-view');
  });

  test('Analytics, Payments with an order and its trace, and Gateways render', async () => {
    const order = `ff_${Date.now() % 1e9}`;
    const paid = await j.app.inject({
      method: 'POST',
      url: '/txns',
      headers: { authorization: j.basic, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        order_id: order,
        amount: '10.00',
        currency: 'INR',
        merchant_id: 'demo_merchant',
        payment_method_type: 'CARD',
        card_number: VISA_OK.card_number,
        card_exp_month: '12',
        card_exp_year: '2031',
        card_security_code: '123',
        'order.order_id': order,
        'order.amount': '10.00',
        'order.currency': 'INR',
      }).toString(),
    });
    assert.ok(paid.statusCode < 300, paid.body);
    await ff.goto(`${base}/dashboard/analytics`);
    await ff.waitForText('Success rate by gateway');
    await ff.waitForText('Gateway health');
    await shot('analytics');
    await ff.goto(`${base}/dashboard/payments`);
    await ff.waitForText(order);
    await ff.goto(`${base}/dashboard/payments/${order}`);
    await ff.waitForText('Routing decisions');
    assert.ok(await ff.eval<boolean>(`return document.querySelectorAll('[data-testid="attempt-row"]').length === 1;`));
    await shot('order');
    await ff.goto(`${base}/dashboard/gateways`);
    await ff.waitForText('SIM_GAMMA');
    await shot('gateways');
  });
});
