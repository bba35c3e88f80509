import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { AppError, ERRORS, invalidField } from './errors.ts';
import { GATEWAY_IDS, gatewayIdOf, gatewayNameOf } from './gateways.ts';

test('docs/errors.md lists every error code with its status and category, and nothing else', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d+) \| ([a-z_]+) \| ([A-Z_]+) \|/gm)].map((m) => ({ code: m[1]!, status: Number(m[2]), errorCode: m[3]!, category: m[4]! }));
  const actual = Object.entries(ERRORS).map(([code, d]) => ({ code, status: d.status, errorCode: d.errorCode, category: d.category }));
  assert.deepEqual(documented, actual);
});

test('docs/gateways.md publishes the same gateway id table as the code', () => {
  const doc = readFileSync(new URL('../../docs/gateways.md', import.meta.url), 'utf8');
  const documented = Object.fromEntries([...doc.matchAll(/^\| ([A-Z_]+) \| (\d+) \|/gm)].map((m) => [m[1]!, Number(m[2])]));
  assert.deepEqual(documented, { ...GATEWAY_IDS });
});

test('gateway ids are unique and map both ways', () => {
  const ids = Object.values(GATEWAY_IDS);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(gatewayNameOf(gatewayIdOf('SIM_ALPHA')), 'SIM_ALPHA');
  assert.equal(gatewayNameOf(99999), undefined);
});

test('AppError carries the registry status and the field that was wrong', () => {
  const error = invalidField('amount', 'must be positive');
  assert.ok(error instanceof AppError);
  assert.equal(error.status, 400);
  assert.deepEqual(error.fields, [{ field_name: 'amount', reason: 'must be positive' }]);
  assert.equal(new AppError('GATEWAY_NOT_FOUND').message, "Can't find a suitable gateway to process the transaction");
});
