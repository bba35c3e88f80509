// Juspay decision engine's wire contract (../shared/spec/decision-engine.md) as data: its enums,
// the reading of its requests (camelCase decide/score bodies, case-sensitive SCREAMING_SNAKE enums),
// and the shapes of its answers (DecidedGateway, the decider error, the TE_04 error). Pure: no I/O.

export const RANKING_ALGORITHMS = ['SR_BASED_ROUTING', 'PL_BASED_ROUTING', 'NTW_BASED_ROUTING', 'NTW_SR_HYBRID_ROUTING'] as const;
export type RankingAlgorithm = (typeof RANKING_ALGORITHMS)[number];

export const PAYMENT_TYPES = ['ORDER_PAYMENT', 'MANDATE_REGISTER', 'MANDATE_PAYMENT', 'TPV_PAYMENT', 'EMANDATE_REGISTER', 'EMANDATE_PAYMENT', 'TPV_MANDATE_REGISTER', 'TPV_MANDATE_PAYMENT'] as const;

/** TxnStatus values the engine counts as a success (push 1). */
export const SUCCESS_STATUSES = [
  'CHARGED',
  'AUTHORIZED',
  'COD_INITIATED',
  'VOIDED',
  'VOID_INITIATED',
  'CAPTURE_INITIATED',
  'CAPTURE_FAILED',
  'VOID_FAILED',
  'AUTO_REFUNDED',
  'PARTIAL_CHARGED',
  'TO_BE_CHARGED',
] as const;
/** TxnStatus values the engine counts as a failure (push 0). */
export const FAILURE_STATUSES = ['AUTHENTICATION_FAILED', 'AUTHORIZATION_FAILED', 'JUSPAY_DECLINED', 'FAILURE'] as const;
/** The rest of TxnStatus: no outcome yet. */
export const PENDING_STATUSES = ['STARTED', 'PENDING_VBV', 'AUTHORIZING', 'VBV_SUCCESSFUL', 'NEW', 'NOP', 'RISK_CHECK_FAILED', 'DECLINED', 'MERCHANT_REQUEST_FAILED'] as const;
export const TXN_STATUSES: readonly string[] = [...SUCCESS_STATUSES, ...FAILURE_STATUSES, ...PENDING_STATUSES];

/** A request the engine would refuse: the field and why (answered as INVALID_INPUT). */
export class EngineInputError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

type Json = Record<string, unknown>;
/** A JSON object (not an array, not null). */
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(o: Json, key: string, path: string, required: true): string;
function str(o: Json, key: string, path: string, required?: false): string | undefined;
function str(o: Json, key: string, path: string, required = false): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw new EngineInputError(`${path}${key}`, 'is required');
    return undefined;
  }
  if (typeof v !== 'string') throw new EngineInputError(`${path}${key}`, 'must be a string');
  if (required && v.trim() === '') throw new EngineInputError(`${path}${key}`, 'must not be empty');
  return v;
}

function bool(o: Json, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new EngineInputError(key, 'must be true or false');
  return v;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], field: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new EngineInputError(field, `must be one of ${allowed.join(', ')} (exactly, in capitals)`);
  return value as T;
}

export interface EnginePaymentInfo {
  paymentId: string;
  amount: number | string;
  currency: string;
  paymentType: string;
  paymentMethodType: string;
  paymentMethod: string;
  country?: string;
  customerId?: string;
  udfs: Record<string, string>;
  preferredGateway?: string;
  metadata: Record<string, string>;
  /** The metadata as sent, nested values included (network routing reads `co_badged_card_data`). */
  rawMetadata: Record<string, unknown>;
  authType?: string;
  cardIssuerBankName?: string;
  cardIsin?: string;
  cardType?: string;
  cardSwitchProvider?: string;
}

export interface DecideRequest {
  merchantId: string;
  paymentInfo: EnginePaymentInfo;
  eligibleGatewayList?: string[];
  rankingAlgorithm?: RankingAlgorithm;
  eliminationEnabled?: boolean;
}

