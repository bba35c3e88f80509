// Checks a server build (npm run build:server) against package.json: every package the compiled
// code imports is a runtime dependency (never a development one), and every runtime dependency is
// imported by the build or listed below with the reason it is needed anyway.
// Usage: node scripts/check-runtime-deps.mjs [build dir, default dist-server]; exits 1 on a problem.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = resolve(root, process.argv[2] ?? 'dist-server');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const runtime = new Set(Object.keys(pkg.dependencies ?? {}));
const development = new Set(Object.keys(pkg.devDependencies ?? {}));

/** Runtime dependencies the compiled server does not import, and why they stay. */
export const NEEDED_WITHOUT_AN_IMPORT = {
  tsx: 'npm start runs the TypeScript sources when there is no build (README: npm install && npm start)',
  esbuild: 'npm run build compiles with it; from sources, the sandbox bundles its worker with it',
};
/** Imports that are loaded only on a path the build does not take, and why. */
const ALLOWED_DEV_IMPORTS = {
  'tsx/esm/api': 'only in a sandbox worker started from sources (the build uses evaluator-worker.js)',
  '../emulators/demo.ts': 'DEMO_CONNECTORS=emulators, which npm start runs from the sources',
};

const packageOf = (specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
const builtins = new Set(builtinModules);
const specifiers = new Map();
for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
  const text = readFileSync(join(dir, file), 'utf8');
  const patterns = [
    /(?:^|[\n;])\s*(?:import|export)\s[^;'"]*?from\s*["']([^"']+)["']/g,
    /(?:^|[\n;])\s*import\s*["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns)
    for (const match of text.matchAll(pattern)) {
      const s = match[1];
      if (s.startsWith('node:') || builtins.has(s)) continue;
      if (!specifiers.has(s)) specifiers.set(s, new Set());
      specifiers.get(s).add(file);
    }
}

const problems = [];
const imported = new Set();
for (const [specifier, files] of specifiers) {
  if (specifier in ALLOWED_DEV_IMPORTS) continue;
  if (specifier.startsWith('.')) {
    problems.push(`${[...files].join(', ')} imports the relative module ${specifier}, which is not in the build`);
    continue;
  }
  const name = packageOf(specifier);
  imported.add(name);
  if (runtime.has(name)) continue;
  problems.push(
    development.has(name)
      ? `${[...files].join(', ')} imports ${specifier}, a development dependency: move ${name} to dependencies`
      : `${[...files].join(', ')} imports ${specifier}, which package.json does not list`,
  );
}
for (const name of runtime) {
  if (!imported.has(name) && !(name in NEEDED_WITHOUT_AN_IMPORT)) problems.push(`${name} is a runtime dependency the build never imports: a build-time tool belongs in devDependencies`);
}
if (problems.length) {
  console.error(`runtime dependency check of ${dir}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`runtime dependency check: ${imported.size} packages imported, all runtime dependencies; none unused`);
