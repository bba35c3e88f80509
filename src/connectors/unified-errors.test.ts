import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UNIFIED_FAILURE_CATEGORIES } from '../core/ports/connector.ts';
import { UNIFIED_ERRORS, unifiedError } from './unified-errors.ts';

const DOC = fileURLToPath(new URL('../../docs/unified-errors.md', import.meta.url));

describe('unified error catalogue', () => {
  it('docs/unified-errors.md lists exactly the catalogue, with the same category and message', () => {
    const rows = new Map<string, { category: string; message: string }>();
    for (const line of readFileSync(DOC, 'utf8').split('\n')) {
      const match = /^\| `([A-Z0-9_]+)` \| ([A-Z_]+) \| (.+) \|$/.exec(line);
      if (match) rows.set(match[1], { category: match[2], message: match[3] });
    }
    assert.deepEqual([...rows.keys()].sort(), Object.keys(UNIFIED_ERRORS).sort());
    for (const [code, definition] of Object.entries(UNIFIED_ERRORS)) {
      assert.deepEqual(rows.get(code), { category: definition.category, message: definition.message }, code);
    }
  });

  it('every category is one of the EC spec unified failure categories', () => {
    for (const definition of Object.values(UNIFIED_ERRORS)) assert.ok((UNIFIED_FAILURE_CATEGORIES as readonly string[]).includes(definition.category));
  });

  it('unifiedError builds the outcome value', () => {
    assert.deepEqual(unifiedError('INSUFFICIENT_FUNDS'), { code: 'INSUFFICIENT_FUNDS', message: UNIFIED_ERRORS.INSUFFICIENT_FUNDS.message, category: 'PAYMENT_FAILURE' });
  });
});
