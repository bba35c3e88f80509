// Wire shapes of the dashboard's gateway API (docs/dashboard-api.md): an account with its health,
// connector and simulator views, the account change and simulated outages. The rest of the dashboard's
// shapes: wire.ts.
import { Type, type Static } from 'typebox';
import type { GatewayAccount } from '../../core/merchants/types.ts';
import { Nullable, Count, Time, iso } from './wire.ts';

const Health = Type.Object({
  status: Type.Union([Type.Literal('UP'), Type.Literal('FLUCTUATE'), Type.Literal('DOWN')]),
  mean: Type.Number({ description: 'Estimated success rate' }),
  observations: Type.Number(),
  scheduled_outage: Type.Boolean(),
  last_alarm_at: Nullable(Time),
});
const SimulatedOutage = Type.Object({ id: Type.String(), mode: Type.String(), starts_at: Time, ends_at: Nullable(Time) });
export const GatewayAccountResponse = Type.Object({
  account_id: Type.String(),
  gateway: Type.String(),
  gateway_id: Type.Integer(),
  gateway_reference_id: Nullable(Type.String()),
  enabled: Type.Boolean(),
  payment_method_types: Type.Array(Type.String()),
  payment_methods: Type.Array(Type.String()),
  card_brands: Type.Array(Type.String()),
  currencies: Type.Array(Type.String()),
  priority: Type.Integer(),
  fees: Type.Record(Type.String(), Type.Number()),
  created_at: Time,
  updated_at: Time,
  health: Nullable(Health),
  simulated: Type.Boolean(),
  connector: Nullable(
    Type.Object({
      display_name: Type.String(),
      capabilities: Type.Object(
        {},
        { additionalProperties: true, description: 'What the connector can do: payment method types, brands, currencies, capture modes, 3-D Secure, refunds, sync, webhooks' },
      ),
      credentials: Type.Array(Type.Object({ name: Type.String(), label: Type.String(), required: Type.Boolean() }), { description: 'The credentials an account needs (names only, never values)' }),
    }),
  ),
  simulator: Nullable(
    Type.Object({
      profile: Type.Object({}, { additionalProperties: true, description: 'The simulated gateway profile (success rates, latency, failure mix)' }),
      active_outages: Type.Array(SimulatedOutage),
    }),
  ),
});
export const GatewaysResponse = Type.Object({ gateways: Type.Array(GatewayAccountResponse) });

export const GatewayPatchBody = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    payment_method_types: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 32 })),
    payment_methods: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 200 })),
    card_brands: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 32 })),
    currencies: Type.Optional(Type.Array(Type.String({ maxLength: 3 }), { maxItems: 200 })),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    fees: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Number({ minimum: 0 }))),
  },
  { additionalProperties: false },
);

export const OutageBody = Type.Object(
  {
    duration_seconds: Type.Integer({ minimum: 1, maximum: 3600 }),
    mode: Type.Optional(Type.Union([Type.Literal('DOWN'), Type.Literal('TIMEOUT')], { description: 'DOWN (default): immediate GW_DOWN failures; TIMEOUT: no answer' })),
  },
  { additionalProperties: false },
);
export const OutageResponse = Type.Object({ gateway: Type.String(), id: Type.String(), mode: Type.String(), starts_at: Time, ends_at: Nullable(Time) });
export const OutageEndedResponse = Type.Object({ gateway: Type.String(), ended: Count });

export interface HealthView {
  gateway: string;
  health: 'UP' | 'FLUCTUATE' | 'DOWN';
  mean: number;
  observations: number;
  scheduled_outage: boolean;
  last_alarm_at: string | null;
}

export interface OutageWindowView {
  id: string;
  startMs: number;
  endMs: number;
  mode: string;
}

/** Open-ended simulator outages end at MAX_SAFE_INTEGER. */
export function outageToWire(gateway: string, o: OutageWindowView): Static<typeof OutageResponse> {
  return { gateway, id: o.id, mode: o.mode, starts_at: iso(new Date(o.startMs)), ends_at: o.endMs >= 8.64e15 ? null : iso(new Date(o.endMs)) };
}

/** A gateway account as the dashboard shows it: with its health, connector and simulator views (the admin API's gatewayAccountToAdminWire shows masked credentials instead). */
export function gatewayAccountToDashboardWire(
  a: GatewayAccount,
  health: HealthView | undefined,
  simulator: { profile: Record<string, unknown>; outages: OutageWindowView[] } | null,
  connector: { display_name: string; capabilities: Record<string, unknown>; credentials: ReadonlyArray<{ name: string; label: string; required: boolean }> } | null = null,
): Static<typeof GatewayAccountResponse> {
  return {
    account_id: a.id,
    gateway: a.gateway,
    gateway_id: a.gatewayId,
    gateway_reference_id: a.gatewayReferenceId,
    enabled: a.enabled,
    payment_method_types: a.paymentMethodTypes,
    payment_methods: a.paymentMethods,
    card_brands: a.cardBrands,
    currencies: a.currencies,
    priority: a.priority,
    fees: a.fees,
    created_at: iso(a.createdAt),
    updated_at: iso(a.updatedAt),
    health: health ? { status: health.health, mean: health.mean, observations: health.observations, scheduled_outage: health.scheduled_outage, last_alarm_at: health.last_alarm_at } : null,
    simulated: simulator !== null,
    connector: connector
      ? { display_name: connector.display_name, capabilities: connector.capabilities, credentials: connector.credentials.map((c) => ({ name: c.name, label: c.label, required: c.required })) }
      : null,
    simulator: simulator
      ? {
          profile: simulator.profile,
          active_outages: simulator.outages.map((o) => {
            const w = outageToWire(a.gateway, o);
            return { id: w.id, mode: w.mode, starts_at: w.starts_at, ends_at: w.ends_at };
          }),
        }
      : null,
  };
}
