// Input hardening in one place (issue 10, finding 5): every string a request carries, in its body,
// query or path, is refused with a 400 naming the field when it holds a NUL character (PostgreSQL
// text cannot store one: it used to surface as a 500) or an unpaired UTF-16 surrogate (not valid
// Unicode: it cannot be stored or echoed faithfully); object keys that could reach a prototype
// (`__proto__`, `constructor`, `prototype`) and nesting deeper than MAX_DEPTH are refused too.
// Registered as a root preValidation hook, so a new route cannot forget it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.ts';

export const MAX_DEPTH = 32;
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface UnsafeInput {
  field: string;
  reason: string;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function badString(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode (it contains an unpaired UTF-16 surrogate)';
  return null;
}

/** The first unsafe thing in `value` (depth-first, in key order), or null. `path` names `value`. */
export function findUnsafeInput(value: unknown, path: string, depth = 0): UnsafeInput | null {
  if (typeof value === 'string') {
    const reason = badString(value);
    return reason ? { field: path || 'body', reason } : null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (Buffer.isBuffer(value)) return null;
  if (depth >= MAX_DEPTH) return { field: path || 'body', reason: `is nested too deeply (more than ${MAX_DEPTH} levels)` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeInput(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const field = join(path, key);
    if (RESERVED_KEYS.has(key)) return { field, reason: 'is not an accepted field name' };
    const keyReason = badString(key);
    if (keyReason) return { field: join(path, JSON.stringify(key).slice(1, -1)), reason: `field name ${keyReason}` };
    const found = findUnsafeInput((value as Record<string, unknown>)[key], field, depth + 1);
    if (found) return found;
  }
  return null;
}

export function unsafeInputError(found: UnsafeInput): AppError {
  return new AppError('INVALID_INPUT', `Invalid value for ${found.field}: ${found.reason}`, { fields: [{ field_name: found.field, reason: found.reason }] });
}

/** Throws the 400 for the first unsafe value of a request part (also used on uploaded documents). */
export function assertSafeInput(value: unknown, path = ''): void {
  const found = findUnsafeInput(value, path);
  if (found) throw unsafeInputError(found);
}

export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    assertSafeInput(request.params);
    assertSafeInput(request.query);
    assertSafeInput(request.body);
  });
}
