import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UNIFIED_ERRORS } from '../connectors/unified-errors.ts';
import { RISK_CODES } from './types.ts';

test('every risk decline code is in the unified error catalogue', () => {
  for (const code of RISK_CODES) assert.ok(Object.hasOwn(UNIFIED_ERRORS, code), code);
});
