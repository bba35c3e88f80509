// Share / import: a logic as a self-contained, versioned JSON document. Parsing is strict
// (unknown keys are errors, named by their path) so a typo never silently changes routing.

import type { Condition, ConditionValue, GatewayRef, LogicDefinition, LogicKind, LogicRankingMode, Operator, Rule, RuleOutput, ScalarValue, VolumeSplit } from './types.ts';
import { validateLogic, type ValidationCode } from './validate.ts';

export const LOGIC_DOCUMENT_FORMAT = 'junction.priority-logic';
export const LOGIC_DOCUMENT_VERSION = 1;

export interface LogicDocument {
  format: typeof LOGIC_DOCUMENT_FORMAT;
  formatVersion: typeof LOGIC_DOCUMENT_VERSION;
  name: string;
  description?: string;
  kind: LogicKind;
  enforce: boolean;
  defaultGateways: GatewayRef[];
  /** Success-rate ranking of the logic's output; absent means OFF. */
  ranking?: { mode: LogicRankingMode };
  definition: { rules: Rule[] } | { splits: VolumeSplit[] } | { code: string } | Record<string, never>;
  exportedAt: string;
}

export interface DocumentError {
  code: 'INVALID_DOCUMENT' | ValidationCode;
  field: string;
  message: string;
}

export type ParseResult = { ok: true; logic: LogicDefinition } | { ok: false; errors: DocumentError[] };

/** Deep copy through JSON so the document shares nothing with the live logic. */
function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function exportLogicDocument(logic: LogicDefinition, exportedAt: string): LogicDocument {
  const definition: LogicDocument['definition'] =
    logic.kind === 'RULES' ? { rules: clone(logic.rules) } : logic.kind === 'VOLUME' ? { splits: clone(logic.splits) } : logic.kind === 'CODE' ? { code: logic.code } : {};
  const doc: LogicDocument = {
    format: LOGIC_DOCUMENT_FORMAT,
    formatVersion: LOGIC_DOCUMENT_VERSION,
    name: logic.name,
    kind: logic.kind,
    enforce: logic.enforce,
    defaultGateways: clone(logic.defaultGateways),
    definition,
    exportedAt,
  };
  if (logic.description !== undefined) doc.description = logic.description;
  if (logic.ranking !== undefined) doc.ranking = { mode: logic.ranking.mode };
  return doc;
}

export function serializeLogicDocument(logic: LogicDefinition, exportedAt: string): string {
  const doc = exportLogicDocument(logic, exportedAt);
  // Stable key order for diffs.
  const ordered = {
    format: doc.format,
    formatVersion: doc.formatVersion,
    name: doc.name,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    kind: doc.kind,
    enforce: doc.enforce,
    defaultGateways: doc.defaultGateways,
    ...(doc.ranking !== undefined ? { ranking: doc.ranking } : {}),
    definition: doc.definition,
    exportedAt: doc.exportedAt,
  };
  return JSON.stringify(ordered, null, 2);
}

// ---------------------------------------------------------------- strict reader

