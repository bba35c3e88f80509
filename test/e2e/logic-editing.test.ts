// Issue 16, finding 3 (Chromium): volume split sliders that always add up to 100, a new gateway
// with an even share, and the "+ Add a gateway…" control that arrow keys only choose from.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { browserUnavailable, signIn, startE2E, type E2E } from './harness.ts';

const skip = browserUnavailable();
if (skip) process.stderr.write(`logic editing end-to-end tests skipped: ${skip}\n`);

let e: E2E;
let context: BrowserContext;
let page: Page;

async function weights(): Promise<number[]> {
  const fields = page.getByTestId('volume-split').getByRole('spinbutton');
  const out: number[] = [];
  for (let i = 0; i < (await fields.count()); i++) out.push(Number(await fields.nth(i).inputValue()));
  return out;
}

describe('volume split editing in the browser', { skip: skip ?? false }, () => {
  before(async () => {
    e = await startE2E();
    ({ context, page } = await e.newPage());
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, 'admin@demo.junction.local');
  });
  after(async () => {
    await context?.close();
    await e?.close();
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
    assert.equal(three.reduce((a, b) => a + b, 0), 100);
    assert.equal(three[2], 33);
    // The first slider moved by keyboard ten steps: the others make room, the total stays 100.
    const slider = volume.getByRole('slider', { name: 'Weight slider for SIM_ALPHA' });
    await slider.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    const moved = await weights();
    assert.equal(moved[0], three[0]! + 10);
    assert.equal(moved.reduce((a, b) => a + b, 0), 100);
    assert.equal(await page.getByTestId('volume-split-total').innerText(), 'Total: 100%');
    for (let i = 0; i < 150; i++) await page.keyboard.press('ArrowRight');
    assert.deepEqual((await weights()).slice(0, 1), [100]);
    assert.equal((await weights()).reduce((a, b) => a + b, 0), 100);
  });
});
