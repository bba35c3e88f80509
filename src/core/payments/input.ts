// Reading the EC API's loosely typed bodies (form-encoded or JSON, dotted keys for nesting)
// into checked values. Every failure names the field.
import { invalidField, missingField } from '../errors.ts';

/** A request body flattened to dotted keys: {"metadata": {"a": 1}} and "metadata.a=1" both give {"metadata.a": "1"}. */
export type FlatBody = Record<string, string>;

const MAX_DEPTH = 4;

export function flattenBody(body: unknown, field = 'body'): FlatBody {
  const out: FlatBody = {};
  if (body === undefined || body === null || body === '') return out;
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidField(field, 'must be a JSON object or a form-encoded body');
  const walk = (value: unknown, prefix: string, depth: number): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object' && !Array.isArray(value)) {
      if (depth >= MAX_DEPTH) throw invalidField(prefix, 'is nested too deeply');
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) walk(inner, prefix ? `${prefix}.${key}` : key, depth + 1);
      return;
    }
    if (Array.isArray(value)) {
      // Form encoders repeat a key for arrays; we take lists as comma-joined strings.
      if (!value.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) throw invalidField(prefix, 'must be a list of plain values');
      out[prefix] = value.map(String).join(',');
      return;
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[prefix] = String(value);
      return;
    }
    throw invalidField(prefix, 'has an unsupported type');
  };
  walk(body, '', 0);
  return out;
}

interface StringRule {
  required?: boolean;
  max?: number;
  pattern?: RegExp;
  patternReason?: string;
  oneOf?: readonly string[];
}

export function readString(body: FlatBody, key: string, rule: StringRule = {}): string | null {
  const raw = body[key];
  if (raw === undefined || raw.trim() === '') {
    if (rule.required) throw missingField(key);
    return null;
  }
  const value = raw.trim();
  const max = rule.max ?? 255;
  if (value.length > max) throw invalidField(key, `must be at most ${max} characters`);
  if (rule.pattern && !rule.pattern.test(value)) throw invalidField(key, rule.patternReason ?? 'has an invalid format');
  if (rule.oneOf && !rule.oneOf.includes(value)) throw invalidField(key, `must be one of ${rule.oneOf.join(', ')}`);
  return value;
}

export function requireString(body: FlatBody, key: string, rule: Omit<StringRule, 'required'> = {}): string {
  return readString(body, key, { ...rule, required: true }) as string;
}

export function readBoolean(body: FlatBody, key: string): boolean | null {
  const raw = body[key];
  if (raw === undefined || raw === '') return null;
  const value = raw.toLowerCase();
  if (value === 'true' || value === '1' || value === 'yes') return true;
  if (value === 'false' || value === '0' || value === 'no') return false;
  throw invalidField(key, 'must be true or false');
}

export function readInteger(body: FlatBody, key: string, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number | null {
  const raw = body[key];
  if (raw === undefined || raw === '') return null;
  if (!/^-?\d+$/.test(raw.trim())) throw invalidField(key, 'must be an integer');
  const value = Number(raw);
  if (value < min || value > max) throw invalidField(key, `must be between ${min} and ${max}`);
  return value;
}

/** Collects `prefix.<key>` entries ("metadata.webhook_url" -> {webhook_url}). */
export function readPrefixed(body: FlatBody, prefix: string, { maxKeys = 50, maxValue = 1024 } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const start = `${prefix}.`;
  for (const [key, value] of Object.entries(body)) {
    if (!key.startsWith(start)) continue;
    const inner = key.slice(start.length);
    if (!inner || inner.length > 128) throw invalidField(key, 'has an invalid key');
    if (value.length > maxValue) throw invalidField(key, `must be at most ${maxValue} characters`);
    out[inner] = value;
  }
  if (Object.keys(out).length > maxKeys) throw invalidField(prefix, `must have at most ${maxKeys} keys`);
  return out;
}

/** Returns a copy of the body with `prefix.` stripped from keys that carry it ("order.order_id" -> "order_id"). */
export function unprefix(body: FlatBody, prefix: string): FlatBody {
  const out: FlatBody = {};
  const start = `${prefix}.`;
  for (const [key, value] of Object.entries(body)) if (key.startsWith(start)) out[key.slice(start.length)] = value;
  return out;
}

export const URL_PATTERN = /^https?:\/\/[^\s]+$/i;
export const ORDER_ID_PATTERN = /^[A-Za-z0-9_-]+$/;
