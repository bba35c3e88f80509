// Finds *.test.ts files under the given folders (or takes the files named) and runs them with node's test runner
// (Node 20 does not expand glob patterns in --test itself).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// Test processes share a dump of an empty PGlite cluster (src/storage/db.ts, newMemoryPglite):
// each in-memory database loads it instead of running initdb. Removed when the run ends.
const templateDir = mkdtempSync(join(tmpdir(), 'junction-pglite-'));
let result;
try {
  result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...passThrough, ...files], {
    stdio: 'inherit',
    env: { ...process.env, JUNCTION_TEST_PGLITE_TEMPLATE_DIR: templateDir },
  });
} finally {
  rmSync(templateDir, { recursive: true, force: true });
}
process.exit(result.status ?? 1);