class Reader {
  errors: DocumentError[] = [];
  fail(field: string, message: string): undefined {
    this.errors.push({ code: 'INVALID_DOCUMENT', field, message: `${field || '(document)'}: ${message}` });
    return undefined;
  }
  obj(v: unknown, field: string, allowed: readonly string[], required: readonly string[] = allowed): Record<string, unknown> | undefined {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.fail(field, 'must be an object');
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!allowed.includes(k)) this.fail(field ? `${field}.${k}` : k, `unknown key (allowed: ${allowed.join(', ')})`);
    for (const k of required) if (!(k in o)) this.fail(field ? `${field}.${k}` : k, 'is required');
    return o;
  }
  str(v: unknown, field: string): string | undefined {
    return typeof v === 'string' ? v : this.fail(field, 'must be a string');
  }
  bool(v: unknown, field: string): boolean | undefined {
    return typeof v === 'boolean' ? v : this.fail(field, 'must be true or false');
  }
  num(v: unknown, field: string): number | undefined {
    return typeof v === 'number' && Number.isFinite(v) ? v : this.fail(field, 'must be a number');
  }
  arr<T>(v: unknown, field: string, item: (x: unknown, f: string) => T | undefined): T[] | undefined {
    if (!Array.isArray(v)) return this.fail(field, 'must be a list');
    const out: T[] = [];
    let bad = false;
    v.forEach((x, i) => {
      const r = item(x, `${field}[${i}]`);
      if (r === undefined) bad = true;
      else out.push(r);
    });
    return bad ? undefined : out;
  }
  gatewayRef(v: unknown, field: string): GatewayRef | undefined {
    const o = this.obj(v, field, ['gateway', 'gatewayReferenceId'], ['gateway']);
    if (!o) return undefined;
    const gateway = this.str(o.gateway, `${field}.gateway`);
    if (gateway === undefined) return undefined;
    if (!('gatewayReferenceId' in o)) return { gateway };
    if (o.gatewayReferenceId === null) return { gateway, gatewayReferenceId: null };
    const ref = this.str(o.gatewayReferenceId, `${field}.gatewayReferenceId`);
    return ref === undefined ? undefined : { gateway, gatewayReferenceId: ref };
  }
  split(v: unknown, field: string): VolumeSplit | undefined {
    const o = this.obj(v, field, ['gateway', 'gatewayReferenceId', 'weight'], ['gateway', 'weight']);
    if (!o || !('gateway' in o)) return undefined;
    const weight = this.num(o.weight, `${field}.weight`);
    const ref = this.gatewayRef('gatewayReferenceId' in o ? { gateway: o.gateway, gatewayReferenceId: o.gatewayReferenceId } : { gateway: o.gateway }, field);
    if (ref === undefined || weight === undefined) return undefined;
    return { ...ref, weight };
  }
  scalar(v: unknown, field: string): ScalarValue | undefined {
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : this.fail(field, 'must be a finite number');
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const o = this.obj(v, field, ['amount', 'currency']);
      if (!o) return undefined;
      const amount = this.num(o.amount, `${field}.amount`);
      const currency = this.str(o.currency, `${field}.currency`);
      return amount === undefined || currency === undefined ? undefined : { amount, currency };
    }
    return this.fail(field, 'must be a string, number, boolean, {amount, currency} or a list of those');
  }
  value(v: unknown, field: string): ConditionValue | undefined {
    if (Array.isArray(v)) return this.arr(v, field, (x, f) => this.scalar(x, f));
    return this.scalar(v, field);
  }
  condition(v: unknown, field: string, depth = 0): Condition | undefined {
    if (depth > 32) return this.fail(field, 'nested too deeply (max 32 levels)');
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && ('all' in v || 'any' in v)) {
      const key = 'all' in v ? 'all' : 'any';
      const o = this.obj(v, field, [key]);
      if (!o) return undefined;
      const children = this.arr(o[key], `${field}.${key}`, (x, f) => this.condition(x, f, depth + 1));
      if (children === undefined) return undefined;
      return key === 'all' ? { all: children } : { any: children };
    }
    const o = this.obj(v, field, ['dimension', 'operator', 'value']);
    if (!o) return undefined;
    const dimension = this.str(o.dimension, `${field}.dimension`);
    const operator = this.str(o.operator, `${field}.operator`);
    const value = this.value(o.value, `${field}.value`);
    if (dimension === undefined || operator === undefined || value === undefined) return undefined;
    // Operator names are checked by validateLogic, which explains what is allowed.
    return { dimension, operator: operator as Operator, value };
  }
  output(v: unknown, field: string): RuleOutput | undefined {
    const type = typeof v === 'object' && v !== null ? (v as { type?: unknown }).type : undefined;
    if (type === 'PRIORITY') {
      const o = this.obj(v, field, ['type', 'gateways']);
      const gateways = o && this.arr(o.gateways, `${field}.gateways`, (x, f) => this.gatewayRef(x, f));
      return gateways && { type, gateways };
    }
    if (type === 'VOLUME_SPLIT') {
      const o = this.obj(v, field, ['type', 'splits']);
      const splits = o && this.arr(o.splits, `${field}.splits`, (x, f) => this.split(x, f));
      return splits && { type, splits };
    }
    if (type === 'VOLUME_SPLIT_PRIORITY') {
      const o = this.obj(v, field, ['type', 'splits']);
      const splits =
        o &&
        this.arr(o.splits, `${field}.splits`, (x, f) => {
          const s = this.obj(x, f, ['gateways', 'weight']);
          if (!s) return undefined;
          const gateways = this.arr(s.gateways, `${f}.gateways`, (y, g) => this.gatewayRef(y, g));
          const weight = this.num(s.weight, `${f}.weight`);
          return gateways === undefined || weight === undefined ? undefined : { gateways, weight };
        });
      return splits && { type, splits };
    }
    return this.fail(`${field}.type`, 'must be PRIORITY, VOLUME_SPLIT or VOLUME_SPLIT_PRIORITY');
  }
  rule(v: unknown, field: string): Rule | undefined {
    const o = this.obj(v, field, ['name', 'condition', 'output'], ['name', 'output']);
    if (!o) return undefined;
    const name = this.str(o.name, `${field}.name`);
    // No condition (absent or null): the catch-all "Otherwise" rule, stored as an empty `all`.
    const condition = o.condition === undefined || o.condition === null ? { all: [] } : this.condition(o.condition, `${field}.condition`);
    const output = this.output(o.output, `${field}.output`);
    return name === undefined || condition === undefined || output === undefined ? undefined : { name, condition, output };
  }
}

