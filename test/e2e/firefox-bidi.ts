// A small WebDriver BiDi client for Debian's Firefox ESR, which speaks BiDi natively (Playwright
// drives only its own patched Firefox, a download we cannot make here). Enough to open pages,
// run script in them, wait for what they show and take screenshots.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'undici';

export function firefoxPath(): string | null {
  for (const candidate of [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return null;
}

interface BidiResponse {
  id?: number;
  type?: string;
  result?: Record<string, unknown>;
  error?: string;
  message?: string;
}

export class Firefox {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  context = '';

  private constructor(
    private readonly process: ChildProcess,
    private readonly socket: WebSocket,
    private readonly profile: string,
  ) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as BidiResponse;
      if (message.id === undefined) return; // events
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.type === 'error') waiter.reject(new Error(`${message.error}: ${message.message}`));
      else waiter.resolve(message.result ?? {});
    });
  }

  static async launch(executable: string): Promise<Firefox> {
    const profile = mkdtempSync(join(tmpdir(), 'junction-ff-'));
    const child = spawn(executable, ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port', '0', '--window-size', '1366,860', 'about:blank'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' },
    });
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`Firefox did not start its BiDi server: ${seen.slice(-500)}`)), 30_000);
      const onData = (chunk: Buffer) => {
        seen += chunk.toString();
        const m = /WebDriver BiDi listening on (ws:\/\/[^\s]+)/.exec(seen);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child.stderr!.on('data', onData);
      child.stdout!.on('data', onData);
      child.on('exit', (code) => reject(new Error(`Firefox exited (${code}): ${seen.slice(-500)}`)));
    });
    const socket = new WebSocket(`${url.replace(/\/$/, '')}/session`);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error('cannot connect to Firefox BiDi')), { once: true });
    });
    const ff = new Firefox(child, socket, profile);
    await ff.send('session.new', { capabilities: {} });
    const tree = await ff.send('browsingContext.getTree', {});
    ff.context = (tree.contexts as Array<{ context: string }>)[0]!.context;
    return ff;
  }

  send(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  async goto(url: string): Promise<void> {
    await this.send('browsingContext.navigate', { context: this.context, url, wait: 'complete' });
  }

  /** Evaluates an expression (awaiting a promise) in the page and returns its JSON value. */
  async eval<T>(expression: string): Promise<T> {
    const r = await this.send('script.evaluate', {
      expression: `(async () => JSON.stringify(await (async () => { ${expression} })()))()`,
      target: { context: this.context },
      awaitPromise: true,
    });
    if (r.type === 'exception') throw new Error(`page script failed: ${JSON.stringify(r.exceptionDetails)}`);
    const value = (r.result as { value?: string }).value;
    return (value === undefined ? undefined : JSON.parse(value)) as T;
  }

  /** Waits until the page's text contains `text` (or the expression is truthy). */
  async waitForText(text: string, timeoutMs = 15_000): Promise<void> {
    const started = Date.now();
    for (;;) {
      if (await this.eval<boolean>(`return document.body.innerText.includes(${JSON.stringify(text)});`)) return;
      if (Date.now() - started > timeoutMs) throw new Error(`"${text}" did not appear; the page shows: ${(await this.eval<string>('return document.body.innerText;')).slice(0, 400)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Waits until `expression` (a script body returning a value) is truthy in the page. */
  async waitFor(expression: string, what: string, timeoutMs = 15_000): Promise<void> {
    const started = Date.now();
    for (;;) {
      if (await this.eval<boolean>(`return Boolean(await (async () => { ${expression} })());`)) return;
      if (Date.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async screenshot(): Promise<Buffer> {
    const r = await this.send('browsingContext.captureScreenshot', { context: this.context, origin: 'document' });
    return Buffer.from(String(r.data), 'base64');
  }

  async close(): Promise<void> {
    await this.send('session.end', {}).catch(() => undefined);
    this.socket.close();
    this.process.kill('SIGTERM');
    await new Promise((resolve) => {
      if (this.process.exitCode !== null) resolve(null);
      else this.process.once('exit', resolve);
      setTimeout(resolve, 5_000);
    });
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** Page-side helpers: set a React-controlled field the way typing does, click by accessible text. */
export const PAGE_HELPERS = `
  const setValue = (el, value) => {
    const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  };
  const byLabel = (text) => {
    const label = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === text);
    if (label && label.htmlFor) return document.getElementById(label.htmlFor);
    return document.querySelector('[aria-label="' + text + '"]');
  };
  const button = (text) => [...document.querySelectorAll('button, [role=radio], a')].find((b) => (b.getAttribute('aria-label') || b.textContent).trim() === text);
`;
