import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketStarts, chooseBucket, planSources } from './time-plan.ts';
import type { SourcePart } from './types.ts';

const at = (iso: string) => new Date(iso);
const show = (parts: SourcePart[]) => parts.map((p) => `${p.source} ${p.from.toISOString().slice(0, 16)}..${p.to.toISOString().slice(0, 16)}`);

test('nothing rolled up, or minute buckets: all live', () => {
  const range = { from: at('2024-05-01T10:30:00Z'), to: at('2024-05-02T10:30:00Z') };
  assert.deepEqual(show(planSources(range, null, 'hour')), ['live 2024-05-01T10:30..2024-05-02T10:30']);
  assert.deepEqual(show(planSources(range, at('2024-05-02T09:00:00Z'), 'minute')), ['live 2024-05-01T10:30..2024-05-02T10:30']);
});

test('partial hours at the edges and hours after the boundary are live; whole closed hours come from the rollup', () => {
  const range = { from: at('2024-05-01T10:30:00Z'), to: at('2024-05-02T10:30:00Z') };
  assert.deepEqual(show(planSources(range, at('2024-05-02T10:00:00Z'), 'hour')), [
    'live 2024-05-01T10:30..2024-05-01T11:00',
    'hourly 2024-05-01T11:00..2024-05-02T10:00',
    'live 2024-05-02T10:00..2024-05-02T10:30',
  ]);
  assert.deepEqual(show(planSources(range, at('2024-05-02T06:00:00Z'), 'hour')), [
    'live 2024-05-01T10:30..2024-05-01T11:00',
    'hourly 2024-05-01T11:00..2024-05-02T06:00',
    'live 2024-05-02T06:00..2024-05-02T10:30',
  ]);
  assert.deepEqual(show(planSources(range, at('2024-05-01T11:00:00Z'), 'hour')), ['live 2024-05-01T10:30..2024-05-02T10:30']);
});

test('day buckets read whole closed days from the daily rollup', () => {
  const range = { from: at('2024-05-01T10:30:00Z'), to: at('2024-05-08T10:30:00Z') };
  assert.deepEqual(show(planSources(range, at('2024-05-08T10:00:00Z'), 'day')), [
    'live 2024-05-01T10:30..2024-05-01T11:00',
    'hourly 2024-05-01T11:00..2024-05-02T00:00',
    'daily 2024-05-02T00:00..2024-05-08T00:00',
    'hourly 2024-05-08T00:00..2024-05-08T10:00',
    'live 2024-05-08T10:00..2024-05-08T10:30',
  ]);
  // Hour buckets never use the days.
  assert.ok(!planSources(range, at('2024-05-08T10:00:00Z'), 'hour').some((p) => p.source === 'daily'));
});

test('the parts tile the range exactly', () => {
  const from = at('2024-03-30T07:13:00Z');
  const to = at('2024-04-29T19:41:00Z');
  for (const rolled of [null, at('2024-03-30T05:00:00Z'), at('2024-04-02T00:00:00Z'), at('2024-04-20T13:00:00Z'), at('2024-06-01T00:00:00Z')]) {
    for (const bucket of ['hour', 'day'] as const) {
      const parts = planSources({ from, to }, rolled, bucket);
      assert.equal(parts[0]!.from.getTime(), from.getTime());
      assert.equal(parts[parts.length - 1]!.to.getTime(), to.getTime());
      for (let i = 1; i < parts.length; i++) assert.equal(parts[i]!.from.getTime(), parts[i - 1]!.to.getTime());
      for (const p of parts) if (p.source !== 'live') assert.ok(rolled && p.to <= rolled);
    }
  }
});

test('bucket choice and bucket starts', () => {
  const h = 3_600_000;
  const to = at('2024-05-10T00:00:00Z');
  assert.equal(chooseBucket({ from: new Date(to.getTime() - h), to }), 'minute');
  assert.equal(chooseBucket({ from: new Date(to.getTime() - 24 * h), to }), 'hour');
  assert.equal(chooseBucket({ from: new Date(to.getTime() - 30 * 24 * h), to }), 'day');
  assert.deepEqual(
    bucketStarts({ from: at('2024-05-01T10:30:00Z'), to: at('2024-05-01T13:00:00Z') }, 'hour').map((d) => d.toISOString()),
    ['2024-05-01T10:00:00.000Z', '2024-05-01T11:00:00.000Z', '2024-05-01T12:00:00.000Z'],
  );
});
