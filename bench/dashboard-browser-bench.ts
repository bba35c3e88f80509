// The dashboard as a person uses it, at the bench's scale: headless Chromium (Debian's) on the
// seeded service, timing each interaction inside the page, from the input event (click, keystroke,
// change) until the DOM shows the answer; only the full page load is timed from Playwright.
// Also the first load's compressed JavaScript and CSS, read from the built files.
// BENCH_DEBUG=1 logs every request the page makes, with its time, to see where a figure goes;
// BENCH_PROFILE='<interaction>' writes the page's CPU profile of that interaction's runs (Chrome
// DevTools format) to bench-profile-<n>.cpuprofile in the working directory; BENCH_TRACE='<interaction>'
// writes a Chromium trace of each run (the timeline: tasks, style, layout, paint; open it in DevTools'
// Performance panel or read its events) to bench-trace-<n>.json. A CPU profile lumps the browser's
// own work into "(program)"; the trace says which it is.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
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

async function timed(_page: Page, action: () => Promise<unknown>, done: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  await done();
  return performance.now() - started;
}

/** What the page shows when an interaction has been answered. */
interface Until {
  selector: string;
  /** The text of one matching element must match this pattern (RegExp source). */
  text?: string;
  /** ...and differ from this text (what it said before). */
  notText?: string;
}

/**
 * Times an interaction inside the page: from the first input event the action causes (pointer,
 * key, input, change) until the DOM shows `until`, watched by a MutationObserver. Playwright's
 * own checks before it clicks, and its polling afterwards, are not counted.
 */
/** The interaction being timed, and the DevTools session that profiles it when it is BENCH_PROFILE's. */
const step: { name: string; cdp: CDPSession | null; profiles: number; browser: Browser | null } = { name: 'sign in', cdp: null, profiles: 0, browser: null };

