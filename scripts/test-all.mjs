// npm test: every step runs even when an earlier one failed (a failing node suite no longer hides
// the dashboard's component tests), then a summary; the exit code is non-zero if any step failed.
import { spawnSync } from 'node:child_process';

const steps = [
  ['type check', ['run', 'typecheck']],
  ['lint (Biome, knip) and the size budget', ['run', 'lint:all']],
  ['dashboard build', ['run', 'build:dashboard']],
  ['unit, storage, API and browser tests', null, ['scripts/run-tests.mjs', 'src', 'test', '--exclude=test/redis', '--exclude=test/sandbox', '--test-concurrency=2']],
  ['dashboard component tests', ['run', 'test:dashboard']],
];

const npm = process.env.npm_execpath;
const results = [];
for (const [name, npmArgs, nodeArgs] of steps) {
  process.stdout.write(`\n== ${name}\n`);
  const started = Date.now();
  const run = nodeArgs
    ? spawnSync(process.execPath, nodeArgs, { stdio: 'inherit' })
    : npm?.endsWith('.js')
      ? spawnSync(process.execPath, [npm, ...npmArgs], { stdio: 'inherit' })
      : spawnSync('npm', npmArgs, { stdio: 'inherit', shell: process.platform === 'win32' });
  results.push({ name, ok: run.status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}
process.stdout.write('\n== summary\n');
for (const r of results) process.stdout.write(`${r.ok ? 'pass' : 'FAIL'}  ${r.name} (${r.seconds} s)\n`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
