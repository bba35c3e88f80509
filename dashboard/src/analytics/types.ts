// Wire shapes of the analytics, live traffic and health answers (docs/dashboard-api.md).

/** Rates are charged / attempts in 0..1, null without attempts. A null gateway: no gateway was found. */
export interface AnalyticsAnswer {
  from: string;
  to: string;
  bucket: 'minute' | 'hour' | 'day' | string;
  rolled_up_until?: string | null;
  totals: {
    attempts: number;
    charged: number;
    success_rate: number | null;
    orders: number;
    /** In minor units of `currency` (null currency: several or none, see amounts_charged). */
    amount_charged_minor: number;
    currency?: string | null;
    amounts_charged?: Array<{ currency: string; amount_minor: number }>;
  };
  by_gateway: Array<{ gateway: string | null; attempts: number; charged: number; success_rate: number | null; latency_ms: { p50: number | null; p90: number | null; p99: number | null } | null }>;
  series: Array<{ t: string; gateway: string | null; attempts: number; charged: number }>;
  failures: Array<{ error_code: string; category: string | null; count: number }>;
  by_logic: Array<{ logic_id: string | null; logic_name: string | null; attempts: number; charged: number; success_rate: number | null }>;
  first_attempt: { orders: number; charged_first_attempt: number; charged_after_fallback: number };
  filters: { payment_method_types: string[]; card_brands: string[]; gateways: string[]; logics: Array<{ id: string; name: string }> };
}

export interface LiveAnswer {
  from?: string;
  to?: string;
  step_seconds: number;
  series: Array<{ t: string; gateway: string | null; attempts: number; charged: number }>;
}

/** The label of a null gateway (attempts for which no gateway was found). */
export const NO_GATEWAY = 'No gateway';
export function gatewayLabel(gateway: string | null | undefined): string {
  return gateway ?? NO_GATEWAY;
}

export type { Health } from '../../../src/routing/scoring/types.ts';
import type { Health } from '../../../src/routing/scoring/types.ts';

export interface HealthAnswer {
  segment: Record<string, string> | null;
  thresholds: { down_below: number; fluctuate_below: number };
  gateways: Array<{ gateway: string; health: Health; mean: number; evidence: number; observations: number; last_alarm_at: string | null; alarms: number; scheduled_outage: boolean }>;
}