async function timedInPage(page: Page, action: () => Promise<unknown>, until: Until): Promise<number> {
  const profile = step.cdp !== null && step.name === process.env.BENCH_PROFILE ? step.cdp : null;
  if (profile) {
    await profile.send('Profiler.enable');
    await profile.send('Profiler.setSamplingInterval', { interval: 100 });
    await profile.send('Profiler.start');
  }
  const trace = step.browser !== null && step.name === process.env.BENCH_TRACE ? step.browser : null;
  if (trace)
    await trace.startTracing(page, { path: `bench-trace-${++step.profiles}.json`, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8.execute'] });
  try {
    return await timedInPageOnce(page, action, until);
  } finally {
    if (profile) writeFileSync(`bench-profile-${++step.profiles}.cpuprofile`, JSON.stringify((await profile.send('Profiler.stop')).profile));
    if (trace) await trace.stopTracing();
  }
}

async function timedInPageOnce(page: Page, action: () => Promise<unknown>, until: Until): Promise<number> {
  // Plain source text: the bundler's helpers (keepNames) must not leak into the page.
  const armed = page.evaluate(`new Promise((resolve, reject) => {
    const u = ${JSON.stringify(until)};
    let t0 = null;
    const start = () => { if (t0 === null) t0 = performance.now(); };
    for (const e of ['pointerdown', 'mousedown', 'keydown', 'input', 'change', 'click']) document.addEventListener(e, start, { capture: true, once: true });
    const shown = () => Array.from(document.querySelectorAll(u.selector)).some((el) => {
      const text = el.textContent || '';
      return (u.text === undefined || new RegExp(u.text).test(text)) && (u.notText === undefined || text !== u.notText);
    });
    const observer = new MutationObserver(() => {
      if (t0 === null || !shown()) return;
      observer.disconnect();
      resolve(performance.now() - t0);
    });
    observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    setTimeout(() => { observer.disconnect(); reject(new Error('not shown: ' + u.selector + ' ' + (u.text || ''))); }, 20000);
  })`) as Promise<number>;
  armed.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  await action();
  return armed;
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
  step.browser = process.env.BENCH_TRACE ? browser : null;
  const samples = new Map<string, number[]>();
  const record = (name: string, ms: number) => samples.set(name, [...(samples.get(name) ?? []), ms]);
  try {
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1366, height: 860 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    step.cdp = process.env.BENCH_PROFILE ? await context.newCDPSession(page) : null;
    if (process.env.BENCH_DEBUG) {
      const t0 = performance.now();
      page.on('request', (r) => console.log('req', Math.round(performance.now() - t0), r.url().replace(baseUrl, '')));
      page.on('requestfinished', (r) => console.log('fin', Math.round(performance.now() - t0), r.url().replace(baseUrl, '')));
      page.on('console', (m) => console.log('console', m.text()));
    }
    await page.goto('/dashboard/');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.getByRole('button', { name: /sign out/i }).waitFor();
    const table = page.getByRole('table', { name: 'All Priority Logics' });
    // Moving between pages the way a person does: the left navigation (no page reload).
    const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
    const firstRowText = () => page.evaluate(() => document.querySelector('table[aria-label="All Priority Logics"] tbody tr')?.textContent ?? '');
    for (let i = 0; i < repeat; i++) {
      step.name = 'full page load, Priority Logic (1,000 logics)';
      record(
        'full page load, Priority Logic (1,000 logics)',
        await timed(
          page,
          () => page.goto('/dashboard/priority-logic'),
          () => table.getByRole('row').nth(1).waitFor(),
        ),
      );
      await page.waitForTimeout(400); // the other pages' chunks arrive in the background
      step.name = 'sort by name';
      record('sort by name', await timedInPage(page, () => page.getByRole('button', { name: 'Sort by Name' }).click(), { selector: 'th[aria-sort="ascending"]' }));
      await page.waitForLoadState('networkidle');
      step.name = 'next page of logics';
      record('next page of logics', await timedInPage(page, () => page.getByRole('button', { name: 'Next' }).click(), { selector: 'span', text: '^26–50 of' }));
      // The search box waits 250 ms after the last keystroke before it asks the service.
      step.name = 'search logics by name (after the 250 ms typing debounce)';
      const before = await firstRowText();
      const searched = await timedInPage(page, () => page.getByLabel('Search by name').fill(`Bench logic 07${i}`), {
        selector: 'table[aria-label="All Priority Logics"] tbody tr',
        text: `Bench logic 07${i}`,
        notText: before,
      });
      record('search logics by name (after the 250 ms typing debounce)', Math.max(0, searched - 250));
      step.name = 'open a logic from the list';
      record('open a logic from the list', await timedInPage(page, () => table.getByRole('link').first().click(), { selector: 'h2', text: '^Share Rule$' }));
      step.name = 'to Analytics (24 h)';
      record('to Analytics (24 h)', await timedInPage(page, () => nav('Analytics'), { selector: '[data-testid="total-attempts"]' }));
      const attempts = await page.getByTestId('total-attempts').innerText();
      step.name = 'Analytics, range to 30 days';
      record('Analytics, range to 30 days', await timedInPage(page, () => page.getByLabel('Time range').selectOption('30d'), { selector: '[data-testid="total-attempts"]', notText: attempts }));
      step.name = 'to Payments (newest orders)';
      record('to Payments (newest orders)', await timedInPage(page, () => nav('Payments'), { selector: '[data-testid="order-row"]' }));
      step.name = 'open an order';
      record('open an order', await timedInPage(page, () => page.getByTestId('order-row').first().getByRole('link').first().click(), { selector: '[data-testid="attempt-row"]' }));
      step.name = 'to Gateways';
      record('to Gateways', await timedInPage(page, () => nav('Gateways'), { selector: '[data-testid="gateway-row"]' }));
      await nav('Priority Logic');
    }
    await context.close();
  } catch (error) {
    throw new Error(`${step.name}: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    await browser.close();
  }
  return [...samples].map(([name, values]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { name, n: sorted.length, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted[sorted.length - 1]! };
  });
}