/** Reads a decide-gateway body the way the engine does: the fields it requires, its enums exactly. */
export function readDecideRequest(body: unknown): DecideRequest {
  if (!isObject(body)) throw new EngineInputError('body', 'must be a JSON object');
  const merchantId = str(body, 'merchantId', '', true);
  const info = body.paymentInfo;
  if (!isObject(info)) throw new EngineInputError('paymentInfo', 'is required');
  const p = 'paymentInfo.';
  const amount = info.amount;
  if (typeof amount !== 'number' && typeof amount !== 'string') throw new EngineInputError(`${p}amount`, 'is required (a number in major units)');
  const udfs: Record<string, string> = {};
  if (info.udfs !== undefined && info.udfs !== null) {
    if (!Array.isArray(info.udfs)) throw new EngineInputError(`${p}udfs`, 'must be an array of strings or nulls');
    info.udfs.forEach((u, i) => {
      if (u === null) return;
      if (typeof u !== 'string') throw new EngineInputError(`${p}udfs[${i}]`, 'must be a string or null');
      udfs[`udf${i + 1}`] = u;
    });
  }
  // metadata is stringified JSON in the engine's contract; its string values are kept.
  const metadata: Record<string, string> = {};
  let rawMetadata: Record<string, unknown> = {};
  const rawMeta = info.metadata;
  if (typeof rawMeta === 'string' && rawMeta.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawMeta);
    } catch {
      throw new EngineInputError(`${p}metadata`, 'must be a JSON object as a string');
    }
    if (isObject(parsed)) rawMetadata = parsed;
    if (isObject(parsed)) for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') metadata[k] = String(v);
  } else if (rawMeta !== undefined && rawMeta !== null && typeof rawMeta !== 'string') {
    throw new EngineInputError(`${p}metadata`, 'must be a JSON object as a string');
  }
  const paymentInfo: EnginePaymentInfo = {
    paymentId: str(info, 'paymentId', p, true),
    amount,
    currency: str(info, 'currency', p, true),
    paymentType: oneOf(str(info, 'paymentType', p, true), PAYMENT_TYPES, `${p}paymentType`)!,
    paymentMethodType: str(info, 'paymentMethodType', p, true),
    paymentMethod: str(info, 'paymentMethod', p, true),
    udfs,
    metadata,
    rawMetadata,
  };
  const optional = ['country', 'customerId', 'preferredGateway', 'authType', 'cardIssuerBankName', 'cardIsin', 'cardType', 'cardSwitchProvider'] as const;
  for (const key of optional) {
    const v = str(info, key, p);
    if (v !== undefined && v !== '') paymentInfo[key] = v;
  }
  let eligible: string[] | undefined;
  if (body.eligibleGatewayList !== undefined && body.eligibleGatewayList !== null) {
    if (!Array.isArray(body.eligibleGatewayList) || body.eligibleGatewayList.some((g) => typeof g !== 'string' || g === '')) {
      throw new EngineInputError('eligibleGatewayList', 'must be an array of gateway names');
    }
    eligible = [...new Set(body.eligibleGatewayList as string[])];
  }
  const rankingAlgorithm = oneOf(str(body, 'rankingAlgorithm', ''), RANKING_ALGORITHMS, 'rankingAlgorithm');
  const eliminationEnabled = bool(body, 'eliminationEnabled');
  return {
    merchantId,
    paymentInfo,
    ...(eligible ? { eligibleGatewayList: eligible } : {}),
    ...(rankingAlgorithm ? { rankingAlgorithm } : {}),
    ...(eliminationEnabled !== undefined ? { eliminationEnabled } : {}),
  };
}

export interface ScoreUpdate {
  merchantId: string;
  gateway: string;
  paymentId: string;
  status: string;
  enforceDynamicRoutingFailure: boolean;
}

/** Reads an update-gateway-score body: status is a TxnStatus exactly (CHARGED, not charged). */
export function readScoreUpdate(body: unknown): ScoreUpdate {
  if (!isObject(body)) throw new EngineInputError('body', 'must be a JSON object');
  const status = str(body, 'status', '', true);
  if (!TXN_STATUSES.includes(status))
    throw new EngineInputError('status', `must be a transaction status such as CHARGED or AUTHORIZATION_FAILED (exactly, in capitals), not ${JSON.stringify(status)}`);
  return {
    merchantId: str(body, 'merchantId', '', true),
    gateway: str(body, 'gateway', '', true),
    paymentId: str(body, 'paymentId', '', true),
    status,
    enforceDynamicRoutingFailure: bool(body, 'enforceDynamicRoutingFailure') === true,
  };
}

