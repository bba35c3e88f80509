// npm start: runs the compiled service (npm run build) when there is a build at least as new as
// the sources, else the TypeScript sources through tsx, as `npm install && npm start` always has.
// DEMO_CONNECTORS=emulators runs from the sources: the emulators are development infrastructure.
// JUNCTION_DIST_DIR names another build folder (tests).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(root, process.env.JUNCTION_DIST_DIR || 'dist-server');
const entry = join(dist, 'main.js');
const stamp = join(dist, 'BUILD');

function newestSource(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestSource(path) : stat.mtimeMs);
  }
  return newest;
}

function choose() {
  if (process.env.DEMO_CONNECTORS === 'emulators') return { compiled: false, why: 'DEMO_CONNECTORS=emulators runs from the sources' };
  if (!existsSync(entry) || !existsSync(stamp)) return { compiled: false, why: 'no build (npm run build makes one)' };
  const sources = join(root, 'src');
  if (existsSync(sources) && newestSource(sources) > statSync(stamp).mtimeMs) return { compiled: false, why: 'the build is older than src/; npm run build refreshes it' };
  return { compiled: true, why: `the build in ${dist}` };
}

const choice = choose();
if (choice.compiled) {
  process.stderr.write(`junction: running the compiled build (${choice.why})\n`);
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(entry).href);
} else {
  process.stderr.write(`junction: running from the TypeScript sources with tsx (${choice.why})\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src/main.ts')).href);
}
