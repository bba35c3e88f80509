// npm test: every step runs even when an earlier one failed (a failing node suite no longer hides
// the dashboard's component tests), then a summary; the exit code is non-zero if any step failed.
// The checks that read only the sources (the two type checks, the linters, the size budget) and
// the dashboard build run at the same time, each one's output printed whole when it ends: they
// are single-threaded for most of their time, and on a 2-core machine one after another left a
// core idle (44 s in a row, 33-39 s together, measured on 2026-12-05). The test suites then run
// one after another: each already keeps both cores busy.
import { spawn } from 'node:child_process';

const npm = process.env.npm_execpath;
/** `npm run <script>` the way this npm was started (node + npm-cli.js when npm_execpath is a script). */
const npmRun = (script) => (npm?.endsWith('.js') ? [process.execPath, [npm, 'run', '-s', script]] : ['npm', ['run', '-s', script]]);

const checks = [
  ['type check (service)', [process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']]],
  ['type check (dashboard)', [process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'dashboard/tsconfig.json']]],
  ['lint (Biome, knip, duplicates)', npmRun('lint')],
  ['size budget', npmRun('lint:sizes')],
  ['dashboard build', npmRun('build:dashboard')],
];
const suites = [
  ['unit, storage, API and browser tests', [process.execPath, ['scripts/run-tests.mjs', 'src', 'test', '--exclude=test/redis', '--exclude=test/sandbox', '--test-concurrency=2']]],
  ['dashboard component tests', npmRun('test:dashboard')],
];

/** Runs one step; `buffered`: its output is held and printed at once when it ends. */
function run(name, [command, args], buffered) {
  const started = Date.now();
  if (!buffered) process.stdout.write(`\n== ${name}\n`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit', shell: process.platform === 'win32' });
    const chunks = [];
    child.stdout?.on('data', (c) => chunks.push(c));
    child.stderr?.on('data', (c) => chunks.push(c));
    let ended = false;
    const done = (ok) => {
      if (ended) return;
      ended = true;
      const seconds = Math.round((Date.now() - started) / 1000);
      if (buffered) process.stdout.write(`\n== ${name} (${ok ? 'pass' : 'FAIL'}, ${seconds} s)\n${Buffer.concat(chunks).toString()}`);
      resolve({ name, ok, seconds });
    };
    child.on('error', (error) => {
      chunks.push(Buffer.from(`${error.message}\n`));
      done(false);
    });
    child.on('close', (code) => done(code === 0));
  });
}

const results = await Promise.all(checks.map(([name, command]) => run(name, command, true)));
for (const [name, command] of suites) results.push(await run(name, command, false));
process.stdout.write('\n== summary\n');
for (const r of results) process.stdout.write(`${r.ok ? 'pass' : 'FAIL'}  ${r.name} (${r.seconds} s)\n`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