/**
 * The legacy /update-score body (the Groovy-era feedback of whole internal objects): the same update
 * read from `txn_detail` (merchantId, gateway, status; the payment by txnUuid, else txnId) and the
 * misspelt `enforce_dynaic_routing_failure` kept as the engine spells it. `txn_detail.id` must be a
 * numeric string and both objects must carry a `partitionKey` key, as the engine requires (the engine
 * drops the connection on a bad id; we answer 400).
 */
export function readLegacyScoreUpdate(body: unknown): ScoreUpdate {
  if (!isObject(body)) throw new EngineInputError('body', 'must be a JSON object');
  const detail = body.txn_detail;
  const card = body.txn_card_info;
  if (!isObject(detail)) throw new EngineInputError('txn_detail', 'is required');
  if (!isObject(card)) throw new EngineInputError('txn_card_info', 'is required');
  if (!('partitionKey' in detail)) throw new EngineInputError('txn_detail.partitionKey', 'missing field partitionKey (null is accepted)');
  if (!('partitionKey' in card)) throw new EngineInputError('txn_card_info.partitionKey', 'missing field partitionKey (null is accepted)');
  if (typeof detail.id !== 'string' || !/^\d+$/.test(detail.id)) throw new EngineInputError('txn_detail.id', 'must be a numeric string');
  const paymentId = str(detail, 'txnUuid', 'txn_detail.') ?? str(detail, 'txnId', 'txn_detail.', true);
  const enforce = body.enforce_dynaic_routing_failure;
  if (enforce !== undefined && enforce !== null && typeof enforce !== 'boolean') throw new EngineInputError('enforce_dynaic_routing_failure', 'must be true or false');
  return readScoreUpdate({
    merchantId: str(detail, 'merchantId', 'txn_detail.', true),
    gateway: str(detail, 'gateway', 'txn_detail.', true),
    paymentId,
    status: str(detail, 'status', 'txn_detail.', true),
    enforceDynamicRoutingFailure: enforce === true,
  });
}

/** What a status says of the gateway: a success, a failure, or nothing yet. */
export function outcomeOf(status: string, enforceFailure: boolean): 'SUCCESS' | 'FAILURE' | 'PENDING' {
  if (enforceFailure) return 'FAILURE';
  if ((SUCCESS_STATUSES as readonly string[]).includes(status)) return 'SUCCESS';
  if ((FAILURE_STATUSES as readonly string[]).includes(status)) return 'FAILURE';
  return 'PENDING';
}

/** The decider's error shape (always HTTP 400). */
export function deciderError(
  code: 'INVALID_INPUT' | 'MERCHANT_NOT_FOUND' | 'NO_GATEWAY' | 'debit_routing_not_enabled' | 'invalid_request_error',
  message: string,
  developerMessage = message,
  /** The engine's other shapes: `status` (FAILURE), `error_info.code` (the error code), its user message (the message). */
  shape: { status?: string; infoCode?: string; userMessage?: string } = {},
): Json {
  return {
    status: shape.status ?? 'FAILURE',
    error_code: code,
    error_message: message,
    priority_logic_tag: null,
    routing_approach: null,
    filter_wise_gateways: null,
    error_info: { code: shape.infoCode ?? code, user_message: shape.userMessage ?? message, developer_message: developerMessage },
    priority_logic_output: null,
    is_dynamic_mga_enabled: false,
  };
}

/** The engine's generic error (merchant accounts, rule configs). */
export const teError = (message: string, data: unknown = null): Json => ({ code: 'TE_04', message, data });

// ---------------------------------------------------------------------------------------------
// Rule configuration (/rule/*) and SR dimensions.
// ---------------------------------------------------------------------------------------------

export const RULE_ALGORITHMS = ['successRate', 'elimination', 'debitRouting'] as const;
export type RuleAlgorithm = (typeof RULE_ALGORITHMS)[number];

