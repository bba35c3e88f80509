// The dashboard as a person uses it, at the bench's scale: headless Chromium (Debian's) on the
// seeded service, timing each interaction from the click or keystroke until the page shows the
// answer. Each figure is an upper bound: it includes Playwright's round trips to the browser.
// Also the first load's compressed JavaScript and CSS, read from the built files.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import type { Junction } from '../src/app.ts';

export interface BrowserBenchRow {
  name: string;
  n: number;
  median: number;
  max: number;
}

export interface BundleSize {
  /** gzip bytes of the JavaScript the first page load fetches (entry chunk and its static imports). */
  firstLoadJsGzip: number;
  firstLoadCssGzip: number;
  /** gzip bytes of every chunk, loaded on demand or not. */
  allJsGzip: number;
}

const DIST = join(process.cwd(), 'dist', 'dashboard');

export function bundleSize(): BundleSize | null {
  let html: string;
  try {
    html = readFileSync(join(DIST, 'index.html'), 'utf8');
  } catch {
    return null;
  }
  const gz = (file: string) => gzipSync(readFileSync(join(DIST, file))).length;
  // The entry script plus the chunks it preloads (modulepreload) are the first load.
  const js = [...html.matchAll(/(?:src|href)="\/dashboard\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const css = [...html.matchAll(/href="\/dashboard\/(assets\/[^"]+\.css)"/g)].map((m) => m[1]!);
  const all = readdirSync(join(DIST, 'assets')).filter((f) => f.endsWith('.js'));
  return {
    firstLoadJsGzip: js.reduce((s, f) => s + gz(f), 0),
    firstLoadCssGzip: css.reduce((s, f) => s + gz(f), 0),
    allJsGzip: all.reduce((s, f) => s + gz(join('assets', f)), 0),
  };
}

function chromiumPath(): string | null {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium']) {
    try {
      if (p) {
        readFileSync(p, { flag: 'r' }).length;
        return p;
      }
    } catch {
      // not there
    }
  }
  return null;
}

async function timed(page: Page, action: () => Promise<unknown>, done: () => Promise<unknown>): Promise<number> {
  void page;
  const started = performance.now();
  await action();
  await done();
  return performance.now() - started;
}

/**
 * Signs in as `email` and times the interactions `repeat` times each. The service must already
 * hold the data (the bench's seed) and listen on `baseUrl`.
 */
export async function runBrowserBench(j: Junction, baseUrl: string, email: string, password: string, repeat = 5): Promise<BrowserBenchRow[] | { skipped: string }> {
  const executablePath = chromiumPath();
  if (!executablePath) return { skipped: 'Chromium is not installed (apt-get install -y chromium)' };
  void j;
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const samples = new Map<string, number[]>();
  let current = 'sign in';
  const record = (name: string, ms: number) => samples.set(name, [...(samples.get(name) ?? []), ms]);
  try {
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1366, height: 860 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto('/dashboard/');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.getByRole('button', { name: /sign out/i }).waitFor();
    const table = page.getByRole('table', { name: 'All Priority Logics' });
    // Moving between pages the way a person does: the left navigation (no page reload).
    const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
    for (let i = 0; i < repeat; i++) {
      current = 'full page load, Priority Logic (1,000 logics)';
      record('full page load, Priority Logic (1,000 logics)', await timed(page, () => page.goto('/dashboard/priority-logic'), () => table.getByRole('row').nth(1).waitFor()));
      // Sorting may leave the first row where it was: wait for the sorted answer and the frame that paints it.
      const order = 'asc'; // each round starts on a fresh page, sorted by modification date
      current = 'sort by name';
      record('sort by name', await timed(page, () => Promise.all([
        page.waitForResponse((r) => r.url().includes('/v1/priority-logics?') && r.url().includes('sort=name')),
        page.getByRole('button', { name: 'Sort by Name' }).click(),
      ]), () => page.waitForFunction((o) => document.querySelector(`th[aria-sort="${o === 'asc' ? 'ascending' : 'descending'}"]`) !== null, order)));
      current = 'next page of logics';
      record('next page of logics', await timed(page, () => page.getByRole('button', { name: 'Next' }).click(), () => page.getByText(/^26–50 of/).waitFor()));
      // The search box waits 250 ms after the last keystroke before it asks the service.
      current = 'search logics by name (incl. 250 ms typing debounce)';
      record('search logics by name (incl. 250 ms typing debounce)', await timed(page, () => page.getByLabel('Search by name').fill(`Bench logic 07${i}`), () => page.getByText(/^1–\d+ of \d+$|Bench logic 07/).first().waitFor()));
      await page.getByLabel('Search by name').fill('');
      current = 'open a logic from the list';
      record('open a logic from the list', await timed(page, () => table.getByRole('link').first().click(), () => page.getByTestId('release').or(page.getByText('Share Rule')).first().waitFor()));
      current = 'to Analytics (24 h)';
      record('to Analytics (24 h)', await timed(page, () => nav('Analytics'), () => page.getByTestId('total-attempts').waitFor()));
      const attempts = await page.getByTestId('total-attempts').innerText();
      current = 'Analytics, range to 30 days';
      record('Analytics, range to 30 days', await timed(page, () => page.getByLabel('Time range').selectOption('30d'), async () => {
        await page.waitForFunction((before) => {
          const el = document.querySelector('[data-testid="total-attempts"]');
          return el !== null && el.textContent !== before;
        }, attempts);
      }));
      current = 'to Payments (newest orders)';
      record('to Payments (newest orders)', await timed(page, () => nav('Payments'), () => page.getByTestId('order-row').first().waitFor()));
      current = 'open an order';
      record('open an order', await timed(page, () => page.getByTestId('order-row').first().getByRole('link').first().click(), () => page.getByTestId('attempt-row').first().waitFor()));
      current = 'to Gateways';
      record('to Gateways', await timed(page, () => nav('Gateways'), () => page.getByTestId('gateway-row').first().waitFor()));
      await nav('Priority Logic');
    }
    await context.close();
  } catch (error) {
    throw new Error(`${current}: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    await browser.close();
  }
  return [...samples].map(([name, values]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { name, n: sorted.length, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted[sorted.length - 1]! };
  });
}
