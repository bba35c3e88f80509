// The risk engine's data: what a check sees of a payment, what it answers, and the merchant's
// configuration. Plain data only; amounts are integer minor units.
import type { Condition } from '../routing/index.ts';

/** challenge_3ds: step up, the card payment goes through 3-D Secure (between allow and review). */
export type RiskAction = 'allow' | 'challenge_3ds' | 'review' | 'block';

/** Unified error codes of a risk decline (src/connectors/unified-errors.ts carries them too). */
export const RISK_CODES = ['RISK_BLOCKLISTED', 'RISK_VELOCITY_EXCEEDED', 'RISK_COUNTRY_MISMATCH', 'RISK_AMOUNT_LIMIT', 'RISK_CARD_TESTING', 'RISK_RULE', 'RISK_PROVIDER_DECLINED'] as const;
export type RiskCode = (typeof RISK_CODES)[number];

export interface RiskCard {
  /** The keyed fingerprint of the card number (never the number). */
  fingerprint: string | null;
  bin: string;
  extendedBin: string | null;
  brand: string | null;
  type: string | null;
  issuer: string | null;
  issuerCountry: string | null;
}

/** What the risk checks see of a payment attempt. */
export interface RiskContext {
  merchantId: string;
  orderId: string;
  amount: number;
  currency: string;
  paymentMethodType: string;
  paymentMethod: string | null;
  card: RiskCard | null;
  email: string | null;
  customerId: string | null;
  clientIp: string | null;
  deviceId: string | null;
  billingCountry: string | null;
  /** The shopper's IP country, when the merchant sends it (we keep no IP geolocation table). */
  ipCountry: string | null;
  metadata: Record<string, string>;
  udf: Partial<Record<string, string | null>>;
  nowMillis: number;
}

/** One check's answer. */
export interface CheckResult {
  check: string;
  action: RiskAction;
  /** 0 (no risk seen) to 100. */
  score: number;
  reasons: string[];
  /** The decline code when the check blocks or flags. */
  code?: RiskCode;
  /** Set by an allowlist hit: later velocity and block checks are skipped. */
  allowlisted?: boolean;
}

export interface RiskAssessment {
  action: RiskAction;
  score: number;
  reasons: string[];
  /** The code of the deciding check (the first block, else the first review), null on allow. */
  code: RiskCode | null;
  /** Every check that ran, in order (the trace). */
  checks: CheckResult[];
  allowlisted: boolean;
  provider: string;
}

export const VELOCITY_DIMENSIONS = ['card_fingerprint', 'email', 'customer_id', 'client_ip', 'device_id', 'bin'] as const;
export type VelocityDimension = (typeof VELOCITY_DIMENSIONS)[number];

export interface VelocityLimit {
  id: string;
  dimension: VelocityDimension;
  /** count: attempts; amount: sum of amounts (minor units, per currency). */
  metric: 'count' | 'amount';
  windowSeconds: number;
  limit: number;
  action: Exclude<RiskAction, 'allow'>;
}

export const CARD_TESTING_SOURCES = ['client_ip', 'customer_id', 'bin'] as const;
export type CardTestingSource = (typeof CARD_TESTING_SOURCES)[number];

export interface CardTestingGuard {
  /** Declined attempts of at most this amount (minor units) count as probes. */
  smallAmountMax: number;
  threshold: number;
  windowSeconds: number;
  blockSeconds: number;
  sources: CardTestingSource[];
}

export interface AmountLimit {
  /** Payment method type (CARD, UPI, ...) or null for all. */
  paymentMethodType: string | null;
  currency: string;
  min: number | null;
  max: number | null;
  action: Exclude<RiskAction, 'allow'>;
}

export interface MismatchCheck {
  issuerVsBilling: RiskAction;
  issuerVsIp: RiskAction;
}

/** A merchant rule in the Priority Logic condition language, with a risk action as its output. */
export interface RiskRule {
  id: string;
  name: string;
  condition: Condition;
  action: RiskAction;
  score: number;
  enabled: boolean;
}

export interface RiskChecksConfig {
  velocity: VelocityLimit[];
  cardTesting: CardTestingGuard | null;
  amountLimits: AmountLimit[];
  mismatch: MismatchCheck | null;
}

export interface RiskConfig {
  enabled: boolean;
  mode: 'sequential' | 'parallel';
  /** 'builtin' or the id of an external provider. */
  provider: string;
  failOpen: boolean;
  providerTimeoutMs: number;
  /**
   * The provider's post-authorisation call after the gateway has authorised or charged (when the
   * provider has one): its own deadline and fail-open choice. Absent in setups stored before these
   * fields existed: read through postAuthSettings().
   */
  postAuth?: { enabled: boolean; timeoutMs: number; failOpen: boolean };
  /** Hours a payment held for review waits for a decision before it is voided automatically. */
  reviewExpiryHours?: number;
  checks: RiskChecksConfig;
}

export const DEFAULT_POST_AUTH_TIMEOUT_MS = 1_000;
export const DEFAULT_REVIEW_EXPIRY_HOURS = 72;

/** The post-authorisation settings of a config, defaults filled in (fail open follows fail_open). */
export function postAuthSettings(config: RiskConfig): { enabled: boolean; timeoutMs: number; failOpen: boolean } {
  return config.postAuth ?? { enabled: true, timeoutMs: DEFAULT_POST_AUTH_TIMEOUT_MS, failOpen: config.failOpen };
}

export const DEFAULT_RISK_CONFIG: RiskConfig = {
  enabled: true,
  mode: 'sequential',
  provider: 'builtin',
  failOpen: true,
  providerTimeoutMs: 300,
  checks: { velocity: [], cardTesting: null, amountLimits: [], mismatch: null },
};
