// The decision engine's routing rules (its "Euclid" API, spec section 6) translated onto Junction's
// Priority Logic kinds: single and priority to DEFAULT, volume_split to VOLUME, advanced programs
// to RULES (comparisons ANDed in a statement, statements ORed, nested statements refining), and
// /routing/evaluate's typed parameters to a sample payment. Pure: no I/O.
import { GATEWAY_IDS } from '../gateways.ts';
import { EngineInputError } from './engine-wire.ts';
import type { Condition, GatewayRef, Operator, RuleOutput } from '../../routing/index.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const KNOWN = new Set(Object.keys(GATEWAY_IDS));

/** A connector `{gateway_name, gateway_id}` as a Junction gateway (stripe -> STRIPE). */
export function gatewayOf(c: unknown, field: string): GatewayRef {
  if (!isObject(c) || typeof c.gateway_name !== 'string' || c.gateway_name === '') throw new EngineInputError(field, 'must be a connector {gateway_name, gateway_id}');
  const upper = c.gateway_name.toUpperCase();
  if (!KNOWN.has(upper)) throw new EngineInputError(`${field}.gateway_name`, `${c.gateway_name} is not a gateway Junction routes to (${[...KNOWN].join(', ')})`);
  return { gateway: upper, gatewayReferenceId: null };
}

/** A Junction gateway as the engine's connector, in the client's lower case. */
export const connectorOf = (gateway: string): Json => ({ gateway_name: gateway.toLowerCase(), gateway_id: null });

const list = (v: unknown, field: string): unknown[] => {
  if (!Array.isArray(v) || v.length === 0) throw new EngineInputError(field, 'must be a non-empty array');
  return v;
};

function splitWeight(s: Json, field: string): number {
  if (typeof s.split !== 'number' || !Number.isInteger(s.split) || s.split < 0 || s.split > 100) throw new EngineInputError(`${field}.split`, 'must be a whole number from 0 to 100');
  return s.split;
}

// ---- comparisons -------------------------------------------------------------------------------

const CARD_NETWORKS: Record<string, string> = {
  AMERICANEXPRESS: 'AMEX',
  AMEX: 'AMEX',
  MASTERCARD: 'MASTERCARD',
  VISA: 'VISA',
  RUPAY: 'RUPAY',
  DINERSCLUB: 'DINERS',
  DINERS: 'DINERS',
  DISCOVER: 'DISCOVER',
  JCB: 'JCB',
  MAESTRO: 'MAESTRO',
  UNIONPAY: 'UNIONPAY',
};
const PAYMENT_METHODS: Record<string, string> = { CARD: 'CARD', WALLET: 'WALLET', UPI: 'UPI', BANK_REDIRECT: 'NB', NETBANKING: 'NB', NB: 'NB' };
const AUTH_TYPES: Record<string, string> = { THREE_DS: 'THREE_DS', NO_THREE_DS: 'NO_THREE_DS', OTP: 'OTP' };

/** The engine's routing keys (its config/routing-keys) and Junction's dimension for each, with the enum mapping. */
export const ROUTING_KEYS: Record<string, { dimension: (value: unknown) => string; kind: 'number' | 'enum' | 'string'; map?: (v: string) => string | null }> = {
  amount: { dimension: () => 'amount', kind: 'number' },
  currency: { dimension: () => 'currency', kind: 'enum', map: (v) => (/^[A-Z]{3}$/.test(v.toUpperCase()) ? v.toUpperCase() : null) },
  payment_method: { dimension: () => 'payment_method_type', kind: 'enum', map: (v) => PAYMENT_METHODS[v.toUpperCase()] ?? null },
  payment_method_type: {
    dimension: (v) => (typeof v === 'string' && /^(credit|debit)$/i.test(v) ? 'card_type' : 'payment_method'),
    kind: 'enum',
    map: (v) => v.toUpperCase(),
  },
  card_network: { dimension: () => 'card_brand', kind: 'enum', map: (v) => CARD_NETWORKS[v.replace(/[\s_-]/g, '').toUpperCase()] ?? null },
  card_bin: { dimension: () => 'card_bin', kind: 'string' },
  authentication_type: { dimension: () => 'auth_type', kind: 'enum', map: (v) => AUTH_TYPES[v.toUpperCase()] ?? null },
  billing_country: { dimension: () => 'billing_country', kind: 'enum', map: (v) => v.toUpperCase() },
  card_type: { dimension: () => 'card_type', kind: 'enum', map: (v) => v.toUpperCase() },
};

const OPS: Record<string, Operator> = {
  equal: 'equal',
  not_equal: 'not_equal',
  less_than: 'less_than',
  less_than_equal: 'less_than_equal',
  greater_than: 'greater_than',
  greater_than_equal: 'greater_than_equal',
};

