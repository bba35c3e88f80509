// Gateways in the dashboard: the merchant's accounts with live health and, for simulated
// gateways, the simulator profile; account configuration (ADMIN, validated by the merchant
// service, so every error names its field); simulated outages (EDITOR or ADMIN). Each merchant
// has its own simulated gateways: an outage started here affects only this merchant's payments.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { AppError, invalidField } from '../../core/errors.ts';
import { SIMULATED_GATEWAYS } from '../../core/gateways.ts';
import type { GatewayAccount, GatewayAccountPatch } from '../../core/merchants/types.ts';
import { DASHBOARD_SECURITY as security, DASHBOARD_TAGS as tags, type DashboardContext, type DashboardMerchantSimulator } from './context.ts';
import {
  GatewayAccountResponse,
  GatewayPatchBody,
  GatewaysResponse,
  OutageBody,
  OutageEndedResponse,
  OutageResponse,
  gatewayAccountToDashboardWire,
  outageToWire,
  type HealthView,
  type OutageWindowView,
} from './gateway-wire.ts';
import { NoQuery } from '../schemas.ts';

const ErrorRef = Type.Ref('ErrorBody');
const errors = { 400: ErrorRef, 401: ErrorRef, 403: ErrorRef, 404: ErrorRef, 409: ErrorRef };
const AccountParams = Type.Object({ account_id: Type.String({ minLength: 1, maxLength: 64 }) });
const GatewayParams = Type.Object({ gateway: Type.String({ minLength: 1, maxLength: 64 }) });

/** The merchant's own simulated gateway, or null when the gateway is not simulated. */
function simulatorOf(ctx: DashboardContext, merchantId: string, gateway: string): DashboardMerchantSimulator | null {
  if (!(SIMULATED_GATEWAYS as readonly string[]).includes(gateway) || ctx.simulator === undefined) return null;
  const simulator = ctx.simulator.forMerchant(merchantId);
  return simulator.hasGateway(gateway) ? simulator : null;
}

/** The merchant's own simulator of a gateway it has an account on, or the 4xx that says why not. */
async function simulatedAccount(ctx: DashboardContext, merchantId: string, gatewayParam: string): Promise<{ gateway: string; simulator: DashboardMerchantSimulator }> {
  const gateway = gatewayParam.toUpperCase();
  const accounts = await ctx.merchants.listGatewayAccounts(merchantId);
  if (!accounts.some((a) => a.gateway === gateway)) {
    throw new AppError('RESOURCE_NOT_FOUND', `No ${gateway} account for this merchant`, { fields: [{ field_name: 'gateway', reason: 'the merchant has no account on this gateway' }] });
  }
  const simulator = simulatorOf(ctx, merchantId, gateway);
  if (!simulator) {
    throw new AppError('INVALID_ACTION', `${gateway} is not a simulated gateway: outages can only be injected into simulated gateways`, {
      fields: [{ field_name: 'gateway', reason: 'is not a simulated gateway' }],
    });
  }
  return { gateway, simulator };
}

/** The account change the request names (only the fields it sends). */
function patchOf(b: Static<typeof GatewayPatchBody>): GatewayAccountPatch {
  return {
    ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
    ...(b.payment_method_types !== undefined ? { paymentMethodTypes: b.payment_method_types } : {}),
    ...(b.payment_methods !== undefined ? { paymentMethods: b.payment_methods } : {}),
    ...(b.card_brands !== undefined ? { cardBrands: b.card_brands } : {}),
    ...(b.currencies !== undefined ? { currencies: b.currencies } : {}),
    ...(b.priority !== undefined ? { priority: b.priority } : {}),
    ...(b.fees !== undefined ? { fees: b.fees } : {}),
  };
}

