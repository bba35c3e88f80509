// Issue 16, finding 7 (Chromium): an approver reviewing a pending code-based logic sees what it
// changes against the live logic, tests it against a sample payment, and rejects it with a reason
// that the page then shows.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { adminApi, browserUnavailable, screenshot, startSignedIn, type SignedIn } from './harness.ts';

const skip = browserUnavailable();
if (skip) process.stderr.write(`approver review end-to-end tests skipped: ${skip}\n`);

let e: SignedIn;
let page: Page;

const call = (method: 'GET' | 'POST', url: string, payload?: unknown) => adminApi(e.j, method, url, payload);

describe('approver review in the browser', { skip: skip ?? false }, () => {
  before(async () => {
    e = await startSignedIn('approver@demo.junction.local');
    page = e.page;
  });
  after(async () => {
    await e?.close();
  });

  test('the diff against the live logic, a sample-payment test, and Reject with a reason', async () => {
    const stamp = Date.now() % 1e6;
    const live = await call('POST', '/v1/priority-logics', { name: `Live ${stamp}`, kind: 'DEFAULT', defaultGateways: [{ gateway: 'SIM_ALPHA' }] });
    const routing = await call('GET', '/v1/priority-logics/routing');
    await call('POST', `/v1/priority-logics/${live.id}/activate`, { version: live.row_version, routing_version: routing.version });
    const pending = await call('POST', '/v1/priority-logics', {
      name: `Code ${stamp}`,
      kind: 'CODE',
      enforce: true,
      defaultGateways: [{ gateway: 'SIM_BETA' }],
      definition: { code: 'setGatewayPriority(["SIM_GAMMA", "SIM_BETA"]);' },
    });
    await page.goto(`/dashboard/priority-logic/${pending.id}`);
    const diff = page.getByTestId('live-diff');
    await diff.waitFor();
    const text = await diff.innerText();
    assert.match(text, /Type\s+DEFAULT\s+CODE/i);
    assert.match(text, /Enforce\s+off\s+on/i);
    assert.match(text, /Default gateways\s+SIM_ALPHA\s+SIM_BETA/i);

    const dryRun = page.getByTestId('dry-run');
    await dryRun.getByRole('button', { name: 'Run test' }).click();
    await dryRun.getByText('SIM_GAMMA').first().waitFor();

    await page.getByRole('button', { name: 'Reject' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason (required)').fill('Everything to SIM_GAMMA: we agreed on a split.');
    await screenshot(page, 'approver-reject');
    await dialog.getByRole('button', { name: 'Reject' }).click();
    const rejected = page.getByTestId('rejected');
    await rejected.getByText(/Rejected by/).waitFor();
    assert.match(await rejected.innerText(), /Rejected by approver@demo\.junction\.local .*: Everything to SIM_GAMMA: we agreed on a split\./);
    const stored = await call('GET', `/v1/priority-logics/${pending.id}`);
    assert.equal(stored.status, 'REJECTED');
  });
});