/**
 * Rules as written, with the catch-all's missing (or null) condition filled in as an empty `all`:
 * for callers that keep a structurally sound draft which failed validation.
 */
export function withCatchAllConditions(rules: unknown): unknown {
  if (!Array.isArray(rules)) return rules;
  return rules.map((r) => (typeof r === 'object' && r !== null && !Array.isArray(r) && ((r as { condition?: unknown }).condition ?? null) === null ? { ...r, condition: { all: [] } } : r));
}

const TOP_KEYS = ['format', 'formatVersion', 'name', 'description', 'kind', 'enforce', 'defaultGateways', 'ranking', 'definition', 'exportedAt'];
const TOP_REQUIRED = TOP_KEYS.filter((k) => k !== 'description' && k !== 'exportedAt' && k !== 'ranking');
const RANKING_MODES: readonly LogicRankingMode[] = ['OFF', 'WITHIN_LOGIC', 'ALL_ELIGIBLE'];
const KINDS: readonly LogicKind[] = ['DEFAULT', 'VOLUME', 'RULES', 'CODE'];

/**
 * Reads a logic document (already JSON-parsed). Returns the definition, or every structural
 * problem plus every validation problem, each with the path of the offending field.
 */
export function parseLogicDocument(json: unknown): ParseResult {
  const r = new Reader();
  const o = r.obj(json, '', TOP_KEYS, TOP_REQUIRED);
  if (!o) return { ok: false, errors: r.errors };
  if (o.format !== LOGIC_DOCUMENT_FORMAT) r.fail('format', `must be '${LOGIC_DOCUMENT_FORMAT}'`);
  if (o.formatVersion !== LOGIC_DOCUMENT_VERSION) r.fail('formatVersion', `unsupported version ${JSON.stringify(o.formatVersion)} (this build reads ${LOGIC_DOCUMENT_VERSION})`);
  if ('exportedAt' in o) r.str(o.exportedAt, 'exportedAt');
  const name = r.str(o.name, 'name');
  const description = 'description' in o ? r.str(o.description, 'description') : undefined;
  const enforce = r.bool(o.enforce, 'enforce');
  const defaultGateways = r.arr(o.defaultGateways, 'defaultGateways', (x, f) => r.gatewayRef(x, f));
  const kind = KINDS.includes(o.kind as LogicKind) ? (o.kind as LogicKind) : r.fail('kind', `must be one of ${KINDS.join(', ')}`);
  if (r.errors.length > 0 || name === undefined || enforce === undefined || defaultGateways === undefined || kind === undefined) {
    if (kind !== undefined) readDefinition(r, kind, o.definition); // report definition problems too
    return { ok: false, errors: r.errors };
  }
  let ranking: { mode: LogicRankingMode } | undefined;
  if ('ranking' in o) {
    const ro = r.obj(o.ranking, 'ranking', ['mode']);
    if (ro) {
      if (RANKING_MODES.includes(ro.mode as LogicRankingMode)) ranking = { mode: ro.mode as LogicRankingMode };
      else r.fail('ranking.mode', `must be one of ${RANKING_MODES.join(', ')}`);
    }
    if (r.errors.length > 0) return { ok: false, errors: r.errors };
  }
  const base = { name, ...(description !== undefined ? { description } : {}), enforce, defaultGateways, ...(ranking ? { ranking } : {}) };
  const logic = readDefinition(r, kind, o.definition, base);
  if (!logic) return { ok: false, errors: r.errors };
  const problems = validateLogic(logic).map((e): DocumentError => {
    const field = /^(rules|splits|code)\b/.test(e.field) ? `definition.${e.field}` : e.field;
    return { code: e.code, field, message: e.message };
  });
  return problems.length > 0 ? { ok: false, errors: problems } : { ok: true, logic };
}

function readDefinition(r: Reader, kind: LogicKind, v: unknown, base?: { name: string; description?: string; enforce: boolean; defaultGateways: GatewayRef[] }): LogicDefinition | undefined {
  switch (kind) {
    case 'DEFAULT': {
      const d = r.obj(v, 'definition', []);
      return d && base ? { kind, ...base } : undefined;
    }
    case 'VOLUME': {
      const d = r.obj(v, 'definition', ['splits']);
      const splits = d && r.arr(d.splits, 'definition.splits', (x, f) => r.split(x, f));
      return splits && base ? { kind, ...base, splits } : undefined;
    }
    case 'RULES': {
      const d = r.obj(v, 'definition', ['rules']);
      const rules = d && r.arr(d.rules, 'definition.rules', (x, f) => r.rule(x, f));
      return rules && base ? { kind, ...base, rules } : undefined;
    }
    case 'CODE': {
      const d = r.obj(v, 'definition', ['code']);
      const code = d && r.str(d.code, 'definition.code');
      return code !== undefined && base ? { kind, ...base, code } : undefined;
    }
  }
}
