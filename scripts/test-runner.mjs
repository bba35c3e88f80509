// Runs test files with node's test runner in the order given (the `--test` command line sorts them
// alphabetically in Node 20, so the longest files could not start first). Started by
// scripts/run-tests.mjs as `node --import tsx scripts/test-runner.mjs [--concurrency=N] files...`;
// every test file runs in a process of its own, which inherits `--import tsx`. Prints the spec
// report; exits non-zero when a test fails. With JUNCTION_TEST_TIMES=<file> it also writes the
// durations of each file's top-level tests there (milliseconds, tab-separated), to re-measure the
// order; a file run in a batch (scripts/run-tests.mjs, batchFiles) is one line, its whole time
// with its hooks.
import { writeFileSync } from 'node:fs';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { Transform } from 'node:stream';

const args = process.argv.slice(2);
const concurrencyArg = args.find((a) => a.startsWith('--concurrency='));
const concurrency = concurrencyArg ? Number(concurrencyArg.slice('--concurrency='.length)) : 2;
const files = args.filter((a) => !a.startsWith('--'));
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(`--concurrency must be a positive integer, not ${concurrencyArg}`);
  process.exit(2);
}

let failed = false;
const times = [];
const watch = new Transform({
  objectMode: true,
  transform(event, _encoding, done) {
    if (event.type === 'test:fail') failed = true;
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0) {
      // In a batch the top-level entries are the describes named for their files.
      const batched = /[\\/]batch-\d+\.test\.mjs$/.test(event.data.file ?? '');
      const file = batched ? event.data.name : (event.data.file ?? '');
      times.push(`${Math.round(event.data.details.duration_ms)}\t${event.type === 'test:fail' ? 'FAIL' : 'ok'}\t${file}\t${batched ? '(whole file)' : event.data.name}`);
    }
    done(null, event);
  },
});

const stream = run({ files, concurrency }).pipe(watch);
stream.compose(spec).pipe(process.stdout);
stream.on('end', () => {
  if (process.env.JUNCTION_TEST_TIMES) writeFileSync(process.env.JUNCTION_TEST_TIMES, `${times.join('\n')}\n`);
});
process.on('exit', (code) => {
  if (failed && code === 0) process.exitCode = 1;
});
