// End-to-end harness: the whole service on a real port (PGlite in memory), the built dashboard,
// and Debian's headless Chromium driven by playwright-core (never a downloaded browser).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import assert from 'node:assert/strict';
import { DEMO_USER_PASSWORD, DEMO_USER_TOKENS, startTestApp, type TestApp } from '../helpers/test-app.ts';

export const SCREENSHOT_DIR = join(process.cwd(), 'test-artifacts', 'screenshots');

/** Chromium from CHROMIUM_PATH or Debian's package; null when absent (then the tests say so). */
export function chromiumPath(): string | null {
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return null;
}

/** Why the browser tests cannot run here, or null. On CI a missing browser is a failure, not a skip. */
export function browserUnavailable(): string | null {
  if (chromiumPath()) {
    if (!existsSync(join(process.cwd(), 'dist', 'dashboard', 'index.html'))) return 'the dashboard is not built (npm run build:dashboard)';
    return null;
  }
  const reason = 'Chromium is not installed (apt-get install -y chromium)';
  if (process.env.CI) throw new Error(`${reason}: browser tests must run on CI`);
  return reason;
}

export interface E2E {
  j: TestApp;
  baseUrl: string;
  browser: Browser;
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function startE2E(): Promise<E2E> {
  const j = await startTestApp({ demo: { userPassword: DEMO_USER_PASSWORD } });
  await j.app.listen({ port: 0, host: '127.0.0.1' });
  const address = j.app.server.address();
  if (!address || typeof address !== 'object') throw new Error('no address');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const browser = await chromium.launch({
    executablePath: chromiumPath()!,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    j,
    baseUrl,
    browser,
    async newPage() {
      const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1366, height: 860 }, acceptDownloads: true });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return { context, page };
    },
    async close() {
      await browser.close().catch(() => undefined);
      await j.close();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, email: string, password = DEMO_USER_PASSWORD): Promise<void> {
  await page.goto('/dashboard/');
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.getByRole('button', { name: /sign out/i }).waitFor();
}

/**
 * Drags with the mouse in small steps, the way a person does: dnd-kit's pointer sensor needs
 * real pointer moves past its activation distance.
 */
export async function dragTo(
  page: Page,
  source: { boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null> },
  target: { boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null> },
): Promise<void> {
  const from = await source.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error('drag source or target is not visible');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 + 8, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2 + (to.y > from.y ? 6 : -6), { steps: 20 });
  await page.waitForTimeout(150);
  await page.mouse.up();
  await page.waitForTimeout(150);
}

/**
 * Drags `source` onto `target` until `moved()` says the order changed: waits up to 2 s for the page
 * to show it, and drags again (at most 3 times) when it does not. On a loaded machine a drag whose
 * pointer events arrive while the list is still rendering can land on nothing; a drag that never
 * takes fails the test.
 */
export async function dragUntil(page: Page, source: Parameters<typeof dragTo>[1], target: Parameters<typeof dragTo>[2], moved: () => Promise<boolean>): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    await dragTo(page, source, target);
    for (let wait = 0; wait < 20; wait++) {
      if (await moved()) return;
      await page.waitForTimeout(100);
    }
  }
  throw new Error('the drag did not move the item in 3 tries');
}

/** A started Junction with a browser page signed in as `email` (how most e2e files begin); close() ends both. */
export interface SignedIn extends E2E {
  context: BrowserContext;
  page: Page;
}

export async function startSignedIn(email: string, viewport = { width: 1440, height: 900 }): Promise<SignedIn> {
  const e = await startE2E();
  const { context, page } = await e.newPage();
  await page.setViewportSize(viewport);
  await signIn(page, email);
  return {
    ...e,
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      await e.close();
    },
  };
}

/** Calls the API in process as the demo admin (the test's setup and checks); asserts a 2xx and answers the JSON. */
export async function adminApi(j: TestApp, method: 'GET' | 'POST', url: string, payload?: unknown): Promise<any> {
  const r = await j.app.inject({ method, url, headers: { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` }, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  assert.ok(r.statusCode < 300, `${url}: ${r.body}`);
  return r.json();
}
