// npm run build:server: compiles the service to plain JavaScript in dist-server/ with esbuild (a
// dependency already): one ES module per entry point, self-contained (the server, the admin CLI, the sandbox's
// worker thread), npm packages left as imports of node_modules, source maps beside them. The
// type check stays `tsc --noEmit` (npm run typecheck); esbuild only strips types and resolves
// the sources' `.ts` import specifiers. Migrations are copied next to the bundle, where
// storage/db.ts looks for them (beside its own module URL).
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// --outdir=<dir inside the project> (tests build elsewhere; bare imports resolve from node_modules above it).
const outArg = process.argv.find((a) => a.startsWith('--outdir='));
const out = resolve(root, outArg ? outArg.slice('--outdir='.length) : 'dist-server');
const started = Date.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: {
    main: 'src/main.ts',
    admin: 'src/cli/admin.ts',
    // worker-entry.ts loads './evaluator-worker.js' beside the running module.
    'evaluator-worker': 'src/sandbox/evaluator-worker.ts',
  },
  outdir: out,
  bundle: true,
  // No code splitting: each entry is one file in dist-server/, so that import.meta.url-relative
  // lookups (migrations/, evaluator-worker.js) find their files beside it.
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // The gateway emulators are development infrastructure (they read the providers' SDKs, which are
  // development dependencies): DEMO_CONNECTORS=emulators runs from the sources (scripts/start.mjs).
  external: ['../emulators/*'],
  sourcemap: true,
  logLevel: 'warning',
});

cpSync(join(root, 'src/storage/migrations'), join(out, 'migrations'), { recursive: true });
writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`);
writeFileSync(join(out, 'BUILD'), `built ${new Date().toISOString()} by npm run build:server; run with npm start or node dist-server/main.js\n`);
const files = readdirSync(out).filter((f) => f.endsWith('.js'));
console.log(`${relative(root, out)}/: ${files.join(', ')} in ${Date.now() - started} ms`);
