// The gateway accounts of GET /v1/dashboard/gateways (`{ gateways: [...] }`), read defensively
// (also accepted: `gateway_accounts`, `accounts`, a bare list; `id` for `account_id`; health as
// `{ status }`, `{ health }` or a string).

export interface GatewayAccountView {
  accountId: string;
  gateway: string;
  referenceId: string | null;
  enabled: boolean;
  paymentMethodTypes: string[];
  paymentMethods: string[];
  cardBrands: string[];
  currencies: string[];
  priority: number | null;
  /** Flat fee map: `percent`, `fixed_minor`, `<TYPE>.percent`, `method.<M>.fixed_minor`, `brand.<B>.percent`… */
  fees: Record<string, number>;
  health: string | null;
  /** A simulated gateway (outages can be injected). */
  simulated: boolean;
  /** Simulated outages running now (simulated gateways only). */
  activeOutages: Array<{ id: string; mode: string; endsAt: string | null }>;
  /** What the gateway's connector declares: its name, the payment method types it takes, and its features. */
  connector: { displayName: string; paymentMethodTypes: string[]; features: string[] } | null;
}

const FEATURES: Array<[string, string]> = [
  ['three_d_secure', '3-D Secure'],
  ['partial_capture', 'partial capture'],
  ['refunds', 'refunds'],
  ['partial_refunds', 'partial refunds'],
  ['sync', 'status sync'],
  ['webhooks', 'webhooks'],
  ['asynchronous_modifications', 'asynchronous captures and refunds'],
];

function connectorOf(raw: unknown): GatewayAccountView['connector'] {
  if (!raw || typeof raw !== 'object') return null;
  const c = raw as Json;
  const caps = c.capabilities && typeof c.capabilities === 'object' ? (c.capabilities as Json) : {};
  const modes = strings(caps.capture_modes);
  return {
    displayName: typeof c.display_name === 'string' ? c.display_name : '',
    paymentMethodTypes: strings(caps.payment_method_types),
    features: [...(modes.includes('MANUAL') ? ['manual capture'] : []), ...FEATURES.filter(([key]) => caps[key] === true).map(([, label]) => label)],
  };
}

type Json = Record<string, unknown>;

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

export function normalizeAccount(raw: unknown): GatewayAccountView {
  const a = (raw ?? {}) as Json;
  const fees: Record<string, number> = {};
  if (a.fees && typeof a.fees === 'object' && !Array.isArray(a.fees)) {
    for (const [k, v] of Object.entries(a.fees as Json)) if (typeof v === 'number') fees[k] = v;
  }
  const h = a.health && typeof a.health === 'object' ? (a.health as Json) : null;
  const health = typeof a.health === 'string' ? a.health : h ? (str(h.status) ?? str(h.health)) : null;
  const sim = a.simulator && typeof a.simulator === 'object' ? (a.simulator as Json) : null;
  const outages = Array.isArray(sim?.active_outages) ? (sim.active_outages as unknown[]) : [];
  return {
    accountId: String(a.account_id ?? a.id ?? ''),
    gateway: String(a.gateway ?? ''),
    referenceId: str(a.gateway_reference_id ?? a.reference_id),
    enabled: a.enabled !== false,
    paymentMethodTypes: strings(a.payment_method_types),
    paymentMethods: strings(a.payment_methods),
    cardBrands: strings(a.card_brands),
    currencies: strings(a.currencies),
    priority: typeof a.priority === 'number' ? a.priority : null,
    fees,
    health,
    simulated: typeof a.simulated === 'boolean' ? a.simulated : sim !== null || (a.simulator_profile !== undefined && a.simulator_profile !== null),
    connector: connectorOf(a.connector),
    activeOutages: outages.map((o) => {
      const w = (o ?? {}) as Json;
      return { id: String(w.id ?? ''), mode: String(w.mode ?? 'DOWN'), endsAt: str(w.ends_at) };
    }),
  };
}

export function normalizeAccounts(answer: unknown): GatewayAccountView[] {
  const body = answer as Json | unknown[] | null;
  const list = Array.isArray(body) ? body : ((body?.gateway_accounts ?? body?.gateways ?? body?.accounts ?? []) as unknown[]);
  return Array.isArray(list) ? list.map(normalizeAccount) : [];
}

/** Gateways of the merchant on which an outage can be simulated. */
export function simulatedGateways(accounts: readonly GatewayAccountView[]): string[] {
  return [...new Set(accounts.filter((a) => a.simulated).map((a) => a.gateway))].sort();
}

/** The EC API's payment method vocabulary: the engine's own lists (browser-safe, no Node built-ins). */
export { CARD_BRANDS, PAYMENT_METHOD_TYPES } from '../../../src/core/payment-methods.ts';