const num = (o: Json, key: string, path: string, { min, max }: { min?: number; max?: number } = {}): number | undefined => {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new EngineInputError(`${path}${key}`, 'must be a number');
  if ((min !== undefined && v < min) || (max !== undefined && v > max)) throw new EngineInputError(`${path}${key}`, `must be from ${min ?? '-inf'} to ${max ?? 'inf'}`);
  return v;
};

/** A rule config's data, checked, with the engine's defaults filled in where it has them. */
export function readRuleConfig(body: Json): { algorithm: RuleAlgorithm; data: Json } {
  const config = body.config;
  if (!isObject(config)) throw new EngineInputError('config', 'is required: {type, data}');
  const algorithm = oneOf(str(config, 'type', 'config.', true), RULE_ALGORITHMS, 'config.type')!;
  const data = config.data;
  if (!isObject(data)) throw new EngineInputError('config.data', 'is required');
  const p = 'config.data.';
  if (algorithm === 'elimination') {
    const threshold = num(data, 'threshold', p, { min: 0, max: 1 });
    if (threshold === undefined) throw new EngineInputError(`${p}threshold`, 'is required (0 to 1)');
    const latency = data.txnLatency;
    return { algorithm, data: { threshold, txnLatency: isObject(latency) ? { gatewayLatency: num(latency, 'gatewayLatency', `${p}txnLatency.`, { min: 0 }) ?? null } : null } };
  }
  if (algorithm === 'debitRouting') {
    return { algorithm, data: { merchantCategoryCode: str(data, 'merchantCategoryCode', p, true), acquirerCountry: str(data, 'acquirerCountry', p, true) } };
  }
  const extra = data.defaultGatewayExtraScore;
  if (extra !== undefined && extra !== null && (!Array.isArray(extra) || extra.some((e) => !isObject(e) || typeof e.gatewayName !== 'string' || typeof e.gatewaySigmaFactor !== 'number'))) {
    throw new EngineInputError(`${p}defaultGatewayExtraScore`, 'must be [{gatewayName, gatewaySigmaFactor}]');
  }
  const sub = data.subLevelInputConfig;
  if (sub !== undefined && sub !== null && !Array.isArray(sub)) throw new EngineInputError(`${p}subLevelInputConfig`, 'must be an array');
  return {
    algorithm,
    data: {
      defaultLatencyThreshold: num(data, 'defaultLatencyThreshold', p, { min: 0 }) ?? null,
      defaultBucketSize: num(data, 'defaultBucketSize', p, { min: 1 }) ?? 125,
      defaultHedgingPercent: num(data, 'defaultHedgingPercent', p, { min: 0, max: 100 }) ?? 5,
      defaultLowerResetFactor: num(data, 'defaultLowerResetFactor', p, { min: 0 }) ?? 3,
      defaultUpperResetFactor: num(data, 'defaultUpperResetFactor', p, { min: 0 }) ?? 3,
      defaultGatewayExtraScore: extra ?? null,
      subLevelInputConfig: sub ?? null,
      margin: num(data, 'margin', p) ?? 1.0,
    },
  };
}

export const SR_DIMENSION_FIELDS = ['currency', 'country', 'auth_type', 'card_is_in', 'card_network'] as const;

export function readSrDimensions(body: Json): { udfs: number[]; fields: string[] } {
  const info = body.paymentInfo;
  if (!isObject(info)) throw new EngineInputError('paymentInfo', 'is required: {udfs, fields}');
  const udfs = info.udfs ?? [];
  const fields = info.fields ?? [];
  if (!Array.isArray(udfs) || udfs.some((u) => !Number.isInteger(u) || (u as number) < 1 || (u as number) > 10)) throw new EngineInputError('paymentInfo.udfs', 'must be udf numbers from 1 to 10');
  if (!Array.isArray(fields)) throw new EngineInputError('paymentInfo.fields', 'must be an array');
  for (const f of fields) {
    if (typeof f !== 'string' || !(SR_DIMENSION_FIELDS as readonly string[]).includes(f)) {
      throw new EngineInputError('paymentInfo.fields', `unknown dimension ${JSON.stringify(f)}: one of ${SR_DIMENSION_FIELDS.join(', ')}`);
    }
  }
  return { udfs: udfs as number[], fields: fields as string[] };
}