export function gatewayRoutes(ctx: DashboardContext): FastifyPluginAsyncTypebox {
  const now = ctx.now ?? (() => new Date());
  function simulatorView(merchantId: string, gateway: string): { profile: Record<string, unknown>; outages: OutageWindowView[] } | null {
    const profile = simulatorOf(ctx, merchantId, gateway)?.getProfile(gateway);
    if (!profile) return null;
    const t = now().getTime();
    return { profile: profile as unknown as Record<string, unknown>, outages: profile.outages.filter((o) => o.endMs > t) };
  }

  /** Health per gateway; without scores (Redis unreachable) the list still answers, health null. */
  async function healthOf(merchantId: string): Promise<Map<string, HealthView>> {
    try {
      const view = await ctx.intelligence.health(merchantId, null);
      return new Map(view.gateways.map((g) => [g.gateway, g]));
    } catch (error) {
      ctx.log?.('gateway health unavailable', { merchantId, error: error instanceof Error ? error.message : String(error) });
      return new Map();
    }
  }

  const toWire = (account: GatewayAccount, health: Map<string, HealthView>) =>
    gatewayAccountToDashboardWire(account, health.get(account.gateway), simulatorView(account.merchantId, account.gateway), ctx.connectorOf?.(account.gateway) ?? null);

  return async (app) => {
    app.get(
      '/v1/dashboard/gateways',
      {
        schema: {
          querystring: NoQuery,
          tags,
          security,
          summary: "The merchant's gateway accounts (never credentials) with live health and, for simulated gateways, the simulator profile",
          response: { 200: GatewaysResponse, ...errors },
        },
      },
      async (request) => {
        const actor = ctx.actor(request);
        const [accounts, health] = await Promise.all([ctx.merchants.listGatewayAccounts(actor.merchantId), healthOf(actor.merchantId)]);
        return { gateways: accounts.map((a) => toWire(a, health)) };
      },
    );

    app.patch(
      '/v1/dashboard/gateways/:account_id',
      {
        preValidation: ctx.requireRight('configure_gateways'),
        schema: {
          tags,
          security,
          summary: 'Configure a gateway account (ADMIN): enabled, payment method types, methods, card brands, currencies, priority, fees',
          params: AccountParams,
          body: GatewayPatchBody,
          response: { 200: GatewayAccountResponse, ...errors },
        },
      },
      async (request) => {
        const actor = ctx.actor(request);
        const patch = patchOf(request.body);
        if (Object.keys(patch).length === 0) throw invalidField('body', 'name at least one field to change');
        const account = await ctx.merchants.updateGatewayAccount(actor.merchantId, request.params.account_id, patch);
        // Scores read accounts and fees through a short cache: drop it so routing sees the change now.
        ctx.intelligence.invalidate(actor.merchantId);
        return toWire(account, await healthOf(actor.merchantId));
      },
    );

    app.post(
      '/v1/dashboard/gateways/:gateway/outage',
      {
        preValidation: ctx.requireRight('inject_outage'),
        schema: {
          tags,
          security,
          summary: "Start a simulated outage now on the merchant's own simulated gateway (EDITOR or ADMIN); other merchants' payments never see it",
          params: GatewayParams,
          body: OutageBody,
          response: { 201: OutageResponse, ...errors },
        },
      },
      async (request, reply) => {
        const actor = ctx.actor(request);
        const { gateway, simulator } = await simulatedAccount(ctx, actor.merchantId, request.params.gateway);
        const outage = simulator.startOutage(gateway, { durationMs: request.body.duration_seconds * 1000, mode: request.body.mode ?? 'DOWN' });
        if (!outage) throw new AppError('RESOURCE_NOT_FOUND', `Simulated gateway ${gateway} not found`);
        ctx.log?.('simulated outage started from the dashboard', { merchantId: actor.merchantId, actor: actor.id, gateway, mode: outage.mode, endMs: outage.endMs });
        return reply.status(201).send(outageToWire(gateway, outage));
      },
    );

    app.delete(
      '/v1/dashboard/gateways/:gateway/outage',
      {
        preValidation: ctx.requireRight('inject_outage'),
        schema: {
          querystring: NoQuery,
          tags,
          security,
          summary: "End every simulated outage of the merchant's own simulated gateway (EDITOR or ADMIN)",
          params: GatewayParams,
          response: { 200: OutageEndedResponse, ...errors },
        },
      },
      async (request) => {
        const actor = ctx.actor(request);
        const { gateway, simulator } = await simulatedAccount(ctx, actor.merchantId, request.params.gateway);
        const ended = simulator.endOutage(gateway);
        ctx.log?.('simulated outage ended from the dashboard', { merchantId: actor.merchantId, actor: actor.id, gateway, ended });
        return { gateway, ended };
      },
    );
  };
}
