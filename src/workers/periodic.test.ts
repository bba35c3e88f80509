// periodic(): passes one at a time, never overlapping; stop() waits for the pass under way and no
// pass starts after it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { periodic } from './periodic.ts';

test('passes never overlap, errors do not stop the loop, and stop() waits for the pass under way', async () => {
  let active = 0;
  let maxActive = 0;
  let passes = 0;
  const errors: unknown[] = [];
  let release!: () => void;
  const slowPassStarted = new Promise<void>((resolve) => {
    release = resolve;
  });
  const task = periodic(
    async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      passes++;
      try {
        if (passes === 2) throw new Error('a failing pass');
        if (passes === 4) {
          release();
          await new Promise((resolve) => setTimeout(resolve, 50)); // longer than the interval
        }
      } finally {
        active--;
      }
    },
    1,
    (error) => errors.push(error),
  );
  // The task's timer is unref'd (it never keeps a process alive): this test keeps its own alive.
  const keepAlive = setInterval(() => undefined, 1_000);
  try {
    task.start();
    await slowPassStarted;
    await task.stop();
    assert.equal(active, 0, 'stop() returned only after the pass under way ended');
    const stoppedAt = passes;
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(passes, stoppedAt, 'no pass after stop()');
    assert.equal(maxActive, 1, 'one pass at a time');
    assert.equal(errors.length, 1, 'the failing pass was reported and the loop went on');
  } finally {
    clearInterval(keepAlive);
  }
});
