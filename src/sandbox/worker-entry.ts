// How the pool starts a worker. Loader hooks from `--import tsx` do not reach worker threads on
// Node 20, and registering tsx inside each worker costs about 300 ms of CPU per start (paid again
// for every worker killed for overrunning). So, when running from TypeScript sources, the worker
// entry is bundled once per process with esbuild (dependencies stay external) into
// node_modules/.cache/junction/, named by the hash of its contents; a compiled .js entry is used
// as it is. If the cache cannot be written, workers fall back to registering tsx themselves.

import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

/** What the worker runs: `bootstrap` (eval'd) lowers the thread's priority first, then imports `entry`. */
export interface WorkerEntry {
  bootstrap: string;
  entry: string;
}

const TS_ENTRY = new URL('./evaluator-worker.ts', import.meta.url);

// The nice value is set before anything else loads, so that even starting a worker (loading and
// compiling QuickJS, about 150 ms of CPU) yields to the thread serving requests.
function bootstrap(registerTsx: boolean): string {
  return `
const { workerData } = require('node:worker_threads');
if (workerData.niceness !== null) { try { require('node:os').setPriority(0, workerData.niceness); } catch {} }
(async () => {
  ${registerTsx ? "(await import('tsx/esm/api')).register();" : ''}
  await import(workerData.entry);
})().catch((error) => { setImmediate(() => { throw error; }); });
`;
}

let cached: WorkerEntry | null = null;

export function workerEntry(): WorkerEntry {
  if (cached) return cached;
  if (!import.meta.url.endsWith('.ts')) {
    cached = { bootstrap: bootstrap(false), entry: new URL('./evaluator-worker.js', import.meta.url).href };
    return cached;
  }
  const file = bundled();
  cached = file ? { bootstrap: bootstrap(false), entry: file.href } : { bootstrap: bootstrap(true), entry: TS_ENTRY.href };
  return cached;
}

function bundled(): URL | null {
  try {
    const require = createRequire(import.meta.url);
    const esbuild = require('esbuild') as typeof import('esbuild');
    const entry = fileURLToPath(TS_ENTRY);
    const out = esbuild.buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      write: false,
      logLevel: 'silent',
      outfile: 'evaluator-worker.mjs',
    });
    const code = out.outputFiles[0]!.text;
    const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
    // The project's node_modules, so that the bundle's imports of dependencies resolve.
    const modules = join(dirname(require.resolve('esbuild/package.json')), '..');
    const dir = join(modules, '.cache', 'junction');
    const file = join(dir, `evaluator-worker-${hash}.mjs`);
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, code);
      renameSync(temp, file);
    }
    return pathToFileURL(file);
  } catch {
    return null;
  }
}