function scalar(key: string, raw: unknown, field: string): string | number {
  const spec = ROUTING_KEYS[key]!;
  if (spec.kind === 'number') {
    if (typeof raw !== 'number' || !Number.isFinite(raw)) throw new EngineInputError(field, `${key} takes a number`);
    return raw;
  }
  if (typeof raw !== 'string' || raw === '') throw new EngineInputError(field, `${key} takes a string`);
  if (!spec.map) return raw;
  const mapped = spec.map(raw);
  if (mapped === null) throw new EngineInputError(field, `${JSON.stringify(raw)} is not a value of ${key}`);
  return mapped;
}

/** One comparison `{lhs, comparison, value: {type, value}}` as a Junction condition. */
export function comparisonToCondition(cmp: unknown, field: string): Condition {
  if (!isObject(cmp)) throw new EngineInputError(field, 'must be {lhs, comparison, value}');
  const op = typeof cmp.comparison === 'string' ? OPS[cmp.comparison] : undefined;
  if (!op) throw new EngineInputError(`${field}.comparison`, `must be one of ${Object.keys(OPS).join(', ')}`);
  const value = cmp.value;
  if (!isObject(value) || typeof value.type !== 'string') throw new EngineInputError(`${field}.value`, 'must be {type, value}');
  if (value.type === 'metadata_variant') {
    const mv = value.value;
    if (!isObject(mv) || typeof mv.key !== 'string' || typeof mv.value !== 'string') throw new EngineInputError(`${field}.value.value`, 'must be {key, value}');
    return { dimension: `metadata.${mv.key}`, operator: op, value: mv.value };
  }
  const key = cmp.lhs;
  if (typeof key !== 'string' || !(key in ROUTING_KEYS)) throw new EngineInputError(`${field}.lhs`, `unknown routing key ${JSON.stringify(key)}: one of ${Object.keys(ROUTING_KEYS).join(', ')}`);
  const spec = ROUTING_KEYS[key]!;
  switch (value.type) {
    case 'number':
    case 'enum_variant':
    case 'str_value': {
      const v = scalar(key, value.value, `${field}.value.value`);
      return { dimension: spec.dimension(value.value), operator: op, value: v };
    }
    case 'number_array':
    case 'enum_variant_array': {
      if (op !== 'equal' && op !== 'not_equal') throw new EngineInputError(`${field}.comparison`, 'an array compares with equal or not_equal');
      const items = list(value.value, `${field}.value.value`).map((x, i) => scalar(key, x, `${field}.value.value[${i}]`));
      return { dimension: spec.dimension(items[0]), operator: op === 'equal' ? 'in' : 'not_in', value: items };
    }
    case 'number_comparison_array': {
      const items = list(value.value, `${field}.value.value`);
      return {
        all: items.map((x, i) => {
          if (!isObject(x) || typeof x.comparison !== 'string' || !OPS[x.comparison]) throw new EngineInputError(`${field}.value.value[${i}]`, 'must be {comparison, number}');
          return { dimension: spec.dimension(x.number), operator: OPS[x.comparison]!, value: scalar(key, x.number, `${field}.value.value[${i}].number`) };
        }),
      };
    }
    default:
      throw new EngineInputError(
        `${field}.value.type`,
        `${value.type} is not supported (number, enum_variant, str_value, metadata_variant, number_array, enum_variant_array, number_comparison_array)`,
      );
  }
}

function statementsToCondition(statements: unknown, field: string): Condition {
  const any = list(statements, field).map((st, i): Condition => {
    const f = `${field}[${i}]`;
    if (!isObject(st)) throw new EngineInputError(f, 'must be {condition, nested}');
    const all = list(st.condition, `${f}.condition`).map((c, k) => comparisonToCondition(c, `${f}.condition[${k}]`));
    if (Array.isArray(st.nested) && st.nested.length > 0) all.push(statementsToCondition(st.nested, `${f}.nested`));
    return all.length === 1 ? all[0]! : { all };
  });
  return any.length === 1 ? any[0]! : { any };
}

/** An output: `{single}`, `{priority}`, `{volume_split}`, `{volume_split_priority}`, or a rule's bare output with its routing_type. */
function outputOf(raw: unknown, routingType: string | undefined, field: string): RuleOutput {
  let type = routingType;
  let data: unknown = raw;
  if (isObject(raw)) {
    const keys = ['single', 'priority', 'volume_split', 'volume_split_priority'].filter((k) => k in raw);
    if (keys.length !== 1) throw new EngineInputError(field, 'must be one of {single}, {priority}, {volume_split}, {volume_split_priority}');
    type = keys[0];
    data = raw[type!];
  }
  switch (type) {
    case 'single':
      return { type: 'PRIORITY', gateways: [gatewayOf(data, `${field}.single`)] };
    case 'priority':
      return { type: 'PRIORITY', gateways: list(data, field).map((c, i) => gatewayOf(c, `${field}[${i}]`)) };
    case 'volume_split':
      return {
        type: 'VOLUME_SPLIT',
        splits: list(data, field).map((s, i) => {
          if (!isObject(s)) throw new EngineInputError(`${field}[${i}]`, 'must be {split, output}');
          return { ...gatewayOf(s.output, `${field}[${i}].output`), weight: splitWeight(s, `${field}[${i}]`) };
        }),
      };
    case 'volume_split_priority':
      return {
        type: 'VOLUME_SPLIT_PRIORITY',
        splits: list(data, field).map((s, i) => {
          if (!isObject(s)) throw new EngineInputError(`${field}[${i}]`, 'must be {split, output}');
          return { weight: splitWeight(s, `${field}[${i}]`), gateways: list(s.output, `${field}[${i}].output`).map((c, k) => gatewayOf(c, `${field}[${i}].output[${k}]`)) };
        }),
      };
    default:
      throw new EngineInputError(field, 'routing_type must be priority, volume_split or volume_split_priority');
  }
}

