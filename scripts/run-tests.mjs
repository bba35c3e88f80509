// Finds *.test.ts files under the given folders (or takes the files named) and runs them with node's test runner
// (Node 20 does not expand glob patterns in --test itself).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const excludes = args.filter((a) => a.startsWith('--exclude=')).map((a) => a.slice('--exclude='.length).replace(/\/$/, ''));
const roots = args.filter((a) => !a.startsWith('--'));
const passThrough = args.filter((a) => a.startsWith('--') && !a.startsWith('--exclude='));
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (excludes.includes(path)) continue;
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.ts')) files.push(path);
  }
}
for (const root of roots.length ? roots : ['src', 'test']) {
  // A test file named directly runs as it is; a folder is searched.
  if (statSync(root).isFile()) files.push(root);
  else walk(root);
}
files.sort();
// The longest files start first (scripts/test-runner.mjs runs them in the order given, two at a
// time): a long file left for the end runs alone while the other slot idles. The order is that of
// the run of 2026-12-05 05:50 UTC (the node suites of `npm test`, 2 cores, nothing else running;
// 648 s in all), by the summed durations of each file's top-level tests (JUNCTION_TEST_TIMES;
// process start-up and top-level hooks are not in them); every other file keeps its alphabetical
// place after these.
const LONGEST_FIRST = [
  'test/e2e/layout-a11y.test.ts', // 106 s (Chromium, three viewports and dark mode, axe)
  'test/e2e/dashboard.test.ts', // 73 s (Chromium)
  'test/e2e/states-formats.test.ts', // 58 s (Chromium)
  'test/security/signing-keys-cli.test.ts', // 55 s (spawns the admin CLI on its own databases)
  'test/readme/walkthrough.test.ts', // 37 s (starts the service twice, runs the README's commands)
  'test/e2e/release-guard.test.ts', // 24 s
  'test/e2e/backtest.test.ts', // 21 s
  'test/e2e/risk-page.test.ts', // 21 s
  'test/e2e/firefox.test.ts', // 20 s
  'test/storage/export-import-roundtrip.test.ts', // 19 s
  'test/e2e/version-diff.test.ts', // 19 s
  'test/priority-logic/release-guard.test.ts', // 18 s
  'test/e2e/logic-editing.test.ts', // 17 s
  'test/build/production-build.test.ts', // 15 s
  'test/e2e/rule-analysis.test.ts', // 15 s
  'test/e2e/approver-review.test.ts', // 13 s
  'test/routing-intelligence/health-by-default.test.ts', // 13 s
  'test/priority-logic/routing-e2e.test.ts', // 13 s
  'test/security/key-rotation.test.ts', // 12 s
  'test/routing-intelligence/ranking.test.ts', // 12 s
  'test/api/simulator-isolation.test.ts', // 12 s
  'src/storage/migrated-memory-db.test.ts', // 12 s
  'src/sandbox/quickjs-limits.test.ts', // 11 s (limits, deadlines)
];
/** Short files per process (batchFiles). */
const BATCH_SIZE = 6;
const rank = (file) => {
  const i = LONGEST_FIRST.findIndex((slow) => file === slow || file.endsWith(`/${slow}`));
  if (i !== -1) return i;
  // A browser file not yet measured is still long: it starts after the listed ones, in a process of its own.
  return /(^|\/)test\/e2e\//.test(file) ? LONGEST_FIRST.length - 0.5 : LONGEST_FIRST.length;
};
files.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// Test processes share a dump of an empty PGlite cluster (src/storage/db.ts, newMemoryPglite):
// each in-memory database loads it instead of running initdb. Removed when the run ends.
const templateDir = mkdtempSync(join(tmpdir(), 'junction-pglite-'));
let result;
try {
  const concurrency = passThrough.find((a) => a.startsWith('--test-concurrency='))?.slice('--test-concurrency='.length) ?? '2';
  const unknown = passThrough.filter((a) => !a.startsWith('--test-concurrency='));
  if (unknown.length) throw new Error(`unknown option ${unknown.join(' ')} (this runner takes --exclude= and --test-concurrency=)`);
  const batches = batchFiles(files, templateDir);
  result = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./test-runner.mjs', import.meta.url)), `--concurrency=${concurrency}`, ...batches], {
    stdio: 'inherit',
    env: { ...process.env, JUNCTION_TEST_PGLITE_TEMPLATE_DIR: templateDir },
  });
} finally {
  rmSync(templateDir, { recursive: true, force: true });
}
process.exit(result.status ?? 1);

/**
 * Groups the short test files into batches that share one process: a process spent 1.1 to 1.6 s
 * before its first test (node, tsx, and importing Fastify, PGlite and the service's modules),
 * paid once per file (test/api: 272 CPU-s one process per file, 152 batched; README). A batch is an entry file that
 * imports each of its test files inside a `describe` named for the file, so a file's top-level
 * hooks (before, beforeEach, after) stay scoped to that file and run in its order, and the report
 * names the file above its tests; the files of a batch run one after another. The long files of
 * LONGEST_FIRST (browsers, spawned CLIs, the production build) and every browser file keep a
 * process each and start first. JUNCTION_TEST_BATCH=1 runs every file in a process of its own (as node --test would).
 */
function batchFiles(all, dir) {
  const size = Number(process.env.JUNCTION_TEST_BATCH ?? BATCH_SIZE);
  if (!Number.isInteger(size) || size < 1) throw new Error(`JUNCTION_TEST_BATCH must be a positive integer, not ${process.env.JUNCTION_TEST_BATCH}`);
  const solo = all.filter((f) => rank(f) < LONGEST_FIRST.length);
  const rest = all.filter((f) => rank(f) === LONGEST_FIRST.length);
  if (size === 1 || rest.length <= 1) return all;
  const out = [...solo];
  for (let i = 0; i < rest.length; i += size) {
    const group = rest.slice(i, i + size);
    if (group.length === 1) {
      out.push(group[0]);
      continue;
    }
    const entry = join(dir, `batch-${String(i / size + 1).padStart(2, '0')}.test.mjs`);
    const lines = group.map((f) => `describe(${JSON.stringify(f)}, async () => { await import(${JSON.stringify(pathToFileURL(resolve(f)).href)}); });`);
    writeFileSync(entry, `import { describe } from 'node:test';\n${lines.join('\n')}\n`);
    out.push(entry);
  }
  return out;
}
