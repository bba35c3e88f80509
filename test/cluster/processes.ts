// Child processes of the cluster test (instances, HAProxy, PgBouncer): started with their output
// in a log file, stopped by their own pid only, every one of them again at exit whatever happened.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface Child {
  name: string;
  proc: ChildProcess;
  log: string;
  exited: Promise<number | null>;
}

const children = new Set<Child>();

export function startChild(name: string, command: string, args: string[], options: { env?: NodeJS.ProcessEnv; log: string; cwd?: string }): Child {
  const out = createWriteStream(options.log, { flags: 'a' });
  const proc = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout?.pipe(out, { end: false });
  proc.stderr?.pipe(out, { end: false });
  const exited = new Promise<number | null>((resolve) => {
    proc.on('exit', (code, signal) => {
      out.write(`\n[cluster-test] ${name} exited: code ${code} signal ${signal}\n`);
      resolve(code);
    });
    proc.on('error', (error) => {
      out.write(`\n[cluster-test] ${name} failed to start: ${error.message}\n`);
      resolve(null);
    });
  });
  const child: Child = { name, proc, log: options.log, exited };
  children.add(child);
  void exited.then(() => children.delete(child));
  return child;
}

/** SIGKILL: the instance dies without draining anything (what the test is about). */
export async function killHard(child: Child): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill('SIGKILL');
  await child.exited;
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(child: Child, graceMs = 5_000): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => stop(c, 3_000)));
}

/** Kills whatever is left synchronously (process exit handlers cannot wait). */
export function killAllNow(): void {
  for (const c of children) {
    try {
      c.proc.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function tail(path: string, lines = 30): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A TCP port free right now on 127.0.0.1 (the kernel picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