const gatewaysOfOutput = (o: RuleOutput): GatewayRef[] => {
  const all = o.type === 'PRIORITY' ? o.gateways : o.type === 'VOLUME_SPLIT' ? o.splits.map((s) => ({ gateway: s.gateway, gatewayReferenceId: null })) : o.splits.flatMap((s) => s.gateways);
  return all.filter((g, i) => all.findIndex((x) => x.gateway === g.gateway) === i);
};

/** The Priority Logic input (create body) of an engine algorithm `{type, data}`. */
export function algorithmToLogic(algorithm: unknown, name: string, description: string | null): Json {
  if (!isObject(algorithm) || typeof algorithm.type !== 'string') throw new EngineInputError('algorithm', 'must be {type, data}');
  const base = { name, ...(description ? { description } : {}), enforce: false };
  const data = algorithm.data;
  switch (algorithm.type) {
    case 'single':
      return { ...base, kind: 'DEFAULT', defaultGateways: [gatewayOf(data, 'algorithm.data')], definition: {} };
    case 'priority':
      return { ...base, kind: 'DEFAULT', defaultGateways: list(data, 'algorithm.data').map((c, i) => gatewayOf(c, `algorithm.data[${i}]`)), definition: {} };
    case 'volume_split': {
      const out = outputOf({ volume_split: data }, undefined, 'algorithm.data') as Extract<RuleOutput, { type: 'VOLUME_SPLIT' }>;
      return { ...base, kind: 'VOLUME', defaultGateways: gatewaysOfOutput(out), definition: { splits: out.splits } };
    }
    case 'advanced': {
      if (!isObject(data)) throw new EngineInputError('algorithm.data', 'must be a program {globals, default_selection, rules}');
      const fallback = outputOf(data.default_selection, undefined, 'algorithm.data.default_selection');
      const rules = (Array.isArray(data.rules) ? data.rules : []).map((r, i) => {
        const f = `algorithm.data.rules[${i}]`;
        if (!isObject(r) || typeof r.name !== 'string') throw new EngineInputError(f, 'must be {name, routing_type, output, statements}');
        return {
          name: r.name,
          condition: statementsToCondition(r.statements, `${f}.statements`),
          output: outputOf(r.output, typeof r.routing_type === 'string' ? r.routing_type : undefined, `${f}.output`),
        };
      });
      // A default selection that splits becomes a catch-all "Otherwise" rule; its gateways are the cascade.
      if (fallback.type !== 'PRIORITY') rules.push({ name: 'default_selection', condition: { all: [] }, output: fallback });
      return { ...base, kind: 'RULES', defaultGateways: gatewaysOfOutput(fallback), definition: { rules } };
    }
    case 'ab_test':
      throw new EngineInputError('algorithm.type', 'ab_test is not offered: use a staggered release of a Priority Logic (with a release guard)');
    default:
      throw new EngineInputError('algorithm.type', 'must be single, priority, volume_split or advanced');
  }
}

// ---- evaluate ----------------------------------------------------------------------------------

/** /routing/evaluate's parameters `{key: {type, value}}` as a dry-run sample payment (amount in minor units). */
export function parametersToSample(parameters: unknown): { sample: Json; amountMinor: number | null } {
  if (!isObject(parameters)) throw new EngineInputError('parameters', 'must be an object of {type, value}');
  const sample: Json = {};
  let amountMinor: number | null = null;
  for (const [key, raw] of Object.entries(parameters)) {
    if (!(key in ROUTING_KEYS)) throw new EngineInputError(`parameters.${key}`, `unknown routing key: one of ${Object.keys(ROUTING_KEYS).join(', ')}`);
    if (raw === null) continue;
    if (!isObject(raw) || typeof raw.type !== 'string') throw new EngineInputError(`parameters.${key}`, 'must be {type, value}');
    const v = scalar(key, raw.value, `parameters.${key}.value`);
    const dimension = ROUTING_KEYS[key]!.dimension(raw.value);
    if (dimension === 'amount') amountMinor = v as number;
    else if (dimension === 'card_bin') sample.card_bin = v;
    else sample[dimension] = v;
  }
  return { sample, amountMinor };
}
