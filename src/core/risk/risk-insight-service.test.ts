// What the Risk page counts as blocking an attempt: each merchant rule that matched with a block
// action, else the blocking check; reviewing or allowing checks never count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockingKeys } from './risk-insight-service.ts';

test('blocking rules are named one by one; review matches and allowing checks are not counted', () => {
  assert.deepEqual(
    blockingKeys([
      { check: 'allowlist', action: 'allow', score: 0, reasons: [] },
      { check: 'rules', action: 'block', score: 100, reasons: ['rule "a" matched (block)', 'rule "b" matched (review)', 'rule "c (x)" matched (block)'] },
      { check: 'velocity', action: 'review', score: 40, reasons: ['over'] },
    ]),
    ['rule:a', 'rule:c (x)'],
  );
});

test('other checks are named by their check; a rules block without rule reasons is "rules"; no duplicates', () => {
  assert.deepEqual(
    blockingKeys([
      { check: 'blocklist', action: 'block', score: 100, reasons: ['x'] },
      { check: 'provider:reference', action: 'block', score: 90, reasons: ['declined'] },
      { check: 'rules', action: 'block', score: 50, reasons: ['something else'] },
      { check: 'blocklist', action: 'block', score: 100, reasons: ['y'] },
    ]),
    ['blocklist', 'provider:reference', 'rules'],
  );
});
